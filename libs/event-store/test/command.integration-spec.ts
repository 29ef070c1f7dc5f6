import { AggregateRoot, ConcurrencyError, DomainEvent, StoredEvent } from '../src';
import { eventStoreDatabase } from './event-store-database';

type Counted = DomainEvent<'test.counted.v1', { by: string }>;

class Counter extends AggregateRoot<Counted> {
  counts: string[] = [];

  count(by: string): void {
    this.raise({ type: 'test.counted.v1', data: { by } });
  }

  protected when(e: Counted): void {
    this.counts.push(e.data.by);
  }
}

const decode = (e: StoredEvent): Counted => ({ type: 'test.counted.v1', data: e.data as Counted['data'] });

// EventStore.command on real Postgres: the retry policy settles a lost race by running the whole
// command again on the state that won.
describe('EventStore.command', () => {
  const bed = eventStoreDatabase('event_store_command');

  const save = (streamId: string, by: string, runs: string[], before?: Promise<void>) =>
    bed.store.command(async (tx) => {
      runs.push(by);
      const counter = await tx.load(streamId, new Counter(), decode);
      // Both commands load before either appends, so one of them must lose its first run.
      await before;
      counter.count(by);
      const stored = await tx.save(streamId, 'counter', counter, {
        tenantId: 't1',
        occurredAt: '2026-12-07T10:00:00Z',
        outbox: [{ topic: 'counted', key: streamId, value: { by } }],
      });
      return stored.map((e) => e.version);
    });

  it('retries the loser of two concurrent commands on one stream: both applied, versions 1 and 2', async () => {
    const runs: string[] = [];
    let release!: () => void;
    const bothLoaded = new Promise<void>((resolve) => (release = resolve));
    const a = save('s-race', 'a', runs, bothLoaded);
    const b = save('s-race', 'b', runs, bothLoaded);
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    const versions = await Promise.all([a, b]);
    expect(versions.flat().sort()).toEqual([1, 2]);
    // one first run each, and one more run of the loser
    expect(runs).toHaveLength(3);
    const stream = await bed.store.readStream('s-race');
    expect(stream.map((e) => e.version)).toEqual([1, 2]);
    expect(stream.map((e) => (e.data as { by: string }).by).sort()).toEqual(['a', 'b']);
    const outbox = (await bed.db.dataSource.query(
      `SELECT key FROM outbox WHERE topic = 'counted'`,
    )) as unknown[];
    expect(outbox).toHaveLength(2); // the lost run's record rolled back with it
  });

  it('lets the ConcurrencyError through after the last attempt', async () => {
    let runs = 0;
    await expect(
      bed.store.command(
        async (tx) => {
          runs += 1;
          const counter = await tx.load('s-stale', new Counter(), decode);
          // Another writer commits between this command's load and its save, every time.
          await bed.store.append({
            streamId: 's-stale',
            streamType: 'counter',
            expectedVersion: 'any',
            events: [
              { type: 'test.counted.v1', tenantId: 't1', data: { by: 'other' }, occurredAt: new Date() },
            ],
          });
          counter.count('me');
          return tx.save('s-stale', 'counter', counter, { tenantId: 't1', occurredAt: new Date() });
        },
        { attempts: 2 },
      ),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    expect(runs).toBe(2);
    expect(await bed.store.streamVersion('s-stale')).toBe(2);
  });

  it('reads a stream typed, from a version, inside the transaction', async () => {
    await bed.store.command(async (tx) => {
      const counter = await tx.load('s-read', new Counter(), decode);
      counter.count('x');
      counter.count('y');
      await tx.save('s-read', 'counter', counter, {
        tenantId: 't1',
        occurredAt: new Date(),
        eventIds: ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'],
        metadata: { source: 'spec' },
      });
      expect(await tx.read('s-read', decode, 1)).toEqual([{ type: 'test.counted.v1', data: { by: 'y' } }]);
    });
    const stored = await bed.store.readStream('s-read');
    expect(stored.map((e) => [e.eventId, e.metadata])).toEqual([
      ['00000000-0000-4000-8000-000000000001', { source: 'spec' }],
      ['00000000-0000-4000-8000-000000000002', { source: 'spec' }],
    ]);
  });
});
