import { eventStoreDatabase } from './event-store-database';

// The reads a per-tenant replay of read models needs: lock the tenant's streams, read its events.
describe('EventStore tenant reads', () => {
  const bed = eventStoreDatabase('event_store_tenant');

  beforeAll(async () => {
    const put = (streamId: string, tenantId: string, n: number) =>
      bed.store.append({
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

  it('lists the tenants with events', async () => {
    expect((await bed.store.tenantIds()).sort()).toEqual(['ta', 'tb']);
  });

  it("reads one tenant's events in global order, paged by position", async () => {
    const { first, rest } = await bed.db.dataSource.transaction(async (m) => {
      const page = await bed.store.readTenant(m, 'ta', 0n, 2);
      return { first: page, rest: await bed.store.readTenant(m, 'ta', page[1]?.globalPosition ?? 0n, 10) };
    });
    expect(first.map((e) => (e.data as { n: number }).n)).toEqual([1, 3]);
    expect(rest.map((e) => [e.streamId, e.version, (e.data as { n: number }).n])).toEqual([['a/1', 2, 4]]);
  });

  it("holds appends to the tenant's streams until the locking transaction ends, not another tenant's", async () => {
    const locker = bed.db.dataSource.createQueryRunner();
    await locker.connect();
    await locker.startTransaction();
    try {
      await bed.store.lockTenantStreams(locker.manager, 'ta');
      await bed.store.append({
        streamId: 'b/1',
        streamType: 'test',
        expectedVersion: 1,
        events: [{ type: 'test.happened.v1', tenantId: 'tb', data: { n: 5 }, occurredAt: new Date() }],
      });
      let appended = false;
      const blocked = bed.store
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
