import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { ConcurrencyError, ExpectedVersion } from './concurrency.error';
import { RetryOptions, withCommandRetry } from './retry-policy';
import { StreamTransaction } from './stream-transaction';
import { enqueueOutbox, OutboxMessage } from '@pacer/messaging';

/** An event to append. `eventId` defaults to a new UUID; pass one to keep ids stable across retries. */
export interface NewEvent {
  eventId?: string;
  type: string;
  tenantId: string;
  data: object;
  metadata?: Record<string, unknown>;
  occurredAt: Date | string;
}

export interface StoredEvent {
  globalPosition: bigint;
  streamId: string;
  streamType: string;
  version: number;
  eventId: string;
  type: string;
  tenantId: string;
  data: unknown;
  metadata: Record<string, unknown>;
  occurredAt: Date;
  recordedAt: Date;
}

export interface AppendRequest {
  streamId: string;
  streamType: string;
  expectedVersion: ExpectedVersion;
  events: readonly NewEvent[];
  /** Records to publish if and only if this append commits. */
  outbox?: readonly OutboxMessage[];
}

/** One event that opens a new stream (version 1), with the records announcing it. */
export interface NewStreamEvent {
  streamId: string;
  event: NewEvent;
  /** Records to publish if and only if this stream is appended and the transaction commits. */
  outbox?: readonly OutboxMessage[];
}

export interface AppendNewStreamsRequest {
  streamType: string;
  /** Each entry opens its own stream; stream ids must be distinct. */
  streams: readonly NewStreamEvent[];
  /**
   * What a stream that already exists means: `fail` (the default) throws ConcurrencyError naming it,
   * as `appendIn` at expected version 0 would; `skip` leaves it untouched (no event, no outbox
   * record) and reports it, for callers that treat an existing stream as an idempotent retry.
   */
  existing?: 'fail' | 'skip';
}

export interface AppendNewStreamsResult {
  /** Stream ids opened by this call, in request order. */
  appended: string[];
  /** Stream ids that already existed (only with `existing: 'skip'`), in request order. */
  existing: string[];
}

/** Filters of `listOpenings`; every one but the tenant and stream type is optional. */
export interface OpeningsQuery {
  streamType: string;
  tenantId: string;
  streamId?: string;
  /** The opening event's type. */
  type?: string;
  /** A top-level text field of the opening event's data that must equal a value. */
  dataField?: { name: string; equals: string };
  /** occurredAt ≥ this instant. */
  occurredFrom?: string;
  /** occurredAt < this instant. */
  occurredBefore?: string;
  /** Keyset: strictly after this (occurredAt, streamId). */
  after?: { occurredAt: string; streamId: string };
  limit?: number;
}

/** A stream's opening event, with its version 2 when there is one. */
export interface StreamOpening {
  event: StoredEvent;
  /** occurred_at exactly as Postgres holds it (microseconds, UTC), for keyset cursors. */
  occurredKey: string;
  followUp?: { data: unknown; recordedAt: Date };
}

export interface AppendResult {
  /** The stream's version after the append. */
  version: number;
  events: StoredEvent[];
}

interface EventRow {
  global_position: string;
  stream_id: string;
  stream_type: string;
  version: number;
  event_id: string;
  type: string;
  tenant_id: string;
  data: unknown;
  metadata: Record<string, unknown>;
  occurred_at: Date;
  recorded_at: Date;
}

const EVENT_COLUMNS = `global_position, stream_id, stream_type, version, event_id, type, tenant_id, data,
  metadata, occurred_at, recorded_at`;

function toStored(row: EventRow): StoredEvent {
  return {
    globalPosition: BigInt(row.global_position),
    streamId: row.stream_id,
    streamType: row.stream_type,
    version: row.version,
    eventId: row.event_id,
    type: row.type,
    tenantId: row.tenant_id,
    data: row.data,
    metadata: row.metadata,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
  };
}

interface OpeningRow extends EventRow {
  follow_up_data: unknown;
  follow_up_recorded_at: Date | null;
  occurred_key: string;
}

/** A name that may stand in SQL as a literal: letters, digits, `_`, `-`. */
function identifier(name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) throw new Error(`not a plain identifier: ${name}`);
  return name;
}

const UNIQUE_VIOLATION = '23505';

function isUniqueViolation(e: unknown, constraint: string): boolean {
  if (typeof e !== 'object' || e === null) {
    return false;
  }
  const err = e as {
    code?: unknown;
    constraint?: unknown;
    driverError?: { code?: unknown; constraint?: unknown };
  };
  const code = err.code ?? err.driverError?.code;
  const name = err.constraint ?? err.driverError?.constraint;
  return code === UNIQUE_VIOLATION && name === constraint;
}

/**
 * Postgres event store: optimistic concurrency per stream, a global position for ordered reads,
 * and an outbox written in the same transaction as the events.
 */
