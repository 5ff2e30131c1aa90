import { z } from 'zod';
import type { RegistryCredentials } from './docker-config.ts';
import { DOCKER_HUB, isLoopbackRegistry, type ImageReference } from './reference.ts';

const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
].join(', ');

const descriptor = z.object({ size: z.number(), digest: z.string() });
const manifestSchema = z.union([
  z.object({
    manifests: z.array(
      descriptor.extend({
        platform: z.object({ architecture: z.string(), os: z.string() }).optional(),
      }),
    ),
  }),
  z.object({ config: descriptor, layers: z.array(descriptor) }),
]);
const tokenSchema = z.object({ token: z.string().optional(), access_token: z.string().optional() });

/** What the registry says about an image before pulling it. */
export type ManifestAnswer =
  { found: true; downloadBytes: number; layers: number } | { found: false; status: number; reason: string };

/**
 * The compressed size of an image (config plus layers of its linux/amd64 manifest), asked of the registry's
 * HTTP API the way the engine does (a bearer token from the realm the registry names, with the user's
 * credentials when there are any). Network failures are thrown; a registry's "no" is an answer.
 */
export async function fetchManifestSize(
  ref: ImageReference,
  credentials: RegistryCredentials | undefined,
  timeoutMs = 10_000,
): Promise<ManifestAnswer> {
  const base = registryBaseUrl(ref.registry);
  const session = new RegistrySession(credentials, timeoutMs);
  const first = await session.get(`${base}/v2/${ref.repository}/manifests/${ref.digest ?? ref.tag}`, ref.repository);
  if (!first.ok) return { found: false, status: first.status, reason: first.statusText };
  let manifest = manifestSchema.parse(await first.json());
  if ('manifests' in manifest) {
    const pick =
      manifest.manifests.find((m) => m.platform?.os === 'linux' && m.platform.architecture === 'amd64') ??
      manifest.manifests[0];
    if (!pick) return { found: false, status: 404, reason: 'empty manifest list' };
    const second = await session.get(`${base}/v2/${ref.repository}/manifests/${pick.digest}`, ref.repository);
    if (!second.ok) return { found: false, status: second.status, reason: second.statusText };
    manifest = manifestSchema.parse(await second.json());
    if ('manifests' in manifest) return { found: false, status: 400, reason: 'nested manifest list' };
  }
  const downloadBytes = manifest.config.size + manifest.layers.reduce((sum, l) => sum + l.size, 0);
  return { found: true, downloadBytes, layers: manifest.layers.length };
}

export function registryBaseUrl(registry: string): string {
  if (registry === DOCKER_HUB) return 'https://registry-1.docker.io';
  return `${isLoopbackRegistry(registry) ? 'http' : 'https'}://${registry}`;
}

/** One registry conversation: answers a 401's challenge once (Bearer token or Basic) and keeps the token. */
class RegistrySession {
  private authorization: string | undefined;

  constructor(
    private readonly credentials: RegistryCredentials | undefined,
    private readonly timeoutMs: number,
  ) {}

  async get(url: string, repository: string): Promise<Response> {
    const first = await this.fetch(url);
    if (first.status !== 401 || this.authorization) return first;
    const challenge = first.headers.get('www-authenticate') ?? '';
    this.authorization = await this.answer(challenge, repository);
    return this.authorization ? this.fetch(url) : first;
  }

  private fetch(url: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(url, {
      headers: {
        accept: MANIFEST_TYPES,
        ...(this.authorization ? { authorization: this.authorization } : {}),
        ...headers,
      },
      signal: AbortSignal.timeout(this.timeoutMs),
    });
  }

  private basic(): string | undefined {
    const c = this.credentials;
    if (!c?.username || c.password === undefined) return undefined;
    return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
  }

  private async answer(challenge: string, repository: string): Promise<string | undefined> {
    if (/^basic/i.test(challenge)) return this.basic();
    if (!/^bearer/i.test(challenge)) return undefined;
    const params = Object.fromEntries(
      [...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]?.toLowerCase(), m[2]] as const),
    );
    if (!params.realm) return undefined;
    const url = new URL(params.realm);
    if (params.service) url.searchParams.set('service', params.service);
    url.searchParams.set('scope', params.scope ?? `repository:${repository}:pull`);
    const basic = this.basic();
    const res = await fetch(url, {
      headers: basic ? { authorization: basic } : {},
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!res.ok) return undefined;
    const token = tokenSchema.parse(await res.json());
    const value = token.token ?? token.access_token;
    return value ? `Bearer ${value}` : undefined;
  }
}
