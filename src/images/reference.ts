/** An image reference split as the Docker engine reads it: registry host, repository path, tag or digest. */
export interface ImageReference {
  /** `docker.io` for Docker Hub, else `host[:port]`. */
  registry: string;
  /** The repository path inside the registry (`library/x` for Docker Hub's official single-name images). */
  repository: string;
  tag: string;
  digest?: string;
}

export const DOCKER_HUB = 'docker.io';

/**
 * Docker's rule: the first path component is a registry when it holds a `.` or `:`, or is `localhost`;
 * otherwise the reference is on Docker Hub.
 */
export function parseImageReference(ref: string): ImageReference {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first : DOCKER_HUB;
  let path = hasRegistry ? rest.slice(slash + 1) : rest;
  let tag = 'latest';
  const colon = path.lastIndexOf(':');
  if (colon > path.lastIndexOf('/')) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
  }
  const repository = registry === DOCKER_HUB && !path.includes('/') ? `library/${path}` : path;
  return { registry, repository, tag, ...(digest ? { digest } : {}) };
}

/** Whether a registry host is this machine: the engine talks plain HTTP to those, as Docker allows. */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registry.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The host name a person would type to `docker login` for this registry. */
export function registryDisplayName(registry: string): string {
  return registry === DOCKER_HUB ? 'Docker Hub (docker.io)' : registry;
}
