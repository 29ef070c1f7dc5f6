import { ConcurrencyError } from '../src';
import { pollUntil } from '@pacer/testing';
import { eventStoreDatabase } from './event-store-database';

describe('EventStore on Postgres', () => {
  const bed = eventStoreDatabase('event_store');

  const event = (n: number) => ({
    type: 'test.happened.v1',
    tenantId: 't1',
    data: { n },
    occurredAt: '2026-11-27T10:00:00Z',
  });

  it('appends and reads a stream in version order', async () => {
    const first = await bed.store.append({
      streamId: 's-read',
      streamType: 'test',
      expectedVersion: 0,
      events: [event(1), event(2)],
    });
    expect(first.version).toBe(2);
    const second = await bed.store.append({
      streamId: 's-read',
      streamType: 'test',
      expectedVersion: 2,
      events: [event(3)],
    });
    expect(second.version).toBe(3);
    const read = await bed.store.readStream('s-read');
    expect(read.map((e) => [e.version, (e.data as { n: number }).n])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    expect(read[0]?.globalPosition).toBeLessThan(read[2]?.globalPosition ?? 0n);
    expect(await bed.store.readStream('s-read', 2)).toHaveLength(1);
  });

  it('lets exactly one of many concurrent appends at the same expected version win', async () => {
    const attempts = 12;
    const results = await Promise.allSettled(
      Array.from({ length: attempts }, (_, i) =>
        bed.store.append({ streamId: 's-race', streamType: 'test', expectedVersion: 0, events: [event(i)] }),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(attempts - 1);
    for (const r of lost) {
      expect(r.reason).toBeInstanceOf(ConcurrencyError);
      expect((r.reason as ConcurrencyError).actualVersion).toBe(1);
    }
    expect(await bed.store.streamVersion('s-race')).toBe(1);
  });

  it("serialises 'any' appends to one stream into consecutive versions", async () => {
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        bed.store.append({
          streamId: 's-any',
          streamType: 'test',
          expectedVersion: 'any',
          events: [event(i)],
        }),
      ),
    );
    const versions = (await bed.store.readStream('s-any')).map((e) => e.version);
    expect(versions).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('rejects a stale expected version with a typed error and writes nothing', async () => {
    await bed.store.append({
      streamId: 's-stale',
      streamType: 'test',
      expectedVersion: 0,
      events: [event(1)],
    });
    await expect(
      bed.store.append({
        streamId: 's-stale',
        streamType: 'test',
        expectedVersion: 0,
        events: [event(2)],
        outbox: [{ topic: 'x', key: 'k', value: { never: true } }],
      }),
    ).rejects.toThrow(ConcurrencyError);
    expect(await bed.store.readStream('s-stale')).toHaveLength(1);
    const [{ n }] = (await bed.db.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox WHERE topic = 'x'`,
    )) as { n: number }[];
    expect(n).toBe(0);
  });

  it('writes the outbox in the same transaction as the events', async () => {
    await bed.store.append({
      streamId: 's-outbox',
      streamType: 'test',
      expectedVersion: 0,
      events: [event(1)],
      outbox: [{ topic: 'topic-a', key: 't1:r1', value: { hello: 'world' }, headers: { h: 'v' } }],
    });
    const rows = (await bed.db.dataSource.query(
      `SELECT key, value, headers FROM outbox WHERE topic = 'topic-a'`,
    )) as {
      key: string;
      value: Buffer;
      headers: Record<string, string>;
    }[];
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]?.value.toString() ?? '')).toEqual({ hello: 'world' });
    expect(rows[0]?.headers).toEqual({ h: 'v' });
  });

  it('never lets a global reader step over an event that commits late with a lower position', async () => {
    const [{ p: before }] = (await bed.db.dataSource.query(
      `SELECT coalesce(max(global_position), 0)::text AS p FROM events`,
    )) as { p: string }[];
    const slow = bed.db.dataSource.createQueryRunner();
    await slow.connect();
    await slow.startTransaction();
    try {
      // The slow writer takes the lower position first, then a fast writer commits a higher one.
      await bed.store.appendIn(slow.manager, {
        streamId: 's-late-1',
        streamType: 'test',
        expectedVersion: 0,
        events: [event(1)],
      });
      await bed.store.append({
        streamId: 's-late-2',
        streamType: 'test',
        expectedVersion: 0,
        events: [event(2)],
      });
      const visible = await bed.store.readAll(BigInt(before), 100);
      expect(visible.map((e) => e.streamId)).not.toContain('s-late-2');
      await slow.commitTransaction();
    } finally {
      await slow.release();
    }
    // The guard is the cluster's oldest transaction in flight, so a transaction of another test's
    // database on the same server may hold both back a little longer: wait for it, with a deadline.
    const after = await pollUntil(
      () => bed.store.readAll(BigInt(before), 100),
      (events) => events.length >= 2,
      { timeoutMs: 30_000, what: 'both late events to become readable' },
    );
    expect(after.map((e) => e.streamId)).toEqual(['s-late-1', 's-late-2']);
  });
});
