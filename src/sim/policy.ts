import { Rng } from '../util/rng.ts';
import { candidateProbabilities, type Candidate } from './candidates.ts';
import { sampleMass } from './explore.ts';
import type { LoadedSimSpec } from './spec-load.ts';

/** Everything the simulated agent will do in one unroll, fixed by (instance, seed). */
export interface Plan {
  readonly explore: number;
  readonly candidate: Candidate;
  /** The exploration commands, one per exploration action. */
  readonly commands: readonly string[];
  readonly thoughts: readonly string[];
}

/** The next assistant turn: a short thought and at most one tool call. */
export type SimAction =
  | {
      readonly kind: 'explore' | 'write';
      readonly thought: string;
      readonly tool: 'bash';
      readonly input: { command: string };
    }
  | {
      readonly kind: 'submit';
      readonly thought: string;
      readonly tool: 'submit';
      readonly input: Record<string, never>;
    }
  | { readonly kind: 'done'; readonly thought: string };

/** Draws N from the tabulated distribution, then the candidate from its drifted weights: the order expected.ts assumes. */
export function planUnroll(spec: LoadedSimSpec, seed: number): Plan {
  const rng = Rng.fromKey('plan', spec.instanceId, seed);
  const explore = sampleMass(spec.pmf, rng.next());
  const probabilities = candidateProbabilities(spec.candidates, spec.drift, spec.median, explore, spec.shift);
  const candidate = spec.candidates[sampleIndex(probabilities, rng.next())] as Candidate;
  const commands = Array.from({ length: explore }, () => rng.pick(spec.commands));
  const thoughts = commands.map((command) => rng.pick(exploreThoughts)(command));
  return { explore, candidate, commands, thoughts };
}

/** Planned tool calls: exploration, the write (unless the patch is null), and submit. */
export function plannedActions(plan: Pick<Plan, 'explore' | 'candidate'>): number {
  return plan.explore + (plan.candidate.patch === null ? 0 : 1) + 1;
}

/** The turn that follows `step` completed tool calls. */
export function nextAction(plan: Plan, step: number): SimAction {
  if (step < plan.explore) {
    return {
      kind: 'explore',
      thought: plan.thoughts[step] as string,
      tool: 'bash',
      input: { command: plan.commands[step] as string },
    };
  }
  const writes = plan.candidate.patch === null ? 0 : 1;
  if (step < plan.explore + writes) {
    return {
      kind: 'write',
      thought: `I think I understand the problem now; applying my change (simulated candidate \`${plan.candidate.name}\`).`,
      tool: 'bash',
      input: { command: writeCommand(plan.candidate.patch as string) },
    };
  }
  if (step === plan.explore + writes) {
    const thought = writes
      ? 'The change is applied; submitting.'
      : 'I could not find a change I am confident in; submitting without edits.';
    return { kind: 'submit', thought, tool: 'submit', input: {} };
  }
  return { kind: 'done', thought: 'I have submitted my work.' };
}

const patchFile = '/tmp/hotmess-sim.diff';

/** A quoted heredoc (no expansion inside) writing the patch, then `git apply`. */
export function writeCommand(patch: string): string {
  const body = patch.endsWith('\n') ? patch : `${patch}\n`;
  let marker = 'HOTMESS_PATCH_EOF';
  while (body.split('\n').includes(marker)) marker += '_';
  return `cat > ${patchFile} <<'${marker}'\n${body}${marker}\ngit apply --whitespace=nowarn ${patchFile} && git status --short`;
}

export function sampleIndex(probabilities: readonly number[], u: number): number {
  let cumulative = 0;
  for (let i = 0; i < probabilities.length; i++) {
    cumulative += probabilities[i] as number;
    if (u < cumulative) return i;
  }
  // Rounding left u above the last partial sum: take the last candidate with any mass.
  for (let i = probabilities.length - 1; i >= 0; i--) if ((probabilities[i] as number) > 0) return i;
  return probabilities.length - 1;
}

const exploreThoughts: readonly ((command: string) => string)[] = [
  (c) => `Let me look around: \`${firstLine(c)}\`.`,
  (c) => `Next I want to check \`${firstLine(c)}\`.`,
  (c) => `To understand the issue better I'll run \`${firstLine(c)}\`.`,
  (c) => `Checking the relevant code with \`${firstLine(c)}\`.`,
];

function firstLine(command: string): string {
  const line = command.split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}
