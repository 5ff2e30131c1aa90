import { execa } from 'execa';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.ts';
import { DOCKER_HUB } from './reference.ts';

/** What the engine's pull endpoint takes as X-Registry-Auth (dockerode's `authconfig`). */
export interface RegistryCredentials {
  username?: string;
  password?: string;
  identitytoken?: string;
  serveraddress: string;
}

const configSchema = z.object({
  auths: z
    .record(
      z.string(),
      z.object({
        auth: z.string().optional(),
        username: z.string().optional(),
        password: z.string().optional(),
        identitytoken: z.string().optional(),
      }),
    )
    .optional(),
  credsStore: z.string().optional(),
  credHelpers: z.record(z.string(), z.string()).optional(),
});
type DockerConfig = z.infer<typeof configSchema>;

const helperAnswer = z.object({ Username: z.string(), Secret: z.string() });

/** The client config `docker pull` reads: $DOCKER_CONFIG/config.json, else ~/.docker/config.json. */
export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.DOCKER_CONFIG ?? path.join(homedir(), '.docker'), 'config.json');
}

/** The key Docker Hub's credentials are stored under, for historical reasons. */
const HUB_SERVER = 'https://index.docker.io/v1/';
const HUB_KEYS = [HUB_SERVER, 'index.docker.io', 'docker.io', 'registry-1.docker.io'];

function hostOf(key: string): string {
  return key.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');
}

/**
 * Credentials for a registry as the docker CLI finds them: a credential helper for that host, the global
 * credential store, or the base64 `auth` (or username/password, identity token) under `auths`.
 * No entry: undefined, and the pull goes anonymous.
 */
export async function registryCredentials(
  registry: string,
  configPath = dockerConfigPath(),
): Promise<RegistryCredentials | undefined> {
  const config = await readDockerConfig(configPath);
  if (!config) return undefined;
  const keys = registry === DOCKER_HUB ? HUB_KEYS : [registry];
  const serveraddress = registry === DOCKER_HUB ? HUB_SERVER : registry;
  const helper = keys.map((k) => config.credHelpers?.[k]).find(Boolean) ?? config.credsStore;
  if (helper) {
    const fromHelper = await askHelper(helper, serveraddress);
    if (fromHelper) return { ...fromHelper, serveraddress };
  }
  const entry = Object.entries(config.auths ?? {}).find(([key]) => keys.some((k) => k === key || k === hostOf(key)));
  if (!entry) return undefined;
  const [, value] = entry;
  if (value.identitytoken) return { identitytoken: value.identitytoken, serveraddress };
  if (value.auth) {
    const decoded = Buffer.from(value.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0)
      throw new InputError(
        `${configPath}: the auth entry for ${registry} is not base64 of user:password; log in again with docker login ${registry}.`,
        configPath,
      );
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), serveraddress };
  }
  if (value.username !== undefined && value.password !== undefined)
    return { username: value.username, password: value.password, serveraddress };
  return undefined;
}

async function readDockerConfig(configPath: string): Promise<DockerConfig | undefined> {
  let text: string;
  try {
    text = await readFile(configPath, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InputError(`Docker client config ${configPath} cannot be read (${(err as Error).message}).`, configPath);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InputError(`Docker client config ${configPath} is not valid JSON.`, configPath);
  }
  const parsed = configSchema.safeParse(json);
  if (!parsed.success)
    throw new InputError(
      `Docker client config ${configPath}: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? 'has a bad shape'}.`,
      configPath,
    );
  return parsed.data;
}

/** `docker-credential-<helper> get`, as the CLI runs it; a helper that is missing or knows nothing gives none. */
async function askHelper(
  helper: string,
  server: string,
): Promise<{ username: string; password: string } | { identitytoken: string } | undefined> {
  const result = await execa(`docker-credential-${helper}`, ['get'], { input: server, reject: false, timeout: 10_000 });
  if (result.exitCode !== 0 || typeof result.stdout !== 'string') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(result.stdout);
  } catch {
    return undefined;
  }
  const parsed = helperAnswer.safeParse(json);
  if (!parsed.success) return undefined;
  // The CLI's convention: the user name <token> marks an identity token.
  if (parsed.data.Username === '<token>') return { identitytoken: parsed.data.Secret };
  return { username: parsed.data.Username, password: parsed.data.Secret };
}
