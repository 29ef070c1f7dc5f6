import {
  ConcurrencyError,
  DEFAULT_COMMAND_ATTEMPTS,
  isRetryableConflict,
  retryDelayMs,
  withCommandRetry,
} from '../src';

// The one retry policy's decisions, without a database: what is retried, how often, how long apart.
describe('command retry policy', () => {
  const conflict = () => new ConcurrencyError('s-1', 1, 2);
  const pgError = (code: string) => Object.assign(new Error(`pg ${code}`), { code });
  const typeormError = (code: string) => Object.assign(new Error('query failed'), { driverError: { code } });

  it('retries lost races: ConcurrencyError, serialization failures and deadlocks', () => {
    expect(isRetryableConflict(conflict())).toBe(true);
    expect(isRetryableConflict(pgError('40001'))).toBe(true);
    expect(isRetryableConflict(pgError('40P01'))).toBe(true);
    expect(isRetryableConflict(typeormError('40P01'))).toBe(true);
  });

  it('does not retry anything else', () => {
    expect(isRetryableConflict(pgError('23505'))).toBe(false);
    expect(isRetryableConflict(new Error('domain says no'))).toBe(false);
    expect(isRetryableConflict(undefined)).toBe(false);
    expect(isRetryableConflict('40001')).toBe(false);
  });

  it('waits a short, growing, jittered time between runs', () => {
    expect(retryDelayMs(1, () => 0)).toBe(3);
    expect(retryDelayMs(1, () => 0.999)).toBe(7);
    expect(retryDelayMs(2, () => 0.5)).toBe(10);
    expect(retryDelayMs(3, () => 0.5)).toBe(20);
    expect(retryDelayMs(50, () => 0.999)).toBeLessThanOrEqual(150);
  });

  const noSleep = { sleep: jest.fn(() => Promise.resolve()), random: () => 0.5 };

  it('runs again after a lost race and returns what the winning run returned', async () => {
    const runs: number[] = [];
    const result = await withCommandRetry(
      (attempt) => {
        runs.push(attempt);
        return attempt < 3 ? Promise.reject(conflict()) : Promise.resolve('done');
      },
      {},
      noSleep,
    );
    expect(result).toBe('done');
    expect(runs).toEqual([1, 2, 3]);
  });

  it(`gives up after ${DEFAULT_COMMAND_ATTEMPTS} runs by default and lets the ConcurrencyError through`, async () => {
    let runs = 0;
    const last = conflict();
    await expect(
      withCommandRetry(
        () => {
          runs += 1;
          return Promise.reject(runs === DEFAULT_COMMAND_ATTEMPTS ? last : conflict());
        },
        {},
        noSleep,
      ),
    ).rejects.toBe(last);
    expect(runs).toBe(DEFAULT_COMMAND_ATTEMPTS);
  });

  it('honours attempts: 1 means no retry', async () => {
    let runs = 0;
    await expect(
      withCommandRetry(
        () => {
          runs += 1;
          return Promise.reject(conflict());
        },
        { attempts: 1 },
        noSleep,
      ),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    expect(runs).toBe(1);
  });

  it('lets any other error through at once', async () => {
    let runs = 0;
    const domain = new Error('team-exists');
    await expect(
      withCommandRetry(
        () => {
          runs += 1;
          return Promise.reject(domain);
        },
        { attempts: 5 },
        noSleep,
      ),
    ).rejects.toBe(domain);
    expect(runs).toBe(1);
  });

  it('sleeps the policy delay between runs', async () => {
    const sleep = jest.fn(() => Promise.resolve());
    await withCommandRetry(
      (attempt) => (attempt < 3 ? Promise.reject(pgError('40001')) : Promise.resolve(0)),
      {},
      { sleep, random: () => 0.5 },
    );
    expect(sleep.mock.calls).toEqual([[5], [10]]);
  });
});
