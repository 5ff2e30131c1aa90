import { z } from 'zod';
import { errorMessage } from '../errors.ts';

/** What the webhook receives: the sweep's verdict, one entry per cell, and a link to the report. */
export const webhookPayloadSchema = z.object({
  format: z.literal('hotmess.sweep-verdict/1'),
  sweep: z.string(),
  sweep_id: z.string(),
  verdict: z.enum(['regression', 'ok', 'no_baseline']),
  report: z.string(),
  cells: z.array(
    z.object({
      cell: z.string(),
      model: z.string(),
      verdict: z.enum(['regression', 'ok', 'no_baseline']),
      against: z.string().nullable(),
      breaches: z.array(z.string()),
    }),
  ),
});
export type WebhookPayload = z.output<typeof webhookPayloadSchema>;

/**
 * POSTs the verdict as JSON. A failure is returned as a sentence, never thrown: the sweep's results are on disk
 * and its exit code says the verdict whatever happens to the notification.
 */
export async function postVerdict(url: string, payload: WebhookPayload, timeoutMs = 15_000): Promise<string | null> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'hotmess-sweep' },
      body: JSON.stringify(webhookPayloadSchema.parse(payload)),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer();
    if (!response.ok) return `the webhook answered HTTP ${response.status}`;
    return null;
  } catch (err) {
    return `the webhook could not be reached (${errorMessage(err)})`;
  }
}
