import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { HotmessError } from '../errors.ts';
import { blobKey } from './names.ts';

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A blob a job names is not in Redis (lost with a Redis restart that kept no data): the job is tried again. */
export class MissingBlobError extends HotmessError {
  constructor(readonly sha: string) {
    super('queue_blob_missing', `The queue holds no blob ${sha.slice(0, 12)}: the coordinator stores it again.`, {
      infrastructure: true,
    });
  }
}

/** Files and task definitions in Redis, stored once each under the sha256 of their bytes. */
export class BlobStore {
  constructor(private readonly redis: Redis) {}

  /** Stores the bytes unless a blob of that hash is there already; returns the hash. */
  async put(data: Buffer | string): Promise<string> {
    const sha = sha256(data);
    await this.redis.set(blobKey(sha), data, 'NX');
    return sha;
  }

  async has(sha: string): Promise<boolean> {
    return (await this.redis.exists(blobKey(sha))) === 1;
  }

  async get(sha: string): Promise<Buffer> {
    const data = await this.redis.getBuffer(blobKey(sha));
    if (data === null) throw new MissingBlobError(sha);
    if (sha256(data) !== sha) throw new Error(`blob ${sha} does not hash to its name`);
    return data;
  }
}
