import type { CommandModule } from 'yargs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCommand = CommandModule<any, any>;

/**
 * One CLI command: its usage and one-line description, and its module (options and handler), which is loaded
 * only when that command runs. Start-up and `--help` thus pay for no command's imports (the Docker client, the
 * model SDKs, zod schemas), and `hotmess grade` only for grading's.
 */
export interface CommandEntry {
  readonly command: string;
  readonly describe: string;
  readonly load: () => Promise<AnyCommand>;
}

/** Every CLI command, one module each under src/cli/commands/, in the order `--help` lists them. */
export const commands: readonly CommandEntry[] = [
  {
    command: 'run',
    describe: 'Run the agent R times on every task, grade every unroll, and store the results (the main job)',
    load: async () => (await import('./run.ts')).runCommand,
  },
  {
    command: 'worker',
    describe:
      "Take unrolls from a run's queue (--queue redis://…) and run them on this machine's engine with its own API keys",
    load: async () => (await import('./worker.ts')).workerCommand,
  },
  {
    command: 'queue <command>',
    describe: 'The queue of distributed runs: workers alive and jobs per run (status)',
    load: async () => (await import('./queue.ts')).queueCommand,
  },
  {
    command: 'run-one',
    describe: 'Run one unroll of one task, showing each action live, then grade it',
    load: async () => (await import('./run-one.ts')).runOneCommand,
  },
  {
    command: 'show <run> <instance> [unroll]',
    describe: "A task's unrolls side by side (outcomes, patch groups, test matrix), or one unroll's whole trajectory",
    load: async () => (await import('./show.ts')).showCommand,
  },
  {
    command: 'replay <run> <instance> <unroll>',
    describe:
      "Re-run an unroll's recorded actions in a fresh sandbox without the model, report the first divergence, grade",
    load: async () => (await import('./replay.ts')).replayCommand,
  },
  {
    command: 'shell <run> <instance> <unroll>',
    describe: 'Replay an unroll up to action N (--at), then open an interactive shell in its sandbox',
    load: async () => (await import('./shell.ts')).shellCommand,
  },
  {
    command: 'doctor',
    describe:
      "Check the Docker engine (DOCKER_HOST respected), free disk, hotmess images, and how many of a task set's images are present",
    load: async () => (await import('./doctor.ts')).doctorCommand,
  },
  {
    command: 'images <command>',
    describe: 'Build, pull, list and prune hotmess images',
    load: async () => (await import('./images.ts')).imagesCommand,
  },
  {
    command: 'exec [command..]',
    describe: 'Run a command in a fresh sandbox and print its output (after --)',
    load: async () => (await import('./exec.ts')).execCommand,
  },
  {
    command: 'reap',
    describe:
      "Remove hotmess containers left by runs that are provably gone (only hotmess's own, by label; --all: every one)",
    load: async () => (await import('./reap.ts')).reapCommand,
  },
  {
    command: 'grade [logs..]',
    describe:
      'Grade existing test logs against their instances (no Docker): one test_output.txt, or folders of harness instance folders',
    load: async () => (await import('./grade.ts')).gradeCommand,
  },
  {
    command: 'sim-server',
    describe: 'Serve the simulated agent over the Anthropic Messages and OpenAI Chat Completions APIs on 127.0.0.1',
    load: async () => (await import('./sim-server.ts')).simServerCommand,
  },
  {
    command: 'expected',
    describe:
      "The simulated agent's exact expected figures per task (from its specs), as a sim run of R unrolls should measure them",
    load: async () => (await import('./expected.ts')).expectedCommand,
  },
  {
    command: 'import <inputs..>',
    describe:
      'Import runs made elsewhere: official-harness run folders (report.json per instance), harness summaries, or a per-run resolved table',
    load: async () => (await import('./import.ts')).importCommand,
  },
  {
    command: 'stats <run>',
    describe: 'Error, bias², variance and incoherence of a run: overall, by length bucket, median split, ensembles',
    load: async () => (await import('./stats.ts')).statsCommand,
  },
  {
    command: 'validate',
    describe:
      "Check each task's target in Docker: the empty patch fails only FAIL_TO_PASS, gold passes all, wrong candidates fail what they declare",
    load: async () => (await import('./validate.ts')).validateCommand,
  },
  {
    command: 'report <run>',
    describe: 'Compute the statistics of a run and write report.json, report.md and report.html',
    load: async () => (await import('./report.ts')).reportCommand,
  },
  {
    command: 'sweep <file> [name]',
    describe:
      'Run a sweep file (a matrix of runs), compare each cell with the previous sweep and give a verdict; `sweep history <name>` prints its history',
    load: async () => (await import('./sweep.ts')).sweepCommand,
  },
  {
    command: 'compare <runs..>',
    describe: 'Put runs side by side: headline figures and incoherence by action-count bucket',
    load: async () => (await import('./compare.ts')).compareCommand,
  },
];

/** The word that names a command (`grade` of `grade [logs..]`). */
export function commandName(entry: CommandEntry): string {
  return entry.command.split(' ')[0] ?? entry.command;
}
