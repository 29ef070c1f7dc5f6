import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { newEventId, PacerEvent } from '@pacer/contracts';
import { AggregateRoot, ConcurrencyError, EventStore, StoredEvent, StreamTransaction } from '@pacer/event-store';
import { enqueueOutbox, OutboxMessage } from '@pacer/messaging';
import { AuditActor, AuditEntry, recordAudit } from '@pacer/platform';
import { SprintPlanningError } from '../domain/sprint-planning.error';
import { SprintPlanningProjection } from '../projections/sprint-planning.projection';
import { outboxRecord, publicEventsFor, PublishContext } from '../publication/public-events';
import { SprintPlanningEvent, toDomainEvent } from './domain-event-types';

export interface SavedEvent<E extends SprintPlanningEvent> {
  event: E;
  eventId: string;
}

const decode = (stored: StoredEvent): SprintPlanningEvent => toDomainEvent(stored.type, stored.data);

/**
 * One command's transaction: the event store's `StreamTransaction` (stream locks, aggregate loading,
 * appends) plus what is sprint-planning's own: the read-model projection of every save in the same
 * transaction, the audit entry, and the public events, enqueued in the outbox at the end in the order
 * the command announced them.
 *
 * Concurrency: a command locks the head rows of the streams it decides on (`FOR UPDATE`, team before
 * sprint) before loading them, so a command without If-Match runs on the latest state, never a stale
 * one; with If-Match a mismatch is a 409. The append's expected version stays as the backstop, and a
 * command that loses there is run again by the event store's retry policy (see `CommandRunner`).
 *
 * Audit: a command that saves events must say what it did with `audit(...)`; the entry is written in
 * this transaction, and a command that changed something without one fails rather than go unaudited.
 * A command that saved nothing records nothing.
 */
export class CommandTransaction {
  readonly now: Date;
  readonly time: string;
  readonly tenantId: string;
  private readonly outbox: OutboxMessage[] = [];
  private readonly audits: AuditEntry[] = [];
  private savedEvents = 0;

  readonly manager: EntityManager;

  constructor(
    private readonly stream: StreamTransaction,
    private readonly projection: SprintPlanningProjection,
    readonly actor: AuditActor,
    now: Date,
  ) {
    this.manager = stream.manager;
    this.now = now;
    this.time = now.toISOString();
    this.tenantId = actor.tenantId;
  }

  /** Records what this command did, on behalf of its actor, in its transaction. */
  audit(type: string, subject: Record<string, string>, summary: Record<string, unknown> = {}): void {
    this.audits.push({ type, subject, summary, at: this.now });
  }

  /** Locks a stream head (no-op for a stream that does not exist yet; its creation is checked by the append). */
  lock(streamId: string, mode: 'update' | 'share' = 'update'): Promise<void> {
    return this.stream.lock(streamId, mode);
  }

  load<E extends SprintPlanningEvent, A extends AggregateRoot<E>>(streamId: string, aggregate: A): Promise<A> {
    return this.stream.load(streamId, aggregate, (stored) => decode(stored) as E);
  }

  /** 409 when the client's If-Match names another version than the aggregate's. */
  assertIfMatch(aggregate: AggregateRoot<SprintPlanningEvent>, ifMatch: number | undefined): void {
    if (ifMatch !== undefined && ifMatch !== aggregate.loadedVersion) {
      throw new SprintPlanningError(
        'version-conflict',
        `The resource is at version ${aggregate.loadedVersion}, not ${ifMatch}: someone changed it; reload and retry.`,
        undefined,
        { currentVersion: aggregate.loadedVersion },
      );
    }
  }

  /** Appends the aggregate's pending events at its loaded version and projects them. */
  async save<E extends SprintPlanningEvent>(
    streamId: string,
    streamType: string,
    aggregate: AggregateRoot<E>,
  ): Promise<SavedEvent<E>[]> {
    const pending = aggregate.uncommittedEvents;
    if (pending.length === 0) return [];
    this.savedEvents += pending.length;
    const withIds = pending.map((event) => ({ event, eventId: newEventId() }));
    const stored = await this.stream.save(streamId, streamType, aggregate, {
      tenantId: this.tenantId,
      occurredAt: this.now,
      eventIds: withIds.map((w) => w.eventId),
    });
    await this.projection.apply(this.manager, stored);
    return withIds;
  }

  /** Queues the public events of saved domain events. */
  announce<E extends SprintPlanningEvent>(
    saved: readonly SavedEvent<E>[],
    context: Omit<PublishContext, 'tenantId' | 'eventId' | 'time'> = {},
  ): void {
    for (const { event, eventId } of saved) {
      this.publish(publicEventsFor(event, { ...context, tenantId: this.tenantId, eventId, time: this.time }));
    }
  }

  publish(events: readonly PacerEvent[]): void {
    this.outbox.push(...events.map(outboxRecord));
  }

  async flush(): Promise<void> {
    if (this.savedEvents > 0 && this.audits.length === 0) {
      throw new Error('a sprint-planning command saved events without an audit entry');
    }
    // A command that changed nothing (a repeated PUT, an item moved to the status it has) is not audited.
    if (this.savedEvents > 0) await recordAudit(this.manager, this.actor, ...this.audits);
    await enqueueOutbox(this.manager, this.outbox);
  }
}

/**
 * Runs commands through `EventStore.command`: in a transaction, run again from the start (fresh clock,
 * fresh state, nothing queued kept) when it loses a race, as the event store's one retry policy says.
 * A command with If-Match re-checks it on every run, so a stale client version still ends as the
 * domain's 409. A race still lost after the last run becomes a 409 problem.
 */
@Injectable()
export class CommandRunner {
  constructor(
    private readonly store: EventStore,
    private readonly projection: SprintPlanningProjection,
  ) {}

  /** `onConflict` names the error for a lost race to create a stream (default: version-conflict). */
  async run<T>(
    actor: AuditActor,
    command: (tx: CommandTransaction) => Promise<T>,
    onConflict?: () => SprintPlanningError,
  ): Promise<T> {
    try {
      return await this.store.command(async (stream) => {
        const tx = new CommandTransaction(stream, this.projection, actor, new Date());
        const result = await command(tx);
        await tx.flush();
        return result;
      });
    } catch (e) {
      if (e instanceof ConcurrencyError) {
        if (onConflict) throw onConflict();
        throw new SprintPlanningError(
          'version-conflict',
          'Someone changed the resource at the same time; reload and retry.',
          undefined,
          {
            currentVersion: e.actualVersion,
          },
        );
      }
      throw e;
    }
  }
}
