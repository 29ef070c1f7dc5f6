import { gcraRecord } from './postgres-throttler.storage';

// 6 per minute: one request every 10 s, a burst of 6 (what PACER_RATE_LIMIT_PER_MINUTE=6 means).
const TTL = 60_000;
const INTERVAL = TTL / 6;
const NOW = 1_000_000;

describe('the GCRA record the throttler guard reads', () => {
  it('counts the budget in use and the time until it is full again for an admitted request', () => {
    expect(gcraRecord({ admitted_tat: NOW + INTERVAL, seen_tat: null, now_ms: NOW }, INTERVAL, TTL)).toEqual({
      totalHits: 1,
      timeToExpire: 10,
      isBlocked: false,
      timeToBlockExpire: 0,
    });
    // The sixth of a burst uses the whole budget; nothing is left.
    expect(gcraRecord({ admitted_tat: NOW + TTL, seen_tat: NOW + TTL - INTERVAL, now_ms: NOW }, INTERVAL, TTL)).toMatchObject({ totalHits: 6, timeToExpire: 60 });
  });

  it('refuses with Retry-After until one more request fits, never 0', () => {
    expect(gcraRecord({ admitted_tat: null, seen_tat: NOW + TTL, now_ms: NOW }, INTERVAL, TTL)).toEqual({
      totalHits: 7,
      timeToExpire: 60,
      isBlocked: true,
      timeToBlockExpire: 10,
    });
    // 9.5 s later the wait is 0.5 s: rounded up to 1 s.
    expect(gcraRecord({ admitted_tat: null, seen_tat: NOW + TTL, now_ms: NOW + 9_500 }, INTERVAL, TTL).timeToBlockExpire).toBe(1);
    // A row swept between the upsert and the read (seen_tat null) still answers a positive wait.
    expect(gcraRecord({ admitted_tat: null, seen_tat: null, now_ms: NOW }, INTERVAL, TTL).timeToBlockExpire).toBe(1);
  });
});
