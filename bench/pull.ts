import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectEngine } from '../src/docker/engine.ts';
import { buildImage } from '../src/images/build.ts';
import { imageExists } from '../src/images/inspect.ts';
import { pullImage } from '../src/images/pull.ts';
import { PulledImages } from '../src/images/pulled-state.ts';
import { parseImageReference } from '../src/images/reference.ts';
import { fetchManifestSize } from '../src/images/registry-http.ts';
import { startRegistry } from '../test/helpers/registry.ts';
import { row, summarize } from './util.ts';

/**
 * Pull time of an image from a loopback registry (Debian's docker-registry) through hotmess (dockerode, with
 * progress, ownership record) against `docker pull` in the same run, and its disk figures: download size as
 * the registry's manifest gives it, size on the engine's disk. The image is one layer of random bytes, so
 * nothing of it is on the engine beforehand and every pull really downloads and extracts it.
 */
export async function benchPull(opts: { megabytes?: number; rounds?: number } = {}): Promise<Record<string, number>> {
  const megabytes = opts.megabytes ?? 64;
  const rounds = opts.rounds ?? 3;
  const { docker } = await connectEngine();
  const registry = await startRegistry();
  const state = await mkdtemp(path.join(tmpdir(), 'hotmess-bench-pull-'));
  const local = `hotmess-bench/pull:${process.pid}`;
  const remote = `${registry.address}/hotmess-bench/pull:${process.pid}`;
  try {
    await buildImage(docker, {
      tag: local,
      dockerfile: 'FROM scratch\nCOPY blob /blob\n',
      context: [{ name: 'blob', content: randomBytes(megabytes * 1024 * 1024) }],
    });
    await execa('docker', ['tag', local, remote]);
    let t = performance.now();
    await execa('docker', ['push', remote]);
    const pushMs = performance.now() - t;
    await docker.getImage(remote).remove();
    await docker.getImage(local).remove();
    const manifest = await fetchManifestSize(parseImageReference(remote), undefined);
    if (!manifest.found) throw new Error(`the registry does not have ${remote}`);

    const pulled = new PulledImages(state);
    const hotmess: number[] = [];
    const cli: number[] = [];
    let diskBytes = 0;
    for (let i = 0; i < rounds; i++) {
      t = performance.now();
      const result = await pullImage(docker, remote, { pulled });
      hotmess.push(performance.now() - t);
      diskBytes = result.sizeBytes;
      await pulled.remove(docker, result.record);
      t = performance.now();
      await execa('docker', ['pull', '-q', remote]);
      cli.push(performance.now() - t);
      await docker.getImage(remote).remove();
    }
    const h = summarize(hotmess);
    const c = summarize(cli);
    console.log(
      `image: one ${megabytes} MiB layer of random bytes, pushed to ${registry.address} in ${(pushMs / 1000).toFixed(1)} s`,
    );
    console.log(row('hotmess pullImage (dockerode, progress)', h));
    console.log(row('docker pull -q (CLI)', c));
    console.log(`  ratio hotmess / docker pull: ${(h.median / c.median).toFixed(2)} (goal ≤ 1.10)`);
    console.log(`  throughput: ${(manifest.downloadBytes / 1e6 / (h.median / 1000)).toFixed(0)} MB/s`);
    console.log(`  download size (registry manifest): ${(manifest.downloadBytes / 1e6).toFixed(1)} MB`);
    console.log(`  size on the engine's disk: ${(diskBytes / 1e6).toFixed(1)} MB`);
    return {
      pullMedianMs: h.median,
      dockerPullMedianMs: c.median,
      ratioHotmessToCli: h.median / c.median,
      downloadMB: manifest.downloadBytes / 1e6,
      diskMB: diskBytes / 1e6,
      pushMs,
    };
  } finally {
    for (const tag of [remote, local])
      if (await imageExists(docker, tag)) await docker.getImage(tag).remove({ force: true });
    await registry.close();
    await rm(state, { recursive: true, force: true });
  }
}
