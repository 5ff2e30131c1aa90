import type Docker from 'dockerode';
import { DockerUnavailableError, errorMessage } from '../errors.ts';

/**
 * A dockerode client for DOCKER_HOST (or the local socket), as the docker CLI would pick. dockerode is loaded
 * on first use, so that commands which never touch Docker (stats, report, grade, --help) start without it.
 */
export async function dockerClient(): Promise<Docker> {
  const { default: Dockerode } = await import('dockerode');
  // dockerode reads DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH itself when given no options.
  return new Dockerode();
}

export function engineAddress(): string {
  return process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
}

export interface EngineInfo {
  address: string;
  serverVersion: string;
  apiVersion: string;
  storageDriver: string;
  cgroupVersion: string;
  dockerRootDir: string;
  containers: number;
  images: number;
}

/** Fails with one sentence saying what to do when no engine answers. */
export async function connectEngine(client?: Docker, timeoutMs = 5000): Promise<{ docker: Docker; info: EngineInfo }> {
  const docker = client ?? (await dockerClient());
  try {
    const [info, version] = await withTimeout(Promise.all([docker.info(), docker.version()]), timeoutMs);
    const i = info as Record<string, unknown>;
    return {
      docker,
      info: {
        address: engineAddress(),
        serverVersion: String(i.ServerVersion ?? version.Version),
        apiVersion: String(version.ApiVersion),
        storageDriver: String(i.Driver ?? 'unknown'),
        cgroupVersion: String(i.CgroupVersion ?? 'unknown'),
        dockerRootDir: String(i.DockerRootDir ?? '/var/lib/docker'),
        containers: Number(i.Containers ?? 0),
        images: Number(i.Images ?? 0),
      },
    };
  } catch (err) {
    throw new DockerUnavailableError(
      `No Docker engine answers at ${engineAddress()} (${errorMessage(err)}); start one (as root: scripts/setup.sh installs and starts it) or set DOCKER_HOST.`,
      err,
    );
  }
}

/** Whether the engine still answers a ping (a run asks this when an unroll fails, to tell a dead engine apart). */
export async function engineAnswers(docker: Docker, timeoutMs = 5000): Promise<boolean> {
  try {
    await withTimeout(docker.ping(), timeoutMs);
    return true;
  } catch {
    return false;
  }
}

/** Socket errors of an engine that is down or restarting, as opposed to one that answered and refused. */
const unreachableCodes = new Set(['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);

/** Whether an API call failed because the engine did not answer (or failed inside), so trying again later may work. */
export function isEngineUnreachable(err: unknown): boolean {
  const { statusCode, code } = (err ?? {}) as { statusCode?: unknown; code?: unknown };
  if (typeof statusCode === 'number') return statusCode >= 500;
  return typeof code === 'string' && unreachableCodes.has(code);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
