import { pollUntil } from './poll';

describe('pollUntil', () => {
  it('returns the first accepted value', async () => {
    let n = 0;
    await expect(pollUntil(() => ++n, (v) => v === 3, { intervalMs: 1 })).resolves.toBe(3);
  });

  it('fails at the deadline naming what it waited for and the last value', async () => {
    await expect(pollUntil(() => 'nope', () => false, { timeoutMs: 30, intervalMs: 5, what: 'the thing' })).rejects.toThrow(
      /timed out waiting for the thing; last seen: "nope"/,
    );
  });

  it('keeps polling through errors and reports the last one', async () => {
    await expect(
      pollUntil(
        () => {
          throw new Error('boom');
        },
        () => true,
        { timeoutMs: 30, intervalMs: 5 },
      ),
    ).rejects.toThrow(/boom/);
  });
});
