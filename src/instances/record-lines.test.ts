import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRecordLines } from './record-lines.ts';
import { parseInstanceFile } from './load.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'record-lines-'));
let files = 0;
const fileOf = (text: string | Buffer) => {
  const file = path.join(dir, `${files++}.jsonl`);
  writeFileSync(file, text);
  return file;
};
const lines = (...records: object[]) => fileOf(records.map((r) => JSON.stringify(r)).join('\n') + '\n');

describe('findRecordLines', () => {
  it('returns the line whose instance_id it is, not a line that only mentions the id', async () => {
    const bytes = lines(
      { instance_id: 'a__a-1', hints_text: 'see "b__b-2"' },
      { instance_id: 'c__c-3' },
      { instance_id: 'b__b-2', n: 2 },
    );
    expect(await findRecordLines(bytes, new Set(['b__b-2']))).toEqual([{ value: { instance_id: 'b__b-2', n: 2 }, line: 3 }]);
  });

  it('leaves to the full parse an id it cannot find, a broken line, a JSON file, and a nested id', async () => {
    expect(await findRecordLines(lines({ instance_id: 'a' }), new Set(['z']))).toBeUndefined();
    expect(await findRecordLines(fileOf('{"instance_id": "a", oops\n'), new Set(['a']))).toBeUndefined();
    expect(await findRecordLines(fileOf('[{"instance_id": "a"}]'), new Set(['a']))).toBeUndefined();
    expect(await findRecordLines(fileOf('{\n  "instance_id": "a"\n}\n'), new Set(['a']))).toBeUndefined();
    const nested = lines({ meta: { instance_id: 'a' }, instance_id: 'b' });
    expect(await findRecordLines(nested, new Set(['a']))).toBeUndefined();
  });

  const verified = path.resolve(__dirname, '../../../shared/swebench/datasets/SWE-bench_Verified.test.jsonl');
  it('finds lines that span chunks, and a last line without a newline', async () => {
    const long = 'x'.repeat(1.5 * 2 ** 20);
    const file = fileOf(
      [{ instance_id: 'a', long }, { instance_id: 'b', long }, { instance_id: 'c' }].map((r) => JSON.stringify(r)).join('\r\n'),
    );
    expect(await findRecordLines(file, new Set(['c', 'b']))).toEqual([
      { value: { instance_id: 'b', long }, line: 2 },
      { value: { instance_id: 'c' }, line: 3 },
    ]);
  });

  it.runIf(existsSync(verified))('agrees with the full parse on SWE-bench Verified', async () => {
    const full = parseInstanceFile(verified, readFileSync(verified, 'utf8')).records;
    const idOf = (r: { value: unknown }) => (r.value as { instance_id: string }).instance_id;
    const some = ['django__django-11099', 'astropy__astropy-12907', idOf(full.at(-1)!)];
    expect(await findRecordLines(verified, new Set(some))).toEqual(full.filter((r) => some.includes(idOf(r))));
    expect(await findRecordLines(verified, new Set(full.map(idOf)))).toEqual(full);
  });
  if (!existsSync(verified)) console.log(`skipped the Verified comparison: ${verified} is absent`);
});
