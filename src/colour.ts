import pc from 'picocolors';

type Colours = ReturnType<typeof pc.createColors>;

/**
 * Colour only where a person reads it: a terminal, unless NO_COLOR; FORCE_COLOR forces it. picocolors' own
 * default also colours whenever $CI is set, which puts escape codes into build logs and piped output.
 */
export function colourEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export const coloursFor = (stream: { isTTY?: boolean }): Colours => pc.createColors(colourEnabled(stream));

/** For text written to stdout (tables, the live unroll view). */
export const out = coloursFor(process.stdout);
/** For progress and notes written to stderr. */
export const err = coloursFor(process.stderr);
