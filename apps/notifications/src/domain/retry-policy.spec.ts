import { backoffMs, nextBreaker, outcomeOfStatus } from './retry-policy';

const policy = { backoffBaseMs: 1_000, backoffMaxMs: 60_000, breakerThreshold: 3, breakerOpenMs: 30_000 };

describe('retry policy', () => {
  it('retries 5xx, 408, 425 and 429 and gives up on other 4xx and redirects', () => {
    expect(outcomeOfStatus(204).kind).toBe('delivered');
    for (const s of [500, 503, 408, 425, 429]) expect(outcomeOfStatus(s).kind).toBe('retry');
    for (const s of [400, 403, 404, 410, 301, 302]) expect(outcomeOfStatus(s).kind).toBe('permanent');
  });

  it('backs off exponentially with jitter in [half, whole] and a cap', () => {
    expect(backoffMs(1, policy, () => 0)).toBe(500);
    expect(backoffMs(1, policy, () => 1)).toBe(1_000);
    expect(backoffMs(4, policy, () => 1)).toBe(8_000);
    expect(backoffMs(4, policy, () => 0)).toBe(4_000);
    expect(backoffMs(30, policy, () => 1)).toBe(60_000);
    expect(backoffMs(1_000, policy, () => 0.5)).toBe(45_000);
  });

  it('opens after the threshold of retryable failures in a row, and a success closes it', () => {
    let b = { state: 'closed' as const, consecutiveFailures: 0 };
    const fail = { kind: 'retry' as const, error: 'ECONNREFUSED' };
    const one = nextBreaker(b, fail, policy);
    expect(one).toEqual({ state: 'closed', consecutiveFailures: 1, opens: false });
    const three = nextBreaker(nextBreaker(one, fail, policy), fail, policy);
    expect(three).toEqual({ state: 'open', consecutiveFailures: 3, opens: true });
    expect(nextBreaker(three, { kind: 'delivered', statusCode: 200 }, policy)).toEqual({ state: 'closed', consecutiveFailures: 0, opens: false });
    b = { state: 'closed', consecutiveFailures: 0 };
    expect(nextBreaker(b, fail, policy).state).toBe('closed');
  });

  it('a failed half-open probe opens the breaker again at once', () => {
    expect(nextBreaker({ state: 'half_open', consecutiveFailures: 3 }, { kind: 'retry', error: 'timeout' }, policy)).toEqual({
      state: 'open',
      consecutiveFailures: 4,
      opens: true,
    });
  });

  it('a 4xx means the receiver is up: it does not open the breaker', () => {
    expect(nextBreaker({ state: 'half_open', consecutiveFailures: 3 }, outcomeOfStatus(404), policy).state).toBe('closed');
    expect(nextBreaker({ state: 'closed', consecutiveFailures: 2 }, { kind: 'permanent', error: 'refused address' }, policy)).toEqual({
      state: 'closed',
      consecutiveFailures: 2,
      opens: false,
    });
  });
});
