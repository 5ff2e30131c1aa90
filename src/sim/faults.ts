import { z } from 'zod';
import { UsageError } from '../errors.ts';
import { Rng } from '../util/rng.ts';

const rate = z.number().min(0).max(1).default(0);

/** Faults the loopback server injects, each drawn per request from its own seeded stream. */
export const faultsSchema = z
  .object({
    rate429: rate,
    retryAfterSeconds: z.number().nonnegative().default(1),
    rate500: rate,
    /** Overloaded: 529 `overloaded_error` on the Anthropic wire, 503 on the OpenAI one. */
    rate529: rate,
    /** A rejected key: 401 on either wire, which no retry mends (hotmess stops the run). */
    rate401: rate,
    slowMs: z.number().int().nonnegative().default(0),
    slowRate: rate,
    malformedToolCallRate: rate,
    /** The simulated agent calls a tool it was not offered (str_replace_editor). */
    unknownToolRate: rate,
    truncatedBodyRate: rate,
    /** At most this many faults in a row for one turn, so SDK retries (and the agent's format-error replies) always get through. */
    maxConsecutive: z.number().int().nonnegative().default(2),
  })
  .strict()
  .refine(
    (f) => f.rate429 + f.rate500 + f.rate529 + f.truncatedBodyRate + f.rate401 <= 1,
    'rate429 + rate500 + rate529 + truncatedBodyRate + rate401 must not exceed 1',
  )
  .refine(
    (f) => f.malformedToolCallRate + f.unknownToolRate <= 1,
    'malformedToolCallRate + unknownToolRate must not exceed 1',
  );

export type Faults = z.output<typeof faultsSchema>;
export type FaultsInput = z.input<typeof faultsSchema>;

export const noFaults: Faults = faultsSchema.parse({});

export type HttpFault = 'none' | 'rate_limit' | 'server_error' | 'overloaded' | 'truncated' | 'unauthorized';

/** What is wrong with the turn's tool call, if anything. */
export type Flaw = 'malformed' | 'unknown_tool';

export interface FaultDraw {
  readonly http: HttpFault;
  readonly slow: boolean;
  readonly flaw: Flaw | undefined;
}

/**
 * The faults for one request. `attempt` counts identical requests already seen (SDK retries), `formatErrors`
 * counts the agent's replies to flawed calls at this turn; past `maxConsecutive` of either, none is drawn.
 * The key never touches the policy's stream, so a retried turn comes back unchanged. Kinds added later take
 * the top of each uniform's range, so that existing settings keep drawing what they drew before.
 */
export function drawFaults(
  faults: Faults,
  key: readonly (string | number)[],
  attempt: number,
  formatErrors: number,
): FaultDraw {
  const rng = Rng.fromKey('fault', ...key, formatErrors, attempt);
  const u = rng.next();
  const slow = rng.next() < faults.slowRate;
  const v = rng.next();
  let http: HttpFault = 'none';
  if (attempt < faults.maxConsecutive) {
    if (u < faults.rate429) http = 'rate_limit';
    else if (u < faults.rate429 + faults.rate500) http = 'server_error';
    else if (u < faults.rate429 + faults.rate500 + faults.truncatedBodyRate) http = 'truncated';
    else if (u < faults.rate429 + faults.rate500 + faults.truncatedBodyRate + faults.rate529) http = 'overloaded';
    else if (u < faults.rate429 + faults.rate500 + faults.truncatedBodyRate + faults.rate529 + faults.rate401)
      http = 'unauthorized';
  }
  let flaw: Flaw | undefined;
  if (formatErrors < faults.maxConsecutive) {
    if (v < faults.malformedToolCallRate) flaw = 'malformed';
    else if (v < faults.malformedToolCallRate + faults.unknownToolRate) flaw = 'unknown_tool';
  }
  return { http, slow, flaw };
}

/** Parses `rate429=0.2,retryAfterSeconds=1,rate500=0.1` (the CLI form). */
export function parseFaultsArg(text: string): Faults {
  const raw: Record<string, number> = {};
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const match = /^(\w+)=([0-9.eE+-]+)$/.exec(part);
    const value = match ? Number(match[2]) : Number.NaN;
    if (!match || !Number.isFinite(value))
      throw new UsageError(`Fault setting "${part}" is not name=number (e.g. rate429=0.2).`);
    raw[match[1] as string] = value;
  }
  const parsed = faultsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new UsageError(`Bad --faults: ${field}${issue?.message ?? 'invalid'}.`);
  }
  return parsed.data;
}
