import { eventStoreDatabase } from './event-store-database';

describe('EventStore.appendNewStreamsIn (bulk single-event streams)', () => {
  const bed = eventStoreDatabase('event_store_bulk');

  const entry = (streamId: string, n: number, topic = 'bulk-topic') => ({
    streamId,
    event: {
      type: 'test.opened.v1',
      tenantId: 't1',
      data: { n, text: 'é "q" \\ ✓' },
      occurredAt: '2026-11-27T10:00:00Z',
    },
    outbox: [{ topic, key: `k-${streamId}`, value: { streamId, n } }],
  });

  const outboxOf = async (topic: string) =>
    (await bed.db.dataSource.query(`SELECT key, value, headers FROM outbox WHERE topic = $1 ORDER BY seq`, [
      topic,
    ])) as {
      key: string;
      value: Buffer;
      headers: Record<string, string>;
    }[];

  it('opens every stream at version 1 with global positions and outbox records in request order', async () => {
    const streams = Array.from({ length: 50 }, (_, i) => entry(`bulk-${String(49 - i).padStart(2, '0')}`, i));
    const result = await bed.db.dataSource.transaction((m) =>
      bed.store.appendNewStreamsIn(m, { streamType: 'test', streams }),
    );
    expect(result).toEqual({ appended: streams.map((s) => s.streamId), existing: [] });
    const [first] = await bed.store.readStream('bulk-49');
    expect(first).toMatchObject({
      version: 1,
      type: 'test.opened.v1',
      tenantId: 't1',
      data: { n: 0, text: 'é "q" \\ ✓' },
    });
    expect(await bed.store.streamVersion('bulk-00')).toBe(1);
    const rows = (await bed.db.dataSource.query(
      `SELECT stream_id FROM events WHERE stream_id LIKE 'bulk-%' ORDER BY global_position`,
    )) as { stream_id: string }[];
    expect(rows.map((r) => r.stream_id)).toEqual(streams.map((s) => s.streamId));
    const outbox = await outboxOf('bulk-topic');
    expect(outbox.map((r) => r.key)).toEqual(streams.map((s) => `k-${s.streamId}`));
    // The record is the caller's JSON byte for byte, not a re-serialisation.
    expect(outbox[0]?.value.toString()).toBe(JSON.stringify({ streamId: 'bulk-49', n: 0 }));
    expect(outbox[0]?.headers).toEqual({});
  });

  it('forwards raw-byte outbox values and headers unchanged', async () => {
    const bytes = Buffer.from([0, 1, 2, 255, 254]);
    await bed.db.dataSource.transaction((m) =>
      bed.store.appendNewStreamsIn(m, {
        streamType: 'test',
        streams: [
          {
            ...entry('bulk-bytes', 1),
            outbox: [{ topic: 'bytes-topic', key: null, value: bytes, headers: { h: 'v' } }],
          },
        ],
      }),
    );
    const [row] = await outboxOf('bytes-topic');
    expect(row?.value.equals(bytes)).toBe(true);
    expect(row?.key).toBeNull();
    expect(row?.headers).toEqual({ h: 'v' });
  });

  it('lets a later appendIn continue such a stream at version 2', async () => {
    await bed.db.dataSource.transaction((m) =>
      bed.store.appendNewStreamsIn(m, { streamType: 'test', streams: [entry('bulk-next', 1)] }),
    );
    const r = await bed.store.append({
      streamId: 'bulk-next',
      streamType: 'test',
      expectedVersion: 1,
      events: [{ type: 'test.closed.v1', tenantId: 't1', data: {}, occurredAt: '2026-11-27T11:00:00Z' }],
    });
    expect(r.version).toBe(2);
  });

  it('by default refuses a stream that already exists with a ConcurrencyError', async () => {
    await bed.store.append({
      streamId: 'bulk-taken',
      streamType: 'test',
      expectedVersion: 0,
      events: [entry('x', 0).event],
    });
    await expect(
      bed.db.dataSource.transaction((m) =>
        bed.store.appendNewStreamsIn(m, {
          streamType: 'test',
          streams: [entry('bulk-free', 1, 'never'), entry('bulk-taken', 2, 'never')],
        }),
      ),
    ).rejects.toMatchObject({ name: 'ConcurrencyError', streamId: 'bulk-taken', actualVersion: 1 });
    expect(await bed.store.streamVersion('bulk-free')).toBe(0);
    expect(await outboxOf('never')).toHaveLength(0);
  });

  it("with existing: 'skip' appends the new streams and reports the others without touching them", async () => {
    await bed.store.append({
      streamId: 'skip-old',
      streamType: 'test',
      expectedVersion: 0,
      events: [entry('x', 0).event],
    });
    const result = await bed.db.dataSource.transaction((m) =>
      bed.store.appendNewStreamsIn(m, {
        streamType: 'test',
        existing: 'skip',
        streams: [
          entry('skip-new-1', 1, 'skip-topic'),
          entry('skip-old', 2, 'skip-topic'),
          entry('skip-new-2', 3, 'skip-topic'),
        ],
      }),
    );
    expect(result).toEqual({ appended: ['skip-new-1', 'skip-new-2'], existing: ['skip-old'] });
    expect(await bed.store.readStream('skip-old')).toHaveLength(1);
    expect((await outboxOf('skip-topic')).map((r) => r.key)).toEqual(['k-skip-new-1', 'k-skip-new-2']);
  });

  it('lets exactly one of several concurrent bulk writers of overlapping streams append each stream', async () => {
    const ids = ['race-a', 'race-b', 'race-c'];
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, w) =>
        bed.db.dataSource.transaction((m) =>
          bed.store.appendNewStreamsIn(m, {
            streamType: 'test',
            existing: 'skip',
            // Each writer lists the streams in another order; heads are claimed sorted, so none deadlocks.
            streams: (w % 2 ? [...ids].reverse() : ids).map((id) => entry(id, w, 'race-topic')),
          }),
        ),
      ),
    );
    expect(results.flatMap((r) => r.appended).sort()).toEqual(ids);
    const [{ c }] = (await bed.db.dataSource.query(
      `SELECT count(*)::int AS c FROM events WHERE stream_id LIKE 'race-%'`,
    )) as { c: number }[];
    expect(c).toBe(3);
    expect(await outboxOf('race-topic')).toHaveLength(3);
  });

  it('rejects a stream listed twice in one call', async () => {
    await expect(
      bed.db.dataSource.transaction((m) =>
        bed.store.appendNewStreamsIn(m, {
          streamType: 'test',
          streams: [entry('twice', 1), entry('twice', 2)],
        }),
      ),
    ).rejects.toThrow(/listed twice/);
  });

  it('is a no-op for an empty request', async () => {
    await expect(
      bed.db.dataSource.transaction((m) =>
        bed.store.appendNewStreamsIn(m, { streamType: 'test', streams: [] }),
      ),
    ).resolves.toEqual({
      appended: [],
      existing: [],
    });
  });
});
