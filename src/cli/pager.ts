import { spawn } from 'node:child_process';

/**
 * Writes text to stdout, through a pager when a person reads it on a terminal and it is longer than the screen:
 * $PAGER, else `less -R` (colours kept, quits at once if it fits after all). Piped output is never paged.
 */
export async function writePaged(text: string, options: { pager: boolean }): Promise<void> {
  const out = process.stdout;
  const lines = text.split('\n').length;
  if (!options.pager || !out.isTTY || lines < (out.rows || 24)) {
    out.write(text);
    return;
  }
  const pager = process.env.PAGER?.trim() || 'less -R -F -X';
  const done = await new Promise<boolean>((resolve) => {
    const child = spawn(pager, {
      shell: true,
      stdio: ['pipe', 'inherit', 'inherit'],
      env: { LESS: 'R', ...process.env },
    });
    child.on('error', () => resolve(false));
    child.on('close', () => resolve(true));
    // A pager quit early closes its input: that is not an error.
    child.stdin.on('error', () => undefined);
    child.stdin.end(text);
  });
  if (!done) out.write(text);
}
