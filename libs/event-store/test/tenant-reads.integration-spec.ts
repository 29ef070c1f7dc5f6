import { CreateEventStore1764230400001, EventStore } from '../src';
import { CreateOutbox1764230400000 } from '@pacer/messaging';
import { createTestDatabase, TestDatabase } from '@pacer/testing';

// The reads a per-tenant replay of read models needs: lock the tenant's streams, read its events.
describe('EventStore tenant reads', () => {
  let db: TestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    db = await createTestDatabase('event_store_tenant', [CreateOutbox1764230400000, CreateEventStore1764230400001]);
    store = new EventStore(db.dataSource);
    const put = (streamId: string, tenantId: string, n: number) =>
      store.append({
        streamId,
        streamType: 'test',
        expectedVersion: 'any',
        events: [{ type: 'test.happened.v1', tenantId, data: { n }, occurredAt: '2026-12-07T10:00:00Z' }],
      });
    await put('a/1', 'ta', 1);
    await put('b/1', 'tb', 2);
    await put('a/2', 'ta', 3);
    await put('a/1', 'ta', 4);
  });
  afterAll(() => db.drop());

  it('lists the tenants with events', async () => {
    expect((await store.tenantIds()).sort()).toEqual(['ta', 'tb']);
  });

  it("reads one tenant's events in global order, paged by position", async () => {
    const { first, rest } = await db.dataSource.transaction(async (m) => {
      const page = await store.readTenant(m, 'ta', 0n, 2);
      return { first: page, rest: await store.readTenant(m, 'ta', page[1]?.globalPosition ?? 0n, 10) };
    });
    expect(first.map((e) => (e.data as { n: number }).n)).toEqual([1, 3]);
    expect(rest.map((e) => [e.streamId, e.version, (e.data as { n: number }).n])).toEqual([['a/1', 2, 4]]);
  });

  it("holds appends to the tenant's streams until the locking transaction ends, not another tenant's", async () => {
    const locker = db.dataSource.createQueryRunner();
    await locker.connect();
    await locker.startTransaction();
    try {
      await store.lockTenantStreams(locker.manager, 'ta');
      await store.append({
        streamId: 'b/1',
        streamType: 'test',
        expectedVersion: 1,
        events: [{ type: 'test.happened.v1', tenantId: 'tb', data: { n: 5 }, occurredAt: new Date() }],
      });
      let appended = false;
      const blocked = store
        .append({
          streamId: 'a/2',
          streamType: 'test',
          expectedVersion: 1,
          events: [{ type: 'test.happened.v1', tenantId: 'ta', data: { n: 6 }, occurredAt: new Date() }],
        })
        .then(() => (appended = true));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(appended).toBe(false);
      await locker.commitTransaction();
      await blocked;
      expect(appended).toBe(true);
    } finally {
      await locker.release();
    }
  });
});
