import { ConcurrencyError } from './concurrency.error';

/**
 * The one retry policy for commands on the event store.
 *
 * A command that lost a race (another transaction appended to its stream first, or Postgres aborted it
 * as a serialization failure or deadlock victim) is run again from the start in a fresh transaction,
 * so it reloads the streams and decides again on the state that won. Retrying is safe even for a
 * request with If-Match: the command re-checks If-Match against the reloaded aggregate itself, so a
 * client that read a stale version still ends with the domain's 409, never a silent overwrite.
 * When the last attempt still loses, the `ConcurrencyError` propagates and each service maps it to
 * its own 409 at its edge.
 */
export const DEFAULT_COMMAND_ATTEMPTS = 3;

/** The first retry waits about this long; each further one about twice as long. */
const BASE_DELAY_MS = 5;
/** A retry never waits longer: a lost race is settled as soon as the winner commits. */
const MAX_DELAY_MS = 100;

// Serialization failure and deadlock: Postgres rolled the transaction back, running it again is the fix.
const RETRYABLE_POSTGRES_CODES: ReadonlySet<string> = new Set(['40001', '40P01']);

export interface RetryOptions {
  /** Runs in all, the first included (default 3). */
  attempts?: number;
}

/** Test seams: a clock-free sleep and a fixed random source. */
export interface RetryEnvironment {
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

function postgresCode(e: unknown): unknown {
  if (typeof e !== 'object' || e === null) return undefined;
  const err = e as { code?: unknown; driverError?: { code?: unknown } };
  return err.code ?? err.driverError?.code;
}

/** Whether a failed command lost a race that running it again (with fresh state) can settle. */
export function isRetryableConflict(e: unknown): boolean {
  if (e instanceof ConcurrencyError) return true;
  const code = postgresCode(e);
  return typeof code === 'string' && RETRYABLE_POSTGRES_CODES.has(code);
}

/**
 * Milliseconds to wait before run `attempt + 1` after run `attempt` (1-based) lost a race: exponential,
 * with full jitter in [50%, 150%) so that the losers of one race do not collide again in lockstep.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const exponential = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (0.5 + random()));
}

const sleepMs = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `run` until it succeeds, fails with an error that is not a lost race, or has lost
 * `attempts` times (then the last error propagates as it is). `run` must start a fresh transaction
 * each time: nothing of a failed attempt may be reused.
 */
export async function withCommandRetry<T>(
  run: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
  env: RetryEnvironment = {},
): Promise<T> {
  const attempts = Math.max(1, Math.floor(options.attempts ?? DEFAULT_COMMAND_ATTEMPTS));
  const sleep = env.sleep ?? sleepMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run(attempt);
    } catch (e) {
      if (attempt >= attempts || !isRetryableConflict(e)) throw e;
      await sleep(retryDelayMs(attempt, env.random));
    }
  }
}