export class EventStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Appends in a transaction of its own. */
  append(request: AppendRequest): Promise<AppendResult> {
    return this.dataSource.transaction((manager) => this.appendIn(manager, request));
  }

  /**
   * Runs one command in a transaction of its own, with the one retry policy (retry-policy.ts): when it
   * loses a race (ConcurrencyError, Postgres 40001/40P01) the whole transaction is rolled back and
   * `work` runs again on fresh state, up to `attempts` runs (default 3) with a short jittered backoff;
   * then the ConcurrencyError propagates, for the service to map to its 409. Retrying is safe with
   * If-Match too: `work` reloads and re-checks the client's version itself, so a stale one still ends
   * as the domain's 409. `work` must therefore keep no state across runs.
   */
  command<T>(work: (tx: StreamTransaction) => Promise<T>, options?: RetryOptions): Promise<T> {
    return withCommandRetry(
      () => this.dataSource.transaction((manager) => work(new StreamTransaction(manager, this))),
      options,
    );
  }

  /**
   * Appends inside the caller's transaction (so it can commit with other writes, e.g. an
   * idempotency key). Throws ConcurrencyError when the stream is not at `expectedVersion`.
   */
  async appendIn(manager: EntityManager, request: AppendRequest): Promise<AppendResult> {
    const { streamId, streamType, expectedVersion, events } = request;
    if (events.length === 0) {
      throw new Error('append needs at least one event');
    }
    // Lock the stream head (creating it at version 0 if new). Concurrent writers of one stream queue
    // on this row lock, so the version check below sees the committed head, not a stale read.
    await manager.query(
      `INSERT INTO streams (stream_id, stream_type, version) VALUES ($1, $2, 0) ON CONFLICT (stream_id) DO NOTHING`,
      [streamId, streamType],
    );
    const [head] = (await manager.query(`SELECT version FROM streams WHERE stream_id = $1 FOR UPDATE`, [
      streamId,
    ])) as { version: number }[];
    const current = head?.version ?? 0;
    if (expectedVersion !== 'any' && expectedVersion !== current) {
      throw new ConcurrencyError(streamId, expectedVersion, current);
    }

    const ids: string[] = [];
    const versions: number[] = [];
    const types: string[] = [];
    const tenants: string[] = [];
    const data: string[] = [];
    const metadata: string[] = [];
    const occurred: string[] = [];
    events.forEach((e, i) => {
      ids.push(e.eventId ?? randomUUID());
      versions.push(current + i + 1);
      types.push(e.type);
      tenants.push(e.tenantId);
      data.push(JSON.stringify(e.data));
      metadata.push(JSON.stringify(e.metadata ?? {}));
      occurred.push(e.occurredAt instanceof Date ? e.occurredAt.toISOString() : e.occurredAt);
    });
    let rows: EventRow[];
    try {
      rows = (await manager.query(
        `INSERT INTO events (stream_id, stream_type, version, event_id, type, tenant_id, data, metadata, occurred_at)
         SELECT $1, $2, v, id, t, tn, d, m, o
           FROM unnest($3::uuid[], $4::int[], $5::text[], $6::text[], $7::jsonb[], $8::jsonb[], $9::timestamptz[])
                AS x(id, v, t, tn, d, m, o)
         ORDER BY v
         RETURNING ${EVENT_COLUMNS}`,
        [streamId, streamType, ids, versions, types, tenants, data, metadata, occurred],
      )) as EventRow[];
    } catch (e) {
      if (isUniqueViolation(e, 'events_stream_version')) {
        throw new ConcurrencyError(streamId, expectedVersion, current);
      }
      throw e;
    }
    const version = current + events.length;
    await manager.query(`UPDATE streams SET version = $2 WHERE stream_id = $1`, [streamId, version]);
    if (request.outbox) {
      await enqueueOutbox(manager, request.outbox);
    }
    return { version, events: rows.sort((a, b) => a.version - b.version).map(toStored) };
  }

  /**
   * Opens many single-event streams inside the caller's transaction in one statement, with the
   * guarantees of `appendIn` at expected version 0: each stream head is claimed first (a concurrent
   * writer of the same stream queues on the head row and then finds it taken), its event gets
   * version 1 and a global position (in request order), `UNIQUE(stream_id, version)` backs the check
   * up, and the stream's outbox records are written with it, in request order. This is the bulk path
   * for ingestion (one stream per activity), where `appendIn` would cost four statements per event.
   *
   * The events and the outbox records travel as two JSON parameters: Postgres parses them in C, where
   * building one array literal per column would cost the caller more CPU than the insert itself. Two
   * documents, not one with two keys: `json -> 'key'` re-parses its whole document, so one document
   * read twice parsed every CloudEvent four times (~20% of the statement in EXPLAIN ANALYZE).
   */
  async appendNewStreamsIn(
    manager: EntityManager,
    request: AppendNewStreamsRequest,
  ): Promise<AppendNewStreamsResult> {
    const { streamType, streams } = request;
    if (streams.length === 0) return { appended: [], existing: [] };
    const seen = new Set<string>();
    const events: object[] = [];
    const records: object[] = [];
    streams.forEach(({ streamId, event: e, outbox }, n) => {
      if (seen.has(streamId)) {
        throw new Error(`appendNewStreamsIn: stream ${streamId} is listed twice`);
      }
      seen.add(streamId);
      events.push({
        n,
        s: streamId,
        id: e.eventId ?? randomUUID(),
        t: e.type,
        tn: e.tenantId,
        d: e.data,
        m: e.metadata ?? {},
        o: e.occurredAt instanceof Date ? e.occurredAt.toISOString() : e.occurredAt,
      });
      (outbox ?? []).forEach((m, k) => {
        records.push({
          n,
          k,
          s: streamId,
          topic: m.topic,
          key: m.key,
          // JSON values keep their exact text through the json type; raw bytes travel as base64.
          ...(Buffer.isBuffer(m.value) ? { b64: m.value.toString('base64') } : { json: m.value }),
          ...(m.headers ? { headers: m.headers } : {}),
        });
      });
    });
    let claimed: { stream_id: string }[];
    try {
      claimed = (await manager.query(
        `WITH input AS (
           SELECT * FROM json_to_recordset($1::json)
             AS x(n int, s text, id uuid, t text, tn text, d jsonb, m jsonb, o timestamptz)
         ), claimed AS (
           -- Heads in a fixed order, so two bulk writers with overlapping streams queue, not deadlock.
           INSERT INTO streams (stream_id, stream_type, version)
           SELECT s, $2, 1 FROM input ORDER BY s
           ON CONFLICT (stream_id) DO NOTHING
           RETURNING stream_id
         ), appended AS (
           INSERT INTO events (stream_id, stream_type, version, event_id, type, tenant_id, data, metadata, occurred_at)
           SELECT i.s, $2, 1, i.id, i.t, i.tn, i.d, i.m, i.o FROM input i JOIN claimed c ON c.stream_id = i.s
            ORDER BY i.n
         ), published AS (
           INSERT INTO outbox (topic, key, value, headers)
           SELECT r.topic, r.key, coalesce(convert_to(r.json::text, 'UTF8'), decode(r.b64, 'base64')),
                  coalesce(r.headers, '{}'::jsonb)
             FROM json_to_recordset($3::json)
                  AS r(n int, k int, s text, topic text, key text, json json, b64 text, headers jsonb)
             JOIN claimed c ON c.stream_id = r.s
            ORDER BY r.n, r.k
         )
         SELECT stream_id FROM claimed`,
        [JSON.stringify(events), streamType, JSON.stringify(records)],
      )) as { stream_id: string }[];
    } catch (e) {
      if (isUniqueViolation(e, 'events_stream_version')) {
        throw new ConcurrencyError(streams[0]?.streamId ?? '', 0, 1);
      }
      throw e;
    }
    const got = new Set(claimed.map((r) => r.stream_id));
    const appended = streams.filter((x) => got.has(x.streamId)).map((x) => x.streamId);
    const existing = streams.filter((x) => !got.has(x.streamId)).map((x) => x.streamId);
    if (existing.length > 0 && (request.existing ?? 'fail') === 'fail') {
      const taken = existing[0] as string;
      throw new ConcurrencyError(taken, 0, await this.streamVersion(taken, manager));
    }
    return { appended, existing };
  }

  /** The stream's events from `fromVersion` (exclusive), in version order. */
  async readStream(streamId: string, fromVersion = 0, manager?: EntityManager): Promise<StoredEvent[]> {
    const rows = (await (manager ?? this.dataSource.manager).query(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND version > $2 ORDER BY version`,
      [streamId, fromVersion],
    )) as EventRow[];
    return rows.map(toStored);
  }

  /**
   * Events after `afterPosition` in global order, stopping below the oldest transaction still in
   * flight: a bigserial value is taken at insert time, so an event with a lower position may commit
   * after one with a higher position, and a reader that advanced past it would never see it.
   */
  async readAll(afterPosition: bigint, limit: number, manager?: EntityManager): Promise<StoredEvent[]> {
    const rows = (await (manager ?? this.dataSource.manager).query(
      `SELECT ${EVENT_COLUMNS} FROM events
        WHERE global_position > $1 AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY global_position LIMIT $2`,
      [afterPosition.toString(), limit],
    )) as EventRow[];
    return rows.map(toStored);
  }

  /** Version 1 of each listed stream that exists, by stream id (a stream's opening event). */
  async readOpenings(streamIds: readonly string[], manager?: EntityManager): Promise<Map<string, StoredEvent>> {
    if (streamIds.length === 0) return new Map();
    const rows = (await (manager ?? this.dataSource.manager).query(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ANY($1::text[]) AND version = 1`,
      [streamIds],
    )) as EventRow[];
    return new Map(rows.map((r) => [r.stream_id, toStored(r)]));
  }

  /**
   * One tenant's streams of one type by their opening event (version 1), in (occurredAt, streamId)
   * order, each with its version 2 if it has one: the listing of streams that hold one fact and at
   * most one follow-up (an activity and its void). Stream type and data field go into the SQL as
   * literals, so Postgres can match partial and expression indexes on them (see the activity
   * indexes of activity-ingestion); they are therefore restricted to plain identifiers.
   */
  async listOpenings(query: OpeningsQuery, manager?: EntityManager): Promise<StreamOpening[]> {
    const params: unknown[] = [query.tenantId];
    const bind = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    const where: string[] = [];
    if (query.streamId !== undefined) where.push(`e.stream_id = ${bind(query.streamId)}`);
    if (query.dataField !== undefined) {
      where.push(`e.data ->> '${identifier(query.dataField.name)}' = ${bind(query.dataField.equals)}`);
    }
    if (query.type !== undefined) where.push(`e.type = ${bind(query.type)}`);
    if (query.occurredFrom !== undefined) where.push(`e.occurred_at >= ${bind(query.occurredFrom)}::timestamptz`);
    if (query.occurredBefore !== undefined) where.push(`e.occurred_at < ${bind(query.occurredBefore)}::timestamptz`);
    if (query.after !== undefined) {
      where.push(
        `(e.occurred_at, e.stream_id) > (${bind(query.after.occurredAt)}::timestamptz, ${bind(query.after.streamId)})`,
      );
    }
    const limit = query.limit !== undefined ? `LIMIT ${bind(query.limit)}` : '';
    const rows = (await (manager ?? this.dataSource.manager).query(
      `SELECT ${EVENT_COLUMNS.replace(/(\w+)/g, 'e.$1')},
              f.data AS follow_up_data, f.recorded_at AS follow_up_recorded_at,
              to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_key
         FROM events e LEFT JOIN events f ON f.stream_id = e.stream_id AND f.version = 2
        WHERE e.stream_type = '${identifier(query.streamType)}' AND e.version = 1 AND e.tenant_id = $1
              ${where.map((w) => `AND ${w}`).join(' ')}
        ORDER BY e.occurred_at, e.stream_id ${limit}`,
      params,
    )) as OpeningRow[];
    return rows.map((row) => ({
      event: toStored(row),
      occurredKey: row.occurred_key,
      ...(row.follow_up_recorded_at !== null
        ? { followUp: { data: row.follow_up_data, recordedAt: row.follow_up_recorded_at } }
        : {}),
    }));
  }

  /**
   * Locks the heads of every stream holding one of the tenant's events, in stream-id order (so two
   * lockers queue rather than deadlock), until the transaction ends. Every command locks the heads it
   * appends to, so once this returns none of the tenant's existing streams has an append in flight:
   * the fence a replay of the tenant's read models needs.
   */
  async lockTenantStreams(manager: EntityManager, tenantId: string): Promise<void> {
    await manager.query(
      `SELECT stream_id FROM streams WHERE stream_id IN (SELECT DISTINCT stream_id FROM events WHERE tenant_id = $1) ORDER BY stream_id FOR UPDATE`,
      [tenantId],
    );
  }

  /**
   * One tenant's events after `afterPosition`, in global order, without `readAll`'s in-flight horizon:
   * only for a reader that fenced the tenant's writers (`lockTenantStreams`) in the same transaction.
   */
  async readTenant(
    manager: EntityManager,
    tenantId: string,
    afterPosition: bigint,
    limit: number,
  ): Promise<StoredEvent[]> {
    const rows = (await manager.query(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE tenant_id = $1 AND global_position > $2 ORDER BY global_position LIMIT $3`,
      [tenantId, afterPosition.toString(), limit],
    )) as EventRow[];
    return rows.map(toStored);
  }

  /** Every tenant with at least one event (no particular order). */
  async tenantIds(manager?: EntityManager): Promise<string[]> {
    const rows = (await (manager ?? this.dataSource.manager).query(
      `SELECT DISTINCT tenant_id FROM events`,
    )) as { tenant_id: string }[];
    return rows.map((r) => r.tenant_id);
  }

  /** The stream's current version, 0 if it does not exist. */
  async streamVersion(streamId: string, manager?: EntityManager): Promise<number> {
    const [row] = (await (manager ?? this.dataSource.manager).query(
      `SELECT version FROM streams WHERE stream_id = $1`,
      [streamId],
    )) as { version: number }[];
    return row?.version ?? 0;
  }
}
