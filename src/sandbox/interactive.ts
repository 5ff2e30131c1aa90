import { spawn } from 'node:child_process';
import { SandboxError } from '../errors.ts';

/**
 * `docker exec -it` on this terminal: the Docker CLI does what an interactive shell needs (raw mode, window
 * size, signals) and talks to the same engine (DOCKER_HOST and its context). Resolves with the shell's exit code.
 */
export function interactiveShell(containerId: string, user: string, workdir: string): Promise<number> {
  const args = [
    'exec',
    '-it',
    '-u',
    user,
    '-w',
    workdir,
    '-e',
    `TERM=${process.env.TERM ?? 'xterm'}`,
    containerId,
    'bash',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('docker', args, { stdio: 'inherit' });
    child.on('error', (err) =>
      reject(new SandboxError('shell_failed', `Could not open a shell with the docker command (${err.message}).`, err)),
    );
    child.on('close', (code) => resolve(code ?? 1));
  });
}
