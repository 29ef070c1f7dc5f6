import { TokenBuckets } from './token-buckets';

describe('per-tenant token buckets', () => {
  it('allows a burst of the capacity, refuses the next with a retry time, and refills continuously', () => {
    let now = 0;
    const buckets = new TokenBuckets(3, 60_000, () => now);
    expect([1, 2, 3].map(() => buckets.take('t1').allowed)).toEqual([true, true, true]);
    expect(buckets.take('t1')).toEqual({ allowed: false, retryAfterMs: 20_000 });
    // Another tenant has its own budget.
    expect(buckets.take('t2').allowed).toBe(true);
    now = 20_000;
    expect(buckets.take('t1').allowed).toBe(true);
    expect(buckets.take('t1').allowed).toBe(false);
    now = 10_000_000;
    expect([1, 2, 3, 4].map(() => buckets.take('t1').allowed)).toEqual([true, true, true, false]);
  });
});
