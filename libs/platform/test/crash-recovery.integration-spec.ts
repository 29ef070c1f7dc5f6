import { pollUntil } from '@pacer/testing';
import { ShutdownScenario } from './fixtures/shutdown-harness';

const N = 5_000;

describe('a service process killed with SIGKILL mid-batch', () => {
  const scenario = new ShutdownScenario();
  beforeAll(() => scenario.setUp());
  afterAll(() => scenario.tearDown());

  it('loses nothing and applies nothing twice after a restart', async () => {
    const first = await scenario.start();
    const stream = scenario.produce(N);
    await first.batchInFlight();
    first.kill('SIGKILL');
    expect(await first.exit(10_000)).toMatchObject({ signal: 'SIGKILL' });
    expect(first.count('shutting down')).toBe(0);

    // The batch in flight died with its transaction: the rows and the offsets agree.
    const afterKill = await scenario.rowCount();
    expect(afterKill.rows).toBeLessThan(N);
    expect((await scenario.offsets()).dbTotal).toBe(afterKill.rows);

    await stream;
    // The dead member holds its partitions until its session (6 s here) expires; then the new one gets them.
    const second = await scenario.start();
    try {
      await pollUntil(
        () => scenario.rowCount(),
        (c) => c.rows >= N,
        { what: `all ${N} rows`, timeoutMs: 90_000 },
      );
    } finally {
      second.kill('SIGTERM');
    }
    expect(await second.exit(20_000)).toMatchObject({ code: 0, signal: null });

    expect(await scenario.rowCount()).toEqual({ rows: N, distinct: N });
    expect((await scenario.offsets()).dbTotal).toBe(N);
    for (const run of [first, second]) {
      expect(run.count('message handler failed')).toBe(0);
      expect(run.count('message sent to the DLQ')).toBe(0);
    }
  });
});
