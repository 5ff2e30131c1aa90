import type Docker from 'dockerode';
import { execa } from 'execa';
import { access } from 'node:fs/promises';
import { SandboxError, errorMessage } from '../errors.ts';

/** Between two measurements: `du` of the layer on this machine is cheap, the engine's own count is not. */
const LOCAL_INTERVAL_MS = 2000;
const ENGINE_INTERVAL_MS = 30_000;

/**
 * How many bytes a container has written to its root filesystem (its writable layer), measured at most every
 * few seconds. On a local engine the layer's directory (overlay2's UpperDir) is measured with `du`; otherwise the
 * engine is asked (`inspect` with sizes, which walks the whole image too and takes seconds on a busy machine).
 */
export class WritableLayerMeter {
  private upperDir: string | null | undefined;
  private measuredAt = -Infinity;

  constructor(private readonly container: Docker.Container) {}

  /** The bytes written, or undefined when the last measurement is too recent to take another. */
  async measure(): Promise<number | undefined> {
    try {
      if (this.upperDir === undefined) this.upperDir = await this.localUpperDir();
      const now = performance.now();
      if (now - this.measuredAt < (this.upperDir ? LOCAL_INTERVAL_MS : ENGINE_INTERVAL_MS)) return undefined;
      this.measuredAt = now;
      if (this.upperDir) {
        // du exits non-zero when a file vanishes during the walk, and still prints the total.
        const du = await execa('du', ['-s', '-x', '-B1', this.upperDir], { reject: false });
        const bytes = Number.parseInt(du.stdout, 10);
        if (Number.isFinite(bytes)) return bytes;
      }
      // dockerode passes `size` on as the query parameter; its types leave it out.
      const inspect = this.container.inspect.bind(this.container) as unknown as (opts: {
        size: boolean;
      }) => Promise<{ SizeRw?: number }>;
      return (await inspect({ size: true })).SizeRw ?? 0;
    } catch (err) {
      throw new SandboxError('sandbox_io', `Measuring the sandbox's disk use failed: ${errorMessage(err)}`, err);
    }
  }

  private async localUpperDir(): Promise<string | null> {
    const info = await this.container.inspect();
    const dir = (info.GraphDriver?.Data as Record<string, string> | undefined)?.UpperDir;
    if (!dir) return null;
    return access(dir).then(
      () => dir,
      () => null,
    );
  }
}
