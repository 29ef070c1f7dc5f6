import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Activity, ActivityKind, activityEventType, PacerEvent, RecordedBy } from '@pacer/contracts';
import { EventStore, StreamOpening } from '@pacer/event-store';
import { AuditActor, recordAudit } from '@pacer/platform';
import { canonicalJson, differingFields } from './activity-canonical';
import { ACTIVITY_STREAM_TYPE, activityStreamId, toOutbox, voidedEvent } from './activity-event.factory';
import { orderActivityFields } from './activity-fields';
import { Voider, voidRefusal } from './activity-void-rule';

/** A valid, authorised activity ready to be written, with its CloudEvent. */
export interface Candidate {
  activity: Activity;
  event: PacerEvent;
  /** Kept in the event's metadata: the activity API shows it and the void rule reads it. */
  recordedBy: RecordedBy;
}

/** How a chunk came in, as its audit type: one POST, a batch (or a CRM delivery), or an import chunk. */
export type RecordedVia = 'activity.recorded' | 'activities.recorded' | 'activities.imported';

export type WriteOutcome =
  { status: 'accepted' } | { status: 'duplicate' } | { status: 'conflict'; fields: string[] };

export interface StoredActivity {
  activity: Activity;
  /** Who recorded it; absent for activities recorded before Pacer kept it. */
  recordedBy?: RecordedBy;
  recordedAt: string;
  voided: boolean;
  voidedAt?: string;
  voidReason?: string;
}

export interface ListQuery {
  tenantId: string;
  repId?: string;
  kind?: ActivityKind;
  from?: string;
  to?: string;
  after?: { occurredAt: string; activityId: string };
  limit: number;
}

export interface ListedActivity extends StoredActivity {
  /** occurred_at exactly as Postgres holds it (microseconds, UTC): the first half of the keyset. */
  occurredKey: string;
}

export type VoidOutcome =
  | { status: 'voided'; activity: Activity }
  | { status: 'already_voided'; activity: Activity }
  | { status: 'not_found' }
  | { status: 'refused'; reason: string };

// The event store's one retry policy, with one run more than a command's default: a chunk of a
// big import overlaps many concurrent chunks' stream heads, so it meets deadlocks more often.
const CHUNK_ATTEMPTS = { attempts: 4 };

function recorderOf(metadata: Record<string, unknown>): RecordedBy | undefined {
  const r = metadata['recordedBy'] as RecordedBy | null | undefined;
  return r ? { sub: r.sub, role: r.role } : undefined;
}

// Version 1 of an activity stream is the activity, version 2 (if any) its void.
function toListed({ event, followUp, occurredKey }: StreamOpening): ListedActivity {
  const recordedBy = recorderOf(event.metadata);
  const voidReason = (followUp?.data as { reason?: unknown } | undefined)?.reason;
  return {
    activity: orderActivityFields(event.data as Activity),
    ...(recordedBy ? { recordedBy } : {}),
    recordedAt: event.recordedAt.toISOString(),
    voided: followUp !== undefined,
    ...(followUp ? { voidedAt: followUp.recordedAt.toISOString() } : {}),
    ...(followUp && voidReason !== undefined && voidReason !== null
      ? { voidReason: String(voidReason) }
      : {}),
    occurredKey,
  };
}

/**
 * Activities live only in the event store: one stream per (tenant, activityId), appended together
 * with its outbox record, so the log, the idempotency key and the publication commit as one.
 */
@Injectable()
export class ActivityRepository {
  constructor(private readonly store: EventStore) {}

  /**
   * Writes one chunk in one transaction and returns an outcome per candidate, in order. A new id
   * opens its stream and enqueues its event; an id whose stream exists (committed before, or by a
   * concurrent writer this one queued behind) is a duplicate when the stored activity equals the
   * candidate and a conflict otherwise. A repeated id inside the chunk is judged against its first
   * occurrence. What was accepted is audited in the same transaction (duplicates change nothing).
   */
  async writeChunk(
    actor: AuditActor,
    candidates: readonly Candidate[],
    via: RecordedVia = 'activities.recorded',
  ): Promise<WriteOutcome[]> {
    return this.store.command(async ({ manager: m }) => {
      const outcomes = await this.writeChunkIn(m, actor.tenantId, candidates);
      await auditAccepted(m, actor, via, candidates, outcomes);
      return outcomes;
    }, CHUNK_ATTEMPTS);
  }

  /**
   * A transaction (retried on deadlock or serialization failure, like `writeChunk`) in which `work`
   * does its own reads and writes (the CRM intake's deal state and exceptions) and writes its
   * activities through `write`: same idempotency, outbox and audit as `writeChunk`, one commit.
   */
  async transactWithWrites<T>(
    actor: AuditActor,
    via: RecordedVia,
    work: (
      m: EntityManager,
      write: (candidates: readonly Candidate[]) => Promise<WriteOutcome[]>,
    ) => Promise<T>,
  ): Promise<T> {
    return this.store.command(
      ({ manager: m }) =>
        work(m, async (candidates) => {
          if (candidates.length === 0) return [];
          const outcomes = await this.writeChunkIn(m, actor.tenantId, candidates);
          await auditAccepted(m, actor, via, candidates, outcomes);
          return outcomes;
        }),
      CHUNK_ATTEMPTS,
    );
  }

