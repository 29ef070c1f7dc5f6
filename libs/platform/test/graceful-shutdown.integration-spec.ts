import { pollUntil } from '@pacer/testing';
import { ShutdownScenario } from './fixtures/shutdown-harness';

const N = 5_000;
/** What the test allows a SIGTERM'd process (Kubernetes gives 60 s; a batch here takes ~0.2-1 s). */
const GRACE_MS = 20_000;

describe('graceful shutdown of a real service process (SIGTERM)', () => {
  const scenario = new ShutdownScenario();
  beforeAll(() => scenario.setUp());
  afterAll(() => scenario.tearDown());

  it('finishes and commits the batch in flight, leaves the group and exits 0; a restart applies the rest exactly once', async () => {
    const first = await scenario.start();
    const stream = scenario.produce(N);
    await first.batchInFlight();
    const inFlight = first.lines.length - 1;
    first.kill('SIGTERM');
    expect(await first.exit(GRACE_MS)).toMatchObject({ code: 0, signal: null });

    // The log tells the story in order: the batch in flight was applied, then the group was left.
    const shutting = first.index('shutting down', inFlight);
    const applied = first.index('batch applied', inFlight);
    const left = first.index('consumer left the group', inFlight);
    const complete = first.index('shutdown complete', inFlight);
    expect(shutting).toBeGreaterThan(inFlight);
    // The signal arrived while the batch was still in flight, and the batch completed after it.
    expect(applied).toBeGreaterThan(shutting);
    expect(left).toBeGreaterThan(applied);
    expect(complete).toBeGreaterThan(left);
    expect(first.count('batch applied')).toBe(first.count('batch started'));

    // It stopped mid-stream; everything applied is committed with its offsets, and Kafka got the
    // final commit too (lag-based autoscaling reads Kafka's offsets).
    const afterStop = await scenario.rowCount();
    expect(afterStop.rows).toBeGreaterThan(0);
    expect(afterStop.rows).toBeLessThan(N);
    const stopped = await scenario.offsets();
    expect(stopped.dbTotal).toBe(afterStop.rows);
    expect(stopped.kafka).toEqual(stopped.db);

    await stream;
    const second = await scenario.start();
    try {
      await pollUntil(
        () => scenario.rowCount(),
        (c) => c.rows >= N,
        { what: `all ${N} rows`, timeoutMs: 60_000 },
      );
    } finally {
      second.kill('SIGTERM');
    }
    expect(await second.exit(GRACE_MS)).toMatchObject({ code: 0, signal: null });

    expect(await scenario.rowCount()).toEqual({ rows: N, distinct: N });
    expect((await scenario.offsets()).dbTotal).toBe(N);
    // A message applied twice would have hit the primary key (no ON CONFLICT), failed its batch and been retried.
    for (const run of [first, second]) {
      expect(run.count('message handler failed')).toBe(0);
      expect(run.count('message sent to the DLQ')).toBe(0);
    }
  });
});
