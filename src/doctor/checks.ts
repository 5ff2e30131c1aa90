import { statfs } from 'node:fs/promises';
import type Docker from 'dockerode';
import { execa } from 'execa';
import { errorMessage } from '../errors.ts';
import { baseImageSpec } from '../images/base.ts';
import { listHotmessImages, type HotmessImage } from '../images/list.ts';
import { planImages } from '../images/plan.ts';
import type { ImageSourceOptions } from '../images/source-options.ts';
import type { Instance } from '../instances/schema.ts';
import { LABEL_RUN } from '../sandbox/labels.ts';
import { connectEngine, engineAddress, type EngineInfo } from '../docker/engine.ts';

export interface DoctorReport {
  engine: { reachable: true; info: EngineInfo } | { reachable: false; address: string; error: string };
  /** null when it cannot be told (no engine, or a remote one). */
  freeDiskBytes: number | null;
  /** `present` is null when no engine answers. */
  baseImage: { tag: string; present: boolean | null };
  images: { base: number; env: number; instance: number; list: { kind: HotmessImage['kind']; tag: string }[] };
  leftoverContainers: number;
  debootstrap: boolean;
  /** For the task set asked about: how many of its images are here, to pull, or to build. */
  taskImages?: TaskImageCount;
  ok: boolean;
}

export interface TaskImageCount {
  source: string;
  total: number;
  present: number;
  toPull: number;
  toBuild: number;
}

export interface DoctorOptions {
  /** A task set whose images to count, with where missing ones would be pulled from. */
  tasks?: { source: string; instances: readonly Instance[]; images?: ImageSourceOptions };
}

/** What `hotmess doctor` checks: is there an engine, room on disk, and which hotmess images exist. */
export async function runDoctor(options: DoctorOptions = {}): Promise<DoctorReport> {
  const base = await baseImageSpec();
  const debootstrap = await execa('debootstrap', ['--version'], { reject: false }).then(
    (r) => r.exitCode === 0 || r.exitCode === 1,
    () => false,
  );
  let connected;
  try {
    connected = await connectEngine();
  } catch (err) {
    return {
      engine: { reachable: false, address: engineAddress(), error: errorMessage(err) },
      freeDiskBytes: null,
      baseImage: { tag: base.tag, present: null },
      images: { base: 0, env: 0, instance: 0, list: [] },
      leftoverContainers: 0,
      debootstrap,
      ok: false,
    };
  }
  const { docker, info } = connected;
  const images = await listHotmessImages(docker);
  const containers = await docker.listContainers({ all: true, filters: { label: [LABEL_RUN] } });
  const count = (kind: string) => images.filter((i) => i.kind === kind).length;
  return {
    engine: { reachable: true, info },
    freeDiskBytes: info.address.startsWith('unix://') ? await freeBytes(info.dockerRootDir) : null,
    baseImage: { tag: base.tag, present: images.some((i) => i.tags.includes(base.tag)) },
    images: {
      base: count('base'),
      env: count('env'),
      instance: count('instance'),
      list: images.map((i) => ({ kind: i.kind, tag: i.tags[0] ?? i.id.slice(7, 19) })),
    },
    leftoverContainers: containers.length,
    debootstrap,
    ...(options.tasks ? { taskImages: await countTaskImages(docker, options.tasks) } : {}),
    ok: true,
  };
}

/** The task set's images by where they would come from; nothing is pulled, built or asked of a registry. */
async function countTaskImages(docker: Docker, tasks: NonNullable<DoctorOptions['tasks']>): Promise<TaskImageCount> {
  const plan = await planImages(docker, tasks.instances, { ...tasks.images, askRegistry: false });
  return {
    source: tasks.source,
    total: plan.length,
    present: plan.filter((p) => p.present).length,
    toPull: plan.filter((p) => p.source === 'pull').length,
    toBuild: plan.filter((p) => p.source === 'build' && !p.present).length,
  };
}

/** Free space where the engine keeps its data, when that directory is on this machine. */
async function freeBytes(dir: string): Promise<number | null> {
  for (const candidate of [dir, '/']) {
    try {
      const s = await statfs(candidate);
      return s.bavail * s.bsize;
    } catch {
      // remote engine or unreadable: try the next
    }
  }
  return null;
}
