import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { ActionChoice } from '../agent/agent.ts';
import { out as c } from '../colour.ts';
import type { Sandbox } from '../sandbox/types.ts';

/** Asks one question on the terminal; the interface is closed after it, so that a shell can take the terminal. */
function ask(question: string, prefill = ''): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  return new Promise((resolve) => {
    // Ctrl-D: no answer, as Enter.
    rl.on('close', () => resolve(''));
    rl.question(question, (answer) => {
      resolve(answer);
      rl.close();
    });
    if (prefill) rl.write(prefill);
  });
}

/** A multi-line command is edited in $VISUAL / $EDITOR (vi when neither is set). */
function editInEditor(command: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'hotmess-step-'));
  const file = path.join(dir, 'command.sh');
  try {
    writeFileSync(file, command);
    const editor = process.env.VISUAL || process.env.EDITOR || 'vi';
    spawnSync(`${editor} "${file}"`, { shell: true, stdio: 'inherit' });
    return readFileSync(file, 'utf8').replace(/\n$/, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Stepper {
  beforeAction(command: string, sandbox: Sandbox): Promise<ActionChoice>;
  /** How the person ended it, if they did. */
  readonly stopped: 'grade' | 'quit' | undefined;
}

/**
 * `run-one --step`: before each command, show it and ask what to do: run it, edit it (what runs is recorded as
 * edited), open a shell in the sandbox and then ask again, grade now, or quit keeping the trajectory.
 */
export function terminalStepper(): Stepper {
  let action = 0;
  let stopped: 'grade' | 'quit' | undefined;
  return {
    get stopped() {
      return stopped;
    },
    async beforeAction(command, sandbox) {
      action += 1;
      process.stdout.write(`\n${c.bold(c.yellow(`── proposed action ${action} ──`))}\n`);
      process.stdout.write(`  $ ${command.split('\n').join('\n    ')}\n`);
      for (;;) {
        const answer = (await ask(`${c.bold('[r]un  [e]dit  [s]hell  [g]rade now  [q]uit')} > `)).trim().toLowerCase();
        if (answer === '' || answer === 'r' || answer === 'run') return { run: command };
        if (answer === 'e' || answer === 'edit') {
          const edited = command.includes('\n') ? editInEditor(command) : await ask('edit> ', command);
          if (edited.trim() === '') {
            process.stdout.write(c.dim('(empty command: nothing changed)\n'));
            continue;
          }
          return { run: edited };
        }
        if (answer === 's' || answer === 'shell') {
          if (!sandbox.openShell) {
            process.stdout.write(c.red('This sandbox cannot open a shell.\n'));
            continue;
          }
          process.stdout.write(c.dim('Shell in the sandbox; exit to come back to this action.\n'));
          await sandbox.openShell();
          continue;
        }
        if (answer === 'g' || answer === 'grade') {
          stopped = 'grade';
          return { stop: 'grade' };
        }
        if (answer === 'q' || answer === 'quit') {
          stopped = 'quit';
          return { stop: 'quit' };
        }
        process.stdout.write(c.dim('Answer r, e, s, g or q.\n'));
      }
    },
  };
}
