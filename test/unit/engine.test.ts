import { execa } from 'execa';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectEngine, dockerClient } from '../../src/docker/engine.ts';
import { DockerUnavailableError } from '../../src/errors.ts';
import { repoRoot } from '../../src/paths.ts';

const nowhere = 'unix:///nonexistent/hotmess-test/docker.sock';

describe('a dead Docker engine', () => {
  it('is a named error saying where hotmess looked and what to do', async () => {
    const previous = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = nowhere;
    try {
      const err = await connectEngine(await dockerClient(), 2000).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DockerUnavailableError);
      expect((err as Error).message).toContain(nowhere);
      expect((err as Error).message).toMatch(/start one|DOCKER_HOST/);
    } finally {
      if (previous === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = previous;
    }
  });

  it('makes `hotmess doctor` exit 3 with one line and no stack trace', async () => {
    const r = await execa('node', [path.join(repoRoot, 'bin/hotmess.js'), 'doctor'], {
      env: { DOCKER_HOST: nowhere },
      reject: false,
    });
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toMatch(/docker engine\s+unreachable/);
    // Nothing can be told about the disk or the images without an engine: neither "ok" nor "missing".
    expect(r.stdout).toMatch(/^free disk\s+unknown\s+unknown$/m);
    expect(r.stdout).toMatch(/^base image\s+unknown\s+hotmess\/base:\w+ \(no engine to ask\)$/m);
    const errLines = r.stderr.trim().split('\n');
    expect(errLines).toHaveLength(1);
    expect(errLines[0]).toMatch(/^hotmess: No Docker engine answers at unix:\/\/\/nonexistent/);
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('makes `hotmess doctor --json` say unknown, not absent, for what it could not ask', async () => {
    const r = await execa('node', [path.join(repoRoot, 'bin/hotmess.js'), 'doctor', '--json'], {
      env: { DOCKER_HOST: nowhere },
      reject: false,
    });
    expect(r.exitCode).toBe(3);
    const report = JSON.parse(r.stdout) as {
      freeDiskBytes: unknown;
      baseImage: { present: unknown };
      images: { list: unknown[] };
    };
    expect(report).toMatchObject({ freeDiskBytes: null, baseImage: { present: null }, images: { list: [] } });
  });

  it('makes `hotmess exec` fail the same way', async () => {
    const r = await execa('node', [path.join(repoRoot, 'bin/hotmess.js'), 'exec', '--', 'true'], {
      env: { DOCKER_HOST: nowhere },
      reject: false,
    });
    expect(r.exitCode).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
