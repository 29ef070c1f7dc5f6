export interface PollOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Checked before each attempt: a message here means waiting longer cannot help (e.g. the process died). */
  abortReason?: () => string | undefined;
}

export const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/**
 * Calls `probe` until it returns a value or the deadline passes. Used instead of fixed sleeps so a
 * fast machine is not slowed down and a slow one still gets its full budget.
 */
export async function pollUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  opts: PollOptions,
): Promise<T> {
  const started = Date.now();
  const deadline = started + opts.timeoutMs;
  const interval = opts.intervalMs ?? 500;
  for (;;) {
    const aborted = opts.abortReason?.();
    if (aborted) throw new Error(`gave up waiting for ${what}: ${aborted}`);
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() + interval > deadline) {
      throw new Error(`timed out after ${Math.round(opts.timeoutMs / 1000)}s waiting for ${what}`);
    }
    await sleep(interval);
  }
}
