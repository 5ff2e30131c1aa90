import { HotmessError } from '../errors.ts';
import { registryDisplayName } from './reference.ts';

export type PullFailure = 'unreachable' | 'not_found' | 'unauthorized' | 'disk_full' | 'timeout' | 'failed';

/**
 * A pull that did not give an image, named by cause. It is the infrastructure's failure, never the agent's:
 * the task is reported as not run and the other tasks go on. Exit code 4, as for an image that did not build.
 */
export class PullError extends HotmessError {
  constructor(
    readonly failure: PullFailure,
    readonly image: string,
    readonly registry: string,
    message: string,
    readonly transient: boolean,
    cause?: unknown,
  ) {
    super(`pull_${failure}`, message, { cause, exitCode: 4 });
  }
}

const patterns: [PullFailure, RegExp][] = [
  ['disk_full', /no space left on device|disk quota exceeded/i],
  ['unauthorized', /unauthorized|authentication required|incorrect username or password|denied: requested access/i],
  ['not_found', /manifest unknown|not found|repository does not exist|no such image|name unknown/i],
  [
    'unreachable',
    /connection refused|no such host|dial tcp|network is unreachable|no route to host|i\/o timeout|tls handshake timeout|server misbehaving|connection reset|request canceled|ECONNREFUSED|EAI_AGAIN|ENOTFOUND|ETIMEDOUT|EOF/i,
  ],
];

/** Server-side trouble that a later attempt may not meet: retried with backoff. */
const transientServer =
  /toomanyrequests|too many requests|\b50[0234]\b|bad gateway|service unavailable|gateway timeout/i;

/** Names the cause of a failed pull from the engine's message, with one sentence saying what to do. */
export function classifyPullError(
  image: string,
  registry: string,
  detail: string,
  opts: { hasCredentials: boolean },
  cause?: unknown,
): PullError {
  const where = registryDisplayName(registry);
  const short = detail.replace(/\s+/g, ' ').trim().slice(0, 300);
  // Docker Hub answers "pull access denied ... may require 'docker login'" both for a missing and a private image.
  if (/pull access denied|may require 'docker login'/i.test(detail) && !opts.hasCredentials) {
    return new PullError(
      'not_found',
      image,
      registry,
      `${where} has no image ${image} that can be pulled without logging in (${short}): check the instance id and --registry / --image-template, or log in with docker login ${registry} if it is private.`,
      false,
      cause,
    );
  }
  const failure = patterns.find(([, re]) => re.test(detail))?.[0];
  switch (failure) {
    case 'disk_full':
      return new PullError(
        'disk_full',
        image,
        registry,
        `The Docker engine's disk filled up while pulling ${image} from ${where} (${short}): free space (docker system df shows what uses it) or set --max-image-disk GB so hotmess removes the images of finished tasks.`,
        false,
        cause,
      );
    case 'unauthorized':
      return new PullError(
        'unauthorized',
        image,
        registry,
        `${where} refused to give ${image} as unauthorized (${short}): log in with docker login ${registry} (hotmess reads the Docker client config, ~/.docker/config.json) or check the credentials stored there.`,
        false,
        cause,
      );
    case 'not_found':
      return new PullError(
        'not_found',
        image,
        registry,
        `${where} has no image ${image} (${short}): check the instance id and --registry / --image-template, or give the record a 'source' to build it from.`,
        false,
        cause,
      );
    case 'unreachable':
      return new PullError(
        'unreachable',
        image,
        registry,
        `Registry ${where} cannot be reached to pull ${image} (${short}): check the network or proxy of the Docker engine, or pull from a reachable mirror with --registry HOST[:PORT][/PREFIX].`,
        true,
        cause,
      );
    default:
      return new PullError(
        'failed',
        image,
        registry,
        `Pulling ${image} from ${where} failed (${short}): retry later, or pull it by hand with docker pull ${image} to see more.`,
        transientServer.test(detail),
        cause,
      );
  }
}

export function pullTimeoutError(image: string, registry: string, seconds: number): PullError {
  return new PullError(
    'timeout',
    image,
    registry,
    `Pulling ${image} from ${registryDisplayName(registry)} took longer than ${seconds} s: retry when the network is faster, raise --pull-timeout, or fetch the images ahead with hotmess images pull.`,
    false,
  );
}
