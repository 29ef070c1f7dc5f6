import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { newEventId, PacerEvent } from '@pacer/contracts';
import { ConcurrencyError, EventStore } from '@pacer/event-store';
import { enqueueOutbox, OutboxMessage } from '@pacer/messaging';
import { AuditActor, AuditEntry, recordAudit } from '@pacer/platform';
import { AggregateRoot } from '../domain/aggregate-root';
import { SprintPlanningError } from '../domain/sprint-planning.error';
import { SprintPlanningProjection } from '../projections/sprint-planning.projection';
import { outboxRecord, publicEventsFor, PublishContext } from '../publication/public-events';
import { SprintPlanningEvent, toDomainEvent } from './domain-event-types';

export interface SavedEvent<E extends SprintPlanningEvent> {
  event: E;
  eventId: string;
}

/**
 * One command's transaction: stream locks, aggregate loading, appends (with the read-model projection
 * in the same transaction) and the public events, enqueued in the outbox at the end in the order the
 * command announced them.
 *
 * Concurrency: a command locks the head rows of the streams it decides on (`FOR UPDATE`, team before
 * sprint) before loading them, so a command without If-Match runs on the latest state, never a stale
 * one; with If-Match a mismatch is a 409. The append's expected version stays as the backstop.
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

  constructor(
    readonly manager: EntityManager,
    private readonly store: EventStore,
    private readonly projection: SprintPlanningProjection,
    readonly actor: AuditActor,
    now: Date,
  ) {
    this.now = now;
    this.time = now.toISOString();
    this.tenantId = actor.tenantId;
  }

  /** Records what this command did, on behalf of its actor, in its transaction. */
  audit(type: string, subject: Record<string, string>, summary: Record<string, unknown> = {}): void {
    this.audits.push({ type, subject, summary, at: this.now });
  }

  /** Locks a stream head (no-op for a stream that does not exist yet; its creation is checked by the append). */
  async lock(streamId: string, mode: 'update' | 'share' = 'update'): Promise<void> {
    await this.manager.query(
      `SELECT version FROM streams WHERE stream_id = $1 ${mode === 'update' ? 'FOR UPDATE' : 'FOR SHARE'}`,
      [streamId],
    );
  }

  async load<E extends SprintPlanningEvent, A extends AggregateRoot<E>>(
    streamId: string,
    aggregate: A,
  ): Promise<A> {
    const stored = await this.store.readStream(streamId, 0, this.manager);
    return aggregate.loadFromHistory(stored.map((s) => toDomainEvent(s.type, s.data) as E));
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
    const result = await this.store.appendIn(this.manager, {
      streamId,
      streamType,
      expectedVersion: aggregate.loadedVersion,
      events: withIds.map(({ event, eventId }) => ({
        eventId,
        type: event.type,
        tenantId: this.tenantId,
        data: event.data,
        occurredAt: this.now,
      })),
    });
    await this.projection.apply(this.manager, result.events);
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

/** Runs commands in a transaction; a lost optimistic race becomes a 409 problem. */
@Injectable()
export class CommandRunner {
  constructor(
    private readonly dataSource: DataSource,
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
      return await this.dataSource.transaction(async (manager) => {
        const tx = new CommandTransaction(manager, this.store, this.projection, actor, new Date());
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
