import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postVerdict, webhookPayloadSchema, type WebhookPayload } from './webhook.ts';

const payload: WebhookPayload = {
  format: 'hotmess.sweep-verdict/1',
  sweep: 'nightly',
  sweep_id: '2026-12-03',
  verdict: 'regression',
  report: 'file:///logs/sweeps/nightly/trend.html',
  cells: [
    { cell: 'sim', model: 'sim', verdict: 'regression', against: '2026-12-02', breaches: ['resolve_rate −0.2 …'] },
  ],
};

let close: (() => void) | undefined;
afterEach(() => close?.());

/** A loopback HTTP server the test owns: answers `status` and records what it received. */
async function receiver(
  status: number,
): Promise<{ url: string; received: { method: string; type: string; body: string }[] }> {
  const received: { method: string; type: string; body: string }[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ method: req.method ?? '', type: req.headers['content-type'] ?? '', body });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () => server.close();
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

describe('the sweep webhook', () => {
  it('POSTs the verdict as JSON', async () => {
    const hook = await receiver(204);
    expect(await postVerdict(hook.url, payload)).toBeNull();
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]?.method).toBe('POST');
    expect(hook.received[0]?.type).toBe('application/json');
    expect(webhookPayloadSchema.parse(JSON.parse(hook.received[0]?.body ?? ''))).toEqual(payload);
  });

  it('returns a sentence, never throws, when the receiver fails or is not there', async () => {
    const hook = await receiver(500);
    expect(await postVerdict(hook.url, payload)).toBe('the webhook answered HTTP 500');
    close?.();
    close = undefined;
    expect(await postVerdict(hook.url, payload, 2000)).toMatch(/^the webhook could not be reached/);
  });
});
