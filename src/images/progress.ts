/** Build progress goes to a callback so the CLI can print it and tests can keep quiet. */
export type ProgressFn = (line: string) => void;

export const quiet: ProgressFn = () => {};

/** Keeps the last `size` lines of a build's output for error messages. */
export class LogTail {
  private readonly lines: string[] = [];
  constructor(private readonly size = 40) {}

  push(text: string): void {
    // eslint-disable-next-line no-control-regex
    for (const raw of text.replace(/\x1b\[[0-9;]*m/g, '').split('\n')) {
      const line = raw.length > 300 ? `${raw.slice(0, 299)}…` : raw;
      if (line.trim() === '') continue;
      this.lines.push(line);
      if (this.lines.length > this.size) this.lines.shift();
    }
  }

  toString(): string {
    return this.lines.join('\n');
  }
}