  private async writeChunkIn(
    m: EntityManager,
    tenantId: string,
    candidates: readonly Candidate[],
  ): Promise<WriteOutcome[]> {
    const outcomes: (WriteOutcome | undefined)[] = new Array(candidates.length);
    const firstByStream = new Map<string, number>();
    const primaries: { streamId: string; index: number }[] = [];
    candidates.forEach((c, index) => {
      const streamId = activityStreamId(tenantId, c.activity.activityId);
      if (!firstByStream.has(streamId)) {
        firstByStream.set(streamId, index);
        primaries.push({ streamId, index });
      }
    });
    const { appended, existing } = await this.store.appendNewStreamsIn(m, {
      streamType: ACTIVITY_STREAM_TYPE,
      existing: 'skip',
      streams: primaries.map(({ streamId, index }) => {
        const { activity, event, recordedBy } = candidates[index] as Candidate;
        return {
          streamId,
          event: {
            eventId: event.id,
            type: event.type,
            tenantId,
            data: activity,
            occurredAt: activity.occurredAt,
            metadata: { recordedBy },
          },
          outbox: [toOutbox(event)],
        };
      }),
    });
    for (const streamId of appended) outcomes[firstByStream.get(streamId) as number] = { status: 'accepted' };
    if (existing.length > 0) {
      const stored = await this.store.readOpenings(existing, m);
      for (const streamId of existing) {
        const index = firstByStream.get(streamId) as number;
        outcomes[index] = judge(
          stored.get(streamId)?.data as Activity | undefined,
          (candidates[index] as Candidate).activity,
        );
      }
    }
    candidates.forEach((c, i) => {
      if (outcomes[i] !== undefined) return;
      const first = candidates[
        firstByStream.get(activityStreamId(tenantId, c.activity.activityId)) as number
      ] as Candidate;
      outcomes[i] = judge(first.activity, c.activity);
    });
    return outcomes as WriteOutcome[];
  }

  async find(tenantId: string, activityId: string): Promise<StoredActivity | undefined> {
    const [row] = await this.store.listOpenings({
      streamType: ACTIVITY_STREAM_TYPE,
      tenantId,
      streamId: activityStreamId(tenantId, activityId),
    });
    if (!row) return undefined;
    const { occurredKey: _, ...stored } = toListed(row);
    return stored;
  }

  /** One page in (occurredAt, activityId) order, `limit + 1` rows so the caller knows if there is more. */
  async list(q: ListQuery): Promise<ListedActivity[]> {
    const rows = await this.store.listOpenings({
      streamType: ACTIVITY_STREAM_TYPE,
      tenantId: q.tenantId,
      ...(q.repId !== undefined ? { dataField: { name: 'repId', equals: q.repId } } : {}),
      ...(q.kind !== undefined ? { type: activityEventType(q.kind) } : {}),
      ...(q.from !== undefined ? { occurredFrom: q.from } : {}),
      ...(q.to !== undefined ? { occurredBefore: q.to } : {}),
      ...(q.after !== undefined
        ? {
            after: {
              occurredAt: q.after.occurredAt,
              streamId: activityStreamId(q.tenantId, q.after.activityId),
            },
          }
        : {}),
      limit: q.limit + 1,
    });
    return rows.map(toListed);
  }

  /**
   * Voids an activity: version 2 of its stream, published through the outbox in the same
   * transaction. The expected version makes concurrent voids of one activity publish once.
   * Who may void what is `voidRefusal`'s rule (SPEC §6), judged on the recorder kept with the activity.
   */
  async void(actor: AuditActor, voider: Voider, activityId: string, reason: string): Promise<VoidOutcome> {
    const tenantId = actor.tenantId;
    const streamId = activityStreamId(tenantId, activityId);
    // A concurrent void that commits first makes this one lose the race on version 2; the policy runs
    // it again, and the reload then finds the void: a repeat, answered as already voided.
    return this.store.command(async ({ manager: m }): Promise<VoidOutcome> => {
      const rows = (await this.store.readStream(streamId, 0, m)).filter((e) => e.tenantId === tenantId);
      const original = rows[0];
      if (!original) return { status: 'not_found' };
      const activity = orderActivityFields(original.data as Activity);
      const refusal = voidRefusal(voider, activity, recorderOf(original.metadata));
      if (refusal !== undefined) return { status: 'refused', reason: refusal };
      if (rows.length > 1) return { status: 'already_voided', activity };
      const now = new Date().toISOString();
      const event = voidedEvent(tenantId, activity, reason, now);
      await this.store.appendIn(m, {
        streamId,
        streamType: ACTIVITY_STREAM_TYPE,
        expectedVersion: 1,
        events: [{ eventId: event.id, type: event.type, tenantId, data: event.data, occurredAt: now }],
        outbox: [toOutbox(event)],
      });
      await recordAudit(m, actor, {
        type: 'activity.voided',
        subject: { activityId, repId: activity.repId },
        summary: { kind: activity.kind, reason },
        at: new Date(now),
      });
      return { status: 'voided', activity };
    });
  }
}

/** One audit entry per written chunk: who recorded which activities (one POST names its activity as subject). */
async function auditAccepted(
  m: EntityManager,
  actor: AuditActor,
  via: RecordedVia,
  candidates: readonly Candidate[],
  outcomes: readonly WriteOutcome[],
): Promise<void> {
  const accepted = candidates.filter((_, i) => outcomes[i]?.status === 'accepted').map((c) => c.activity);
  if (accepted.length === 0) return;
  const only = accepted.length === 1 ? accepted[0] : undefined;
  await recordAudit(m, actor, {
    type: via,
    subject: only ? { activityId: only.activityId, repId: only.repId } : {},
    summary: {
      accepted: accepted.length,
      duplicates: outcomes.filter((o) => o.status === 'duplicate').length,
      ...(only ? { kind: only.kind } : { activityIds: accepted.map((a) => a.activityId) }),
    },
  });
}

function judge(stored: Activity | undefined, incoming: Activity): WriteOutcome {
  if (stored !== undefined && canonicalJson(stored) === canonicalJson(incoming))
    return { status: 'duplicate' };
  return { status: 'conflict', fields: stored ? differingFields(stored, incoming) : [] };
}
