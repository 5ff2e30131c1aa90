import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../errors.ts';
import { dockerConfigPath, registryCredentials } from './docker-config.ts';

const dir = await mkdtemp(path.join(tmpdir(), 'hotmess-docker-config-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

async function config(json: unknown): Promise<string> {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, typeof json === 'string' ? json : JSON.stringify(json));
  return file;
}

describe('registry credentials, read as docker pull reads them', () => {
  it('decodes the base64 auth of the registry, and Docker Hub under its historical key', async () => {
    const file = await config({
      auths: {
        '127.0.0.1:5000': { auth: Buffer.from('alice:s3:cret').toString('base64') },
        'https://index.docker.io/v1/': { auth: Buffer.from('bob:pw').toString('base64') },
        'https://ghcr.io': { identitytoken: 'tok' },
      },
    });
    expect(await registryCredentials('127.0.0.1:5000', file)).toEqual({
      username: 'alice',
      password: 's3:cret',
      serveraddress: '127.0.0.1:5000',
    });
    expect(await registryCredentials('docker.io', file)).toEqual({
      username: 'bob',
      password: 'pw',
      serveraddress: 'https://index.docker.io/v1/',
    });
    expect(await registryCredentials('ghcr.io', file)).toEqual({ identitytoken: 'tok', serveraddress: 'ghcr.io' });
    expect(await registryCredentials('other.example', file)).toBeUndefined();
  });

  it('goes anonymous without a config or when the named credential helper is not installed', async () => {
    expect(await registryCredentials('docker.io', path.join(dir, 'absent.json'))).toBeUndefined();
    const file = await config({ credsStore: 'hotmess-none-such', auths: {} });
    expect(await registryCredentials('docker.io', file)).toBeUndefined();
  });

  it('names a config it cannot use', async () => {
    await expect(registryCredentials('docker.io', await config('{nope'))).rejects.toThrow(InputError);
    const bad = await config({ auths: { 'x.example': { auth: Buffer.from('nocolon').toString('base64') } } });
    await expect(registryCredentials('x.example', bad)).rejects.toThrow(/not base64 of user:password/);
  });

  it('is found where the docker CLI looks', () => {
    expect(dockerConfigPath({ DOCKER_CONFIG: '/etc/dc' })).toBe('/etc/dc/config.json');
  });
});
