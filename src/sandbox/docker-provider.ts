import type Docker from 'dockerode';
import { isEngineUnreachable } from '../docker/engine.ts';
import { SandboxError, errorMessage } from '../errors.ts';
import { DEFAULT_LIMITS } from './defaults.ts';
import { DockerSandbox } from './docker-sandbox.ts';
import { containerLabels } from './labels.ts';
import { deferRemoval, trackCreation, untrack } from './registry.ts';
import type { SandboxLabels, SandboxLimits, SandboxProvider } from './types.ts';

/** What root needs in official SWE-bench images (chown, apt, pip); a non-root user gets none. */
const ROOT_CAPS = ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'SETUID', 'SETGID', 'KILL'];

export interface DockerProviderOptions {
  /** Keep containers after close (`--keep`), for debugging. */
  keep?: boolean;
}

export class DockerSandboxProvider implements SandboxProvider {
  constructor(
    private readonly docker: Docker,
    private readonly options: DockerProviderOptions = {},
  ) {}

  async start(
    image: string,
    limits: Partial<SandboxLimits> = {},
    labels: SandboxLabels = { run: 'adhoc' },
  ): Promise<DockerSandbox> {
    const full: SandboxLimits = { ...DEFAULT_LIMITS, ...limits };
    let container: Docker.Container;
    try {
      container = await trackCreation(
        this.docker.createContainer({
          Image: image,
          // The container only idles; every command arrives through exec.
          Cmd: ['sleep', 'infinity'],
          User: full.user,
          WorkingDir: full.workdir,
          Labels: containerLabels(labels, { keep: this.options.keep ?? false }),
          Env: ['LANG=C.UTF-8', 'TZ=UTC', 'PYTHONDONTWRITEBYTECODE=1', 'PAGER=cat', 'GIT_PAGER=cat'],
          NetworkDisabled: !full.network,
          HostConfig: {
            NetworkMode: full.network ? 'bridge' : 'none',
            Memory: full.memoryBytes,
            MemorySwap: full.memoryBytes,
            PidsLimit: full.pidsLimit,
            NanoCpus: Math.round(full.cpus * 1e9),
            CapDrop: ['ALL'],
            CapAdd: full.user === 'root' || full.user === '0' ? ROOT_CAPS : [],
            SecurityOpt: ['no-new-privileges'],
            Init: true,
            AutoRemove: false,
          },
        }),
      );
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      if (status === 404)
        throw new SandboxError(
          'image_missing',
          `Image ${image} does not exist; build it with 'hotmess images build'.`,
          err,
        );
      throw new SandboxError('sandbox_start', `Could not create a sandbox from ${image}: ${errorMessage(err)}`, err);
    }
    try {
      await container.start();
    } catch (err) {
      await container.remove({ force: true }).then(
        () => untrack(container),
        (removal: unknown) => (isEngineUnreachable(removal) ? deferRemoval(container) : untrack(container)),
      );
      throw new SandboxError('sandbox_start', `Could not start a sandbox from ${image}: ${errorMessage(err)}`, err);
    }
    return new DockerSandbox(container, full, this.options.keep ?? false);
  }
}
