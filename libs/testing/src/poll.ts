import { setTimeout as delay } from 'node:timers/promises';

/**
 * Calls `probe` until it returns a value `accept` likes, or fails when the deadline passes with the
 * last value seen in the message. Tests wait for asynchronous effects this way, never by sleeping.
 */
export async function pollUntil<T>(
  probe: () => Promise<T> | T,
  accept: (value: T) => boolean,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const interval = options.intervalMs ?? 100;
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await probe();
      if (accept(last)) {
        return last;
      }
    } catch (e) {
      lastError = e;
    }
    await delay(interval);
  }
  const seen = lastError !== undefined && last === undefined ? `error ${String(lastError)}` : JSON.stringify(last);
  throw new Error(`timed out waiting for ${options.what ?? 'condition'}; last seen: ${seen?.slice(0, 500)}`);
}
