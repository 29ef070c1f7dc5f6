/** What one HTTP attempt came to. */
export type AttemptOutcome =
  | { kind: 'delivered'; statusCode: number }
  /** Worth trying again: network error, timeout, 5xx, 408, 425, 429. */
  | { kind: 'retry'; statusCode?: number; error: string }
  /** Trying again cannot help: another 4xx, a redirect, a refused address or URL. */
  | { kind: 'permanent'; statusCode?: number; error: string };

/** Classifies an HTTP status; 2xx is delivered. */
export function outcomeOfStatus(statusCode: number): AttemptOutcome {
  if (statusCode >= 200 && statusCode < 300) return { kind: 'delivered', statusCode };
  if (statusCode >= 500 || statusCode === 408 || statusCode === 425 || statusCode === 429) {
    return { kind: 'retry', statusCode, error: `HTTP ${statusCode}` };
  }
  if (statusCode >= 300 && statusCode < 400) {
    return { kind: 'permanent', statusCode, error: `HTTP ${statusCode}: redirects are not followed` };
  }
  return { kind: 'permanent', statusCode, error: `HTTP ${statusCode}` };
}

export interface BackoffPolicy {
  backoffBaseMs: number;
  backoffMaxMs: number;
}

/**
 * Delay before the attempt after `attempts` failed ones: exponential, capped, with jitter in
 * [half, whole] so a receiver that comes back is not hit by every queued delivery at once, while
 * the delay still grows (full jitter from 0 could retry at once).
 */
export function backoffMs(attempts: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  const ceiling = Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerPolicy {
  breakerThreshold: number;
  breakerOpenMs: number;
}

export interface Breaker {
  state: BreakerState;
  consecutiveFailures: number;
}

/**
 * The breaker after an attempt. Closed: `breakerThreshold` consecutive retryable failures open it.
 * Open for `breakerOpenMs`: nothing is sent. Then half-open: one probe; success closes it, failure
 * opens it again. A permanent failure says the receiver answered (it is up), so it neither counts
 * nor opens the breaker; in half-open it closes it like a success would.
 */
export function nextBreaker(current: Breaker, outcome: AttemptOutcome, policy: BreakerPolicy): Breaker & { opens: boolean } {
  if (outcome.kind === 'delivered' || (outcome.kind === 'permanent' && outcome.statusCode !== undefined)) {
    return { state: 'closed', consecutiveFailures: 0, opens: false };
  }
  if (outcome.kind === 'permanent') return { ...current, opens: false };
  const failures = current.consecutiveFailures + 1;
  const opens = current.state !== 'closed' || failures >= policy.breakerThreshold;
  return { state: opens ? 'open' : 'closed', consecutiveFailures: failures, opens };
}
