import type { Sandbox } from './types.ts';

/**
 * Runs `use` with a sandbox, then closes it. When `use` throws, that error goes up even if closing fails too:
 * a clean-up failing after a bug must not hide the bug behind an engine error.
 */
export async function useSandbox<T>(sandbox: Sandbox, use: (sandbox: Sandbox) => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await use(sandbox);
  } catch (err) {
    await sandbox.close().catch(() => undefined);
    throw err;
  }
  await sandbox.close();
  return result;
}
