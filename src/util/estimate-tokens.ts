/** About four characters a token, as for English text and code: for servers that report no usage, and the simulator. */
export function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4);
}
