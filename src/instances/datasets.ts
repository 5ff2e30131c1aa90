import { readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { InputError, UsageError, errorMessage } from '../errors.ts';

/** A SWE-bench dataset as Hugging Face publishes it: `data/<split>-NNNNN-of-NNNNN.parquet` in a dataset repository. */
export interface KnownDataset {
  readonly name: string;
  /** `owner/name` on huggingface.co/datasets; the last part names its folder in the cache. */
  readonly repository: string;
  readonly splits: readonly string[];
}

/** The well-known sets `--dataset` names, each with its splits (the first is the default). */
export const knownDatasets: readonly KnownDataset[] = [
  { name: 'verified', repository: 'SWE-bench/SWE-bench_Verified', splits: ['test'] },
  { name: 'lite', repository: 'SWE-bench/SWE-bench_Lite', splits: ['test', 'dev'] },
  { name: 'full', repository: 'SWE-bench/SWE-bench', splits: ['test', 'dev', 'train'] },
  { name: 'multilingual', repository: 'SWE-bench/SWE-bench_Multilingual', splits: ['test'] },
];

/** The local cache of datasets: $HOTMESS_DATA, else $XDG_CACHE_HOME/hotmess, else ~/.cache/hotmess. */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HOTMESS_DATA) return path.resolve(env.HOTMESS_DATA);
  return path.join(env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'hotmess');
}

export interface DatasetRef {
  readonly dataset: KnownDataset;
  readonly split: string;
}

/** `verified`, `lite:dev`, `full:test`: a known set and one of its splits (default: its first). */
export function parseDatasetName(text: string): DatasetRef {
  const [name = '', split, ...rest] = text.trim().toLowerCase().split(':');
  const dataset = knownDatasets.find((d) => d.name === name);
  if (!dataset || rest.length > 0)
    throw new UsageError(
      `--dataset ${text} is not one of ${knownDatasets.map((d) => d.name).join(', ')} (optionally with a split, as in lite:dev).`,
    );
  const chosen = split ?? (dataset.splits[0] as string);
  if (!dataset.splits.includes(chosen))
    throw new UsageError(`--dataset ${text}: ${dataset.name} has the splits ${dataset.splits.join(', ')}.`);
  return { dataset, split: chosen };
}

export interface ResolvedDataset extends DatasetRef {
  /** The files to load, in order. */
  readonly files: string[];
  /** Where the set's folder in the cache is. */
  readonly folder: string;
}

/**
 * The files of a known set in the cache: `<cache>/<name>/data/<split>-*.parquet` as a download of the Hugging
 * Face repository leaves them, else a JSON Lines export `<cache>/<name>.<split>.jsonl`. A set that is not there is
 * an InputError whose one sentence says where to put it and where it comes from.
 */
export async function resolveDataset(text: string, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedDataset> {
  const ref = parseDatasetName(text);
  const cache = dataDir(env);
  const base = ref.dataset.repository.split('/').at(-1) as string;
  const folder = path.join(cache, base);
  const shards = (await namesIn(path.join(folder, 'data')))
    .filter((name) => name.startsWith(`${ref.split}-`) && name.endsWith('.parquet'))
    .sort()
    .map((name) => path.join(folder, 'data', name));
  if (shards.length > 0) return { ...ref, folder, files: shards };
  const jsonl = `${base}.${ref.split}.jsonl`;
  if ((await namesIn(cache)).includes(jsonl)) return { ...ref, folder, files: [path.join(cache, jsonl)] };
  const url = `https://huggingface.co/datasets/${ref.dataset.repository}`;
  throw new InputError(
    `The ${ref.dataset.name} dataset (${ref.split} split) is not in ${cache}: put its ${path.join('data', `${ref.split}-*.parquet`)} from ${url} into ${folder} (huggingface-cli download ${ref.dataset.repository} --repo-type dataset --local-dir ${folder} does that), or set HOTMESS_DATA to where it is.`,
    folder,
  );
}

async function namesIn(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw new InputError(`Cannot read the dataset folder ${dir}: ${errorMessage(err)}.`, dir, undefined, err);
  }
}
