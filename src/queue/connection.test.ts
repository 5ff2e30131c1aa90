import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.ts';
import { parseQueueAddress } from './connection.ts';

describe('--queue addresses', () => {
  it('read host, port and database', () => {
    expect(parseQueueAddress('redis://127.0.0.1:6379')).toMatchObject({ host: '127.0.0.1', port: 6379, db: 0 });
    expect(parseQueueAddress('redis://queue.lan:7000/3')).toMatchObject({ host: 'queue.lan', port: 7000, db: 3 });
    expect(parseQueueAddress('redis://[::1]:6379/1')).toMatchObject({ host: '::1', port: 6379, db: 1 });
  });

  it.each(['127.0.0.1:6379', 'redis://host', 'redis://user:pw@host:6379', 'redis://host:0', 'redis://host:99999'])(
    'refuse %s with a usage error',
    (text) => {
      expect(() => parseQueueAddress(text)).toThrow(UsageError);
    },
  );
});
