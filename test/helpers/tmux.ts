import { execa } from 'execa';

/**
 * A real terminal for interactive commands: a tmux server of its own (`-L`), one session, keys sent and the screen
 * read back. `kill()` ends that server only.
 */
export class Tmux {
  constructor(
    readonly socket: string,
    readonly session = 'main',
  ) {}

  private tmux(...args: string[]) {
    return execa('tmux', ['-L', this.socket, ...args]);
  }

  async start(command: string, size = { width: 160, height: 50 }): Promise<void> {
    await this.tmux(
      'new-session',
      '-d',
      '-s',
      this.session,
      '-x',
      String(size.width),
      '-y',
      String(size.height),
      // The pane stays after the command exits, so its last screen can still be read.
      `${command}; echo "[exited $?]"; sleep 600`,
    );
  }

  async send(...keys: string[]): Promise<void> {
    await this.tmux('send-keys', '-t', this.session, ...keys);
  }

  /** The pane's text, with its scrollback. */
  async capture(): Promise<string> {
    return (await this.tmux('capture-pane', '-p', '-J', '-S', '-2000', '-t', this.session)).stdout;
  }

  /** Waits until the screen matches (the n-th match when `count` is given); fails with the screen when it does not. */
  async waitFor(pattern: RegExp, timeoutMs = 60_000, count = 1): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
    let screen = '';
    while (Date.now() < deadline) {
      screen = await this.capture();
      if ((screen.match(global) ?? []).length >= count) return screen;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`tmux: ${pattern} did not appear within ${timeoutMs} ms; the screen:\n${screen}`);
  }

  async kill(): Promise<void> {
    await this.tmux('kill-server').catch(() => undefined);
  }
}
