import { InputError } from '../errors.ts';

/**
 * A failed import's error, carrying the problems met on the way: they are printed only after a successful
 * import, yet they usually say why it failed (every report unreadable, every value unknown).
 */
export function failureWith(message: string, problems: readonly string[], file?: string): InputError {
  const [first] = problems;
  if (first === undefined) return new InputError(message, file);
  const count = problems.length === 1 ? '1 input could not be used' : `${problems.length} inputs could not be used`;
  return new InputError(`${message.replace(/\.$/, '')}; ${count}, the first: ${first}`, file);
}

/** Text as read from a file, less the UTF-8 byte-order mark some editors write, which JSON.parse refuses. */
export function withoutBom(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}
