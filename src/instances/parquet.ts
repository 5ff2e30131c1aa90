import { readFile } from 'node:fs/promises';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { InputError, errorMessage } from '../errors.ts';

/** One row of a Parquet file as a plain record, and its 1-based row number (reported as the record's line). */
export interface ParquetRecord {
  readonly value: Record<string, unknown>;
  readonly line: number;
}

/**
 * Reads every row of a Parquet file (as Hugging Face serves datasets: `data/test-00000-of-00001.parquet`), with
 * any of the usual codecs. Values become what a JSON export of the same rows holds: timestamps as ISO strings,
 * 64-bit integers as numbers, lists as arrays; the schema check of each record is the loader's job.
 */
export async function readParquetRecords(file: string): Promise<ParquetRecord[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new InputError(`Cannot read instance file ${file}: ${errorMessage(err)}.`, file, undefined, err);
  }
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  let rows: Record<string, unknown>[];
  try {
    rows = await parquetReadObjects({ file: buffer as ArrayBuffer, compressors, utf8: true });
  } catch (err) {
    throw new InputError(`${file} is not a readable Parquet file: ${errorMessage(err)}.`, file, undefined, err);
  }
  return rows.map((row, i) => ({ value: plain(row) as Record<string, unknown>, line: i + 1 }));
}

function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}
