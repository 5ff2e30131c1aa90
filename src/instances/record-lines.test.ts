import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRecordLines } from './record-lines.ts';
import { parseInstanceFile } from './load.ts';

const lines = (...records: object[]) => Buffer.from(records.map((r) => JSON.stringify(r)).join('\n') + '\n');

describe('findRecordLines', () => {
  it('returns the line whose instance_id it is, not a line that only mentions the id', () => {
    const bytes = lines(
      { instance_id: 'a__a-1', hints_text: 'see "b__b-2"' },
      { instance_id: 'c__c-3' },
      { instance_id: 'b__b-2', n: 2 },
    );
    expect(findRecordLines(bytes, new Set(['b__b-2']))).toEqual([{ value: { instance_id: 'b__b-2', n: 2 }, line: 3 }]);
  });

  it('leaves to the full parse an id it cannot find, a broken line, and a JSON array', () => {
    expect(findRecordLines(lines({ instance_id: 'a' }), new Set(['z']))).toBeUndefined();
    expect(findRecordLines(Buffer.from('{"instance_id": "a", oops\n'), new Set(['a']))).toBeUndefined();
    expect(findRecordLines(Buffer.from('[{"instance_id": "a"}]'), new Set(['a']))).toBeUndefined();
  });

  const verified = path.resolve(__dirname, '../../../shared/swebench/datasets/SWE-bench_Verified.test.jsonl');
  it.runIf(existsSync(verified))('agrees with the full parse on SWE-bench Verified', () => {
    const bytes = readFileSync(verified);
    const full = parseInstanceFile(verified, bytes.toString('utf8')).records;
    const ids = ['django__django-11099', 'astropy__astropy-12907', String((full.at(-1)?.value as { instance_id: string }).instance_id)];
    const quick = findRecordLines(bytes, new Set(ids));
    expect(quick).toEqual(full.filter((r) => ids.includes((r.value as { instance_id: string }).instance_id)));
  });
  if (!existsSync(verified)) console.log(`skipped the Verified comparison: ${verified} is absent`);
});
