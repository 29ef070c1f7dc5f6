import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { eventKey, makeEvent, newEventId, PacerEvent, PlanBody, TOPICS } from '@pacer/contracts';
import { AggregateRoot, DomainEvent, EventStore, StreamTransaction } from '@pacer/event-store';
import { enqueueOutbox } from '@pacer/messaging';
import { AuditActor, recordAudit } from '@pacer/platform';
import { CommissionError } from '../commission.error';
import { money } from '../calculation/decimal';
import { DirtyStatements } from '../ledger/dirty-statements';
import {
  assignmentsOfRep,
  insertPlanVersion,
  isPlanAssigned,
  planExists,
  planIdsOfTenant,
  planVersion,
  PlanVersionRow,
  planVersions,
  quotasOfRep,
  repsOfPlan,
  upsertAssignment,
  upsertQuota,
} from '../ledger/plan-read-model.repository';
import { Recalculator } from '../ledger/recalculator';
import {
  decodePlanEvent,
  decodeRepPlanEvent,
  PlanAggregate,
  planStreamId,
  RepPlanAggregate,
  repPlanStreamId,
  PLAN_STREAM,
  REP_PLAN_STREAM,
} from './plan.aggregate';
import { AssignPlanDto, PlanDto, QuotaDto } from './plan.dto';
import { planRuleProblems } from './plan-rules';

export interface PlanVersionView extends PlanBody {
  planId: string;
  version: number;
  eventId: string;
  createdAt: string;
}

export interface Outcome<T> {
  created: boolean;
  body: T;
}

function toBody(dto: PlanDto): PlanBody {
  return {
    name: dto.name,
    currency: dto.currency,
    period: dto.period,
    tiers: dto.tiers.map((t) => ({ from: t.from, rate: t.rate })),
    tierMode: dto.tierMode,
    cap: dto.cap ?? null,
    spiffs: (dto.spiffs ?? []).map((s) => ({
      id: s.id,
      metric: s.metric,
      threshold: s.threshold,
      amount: s.amount,
    })),
    clawbackDays: dto.clawbackDays ?? 0,
    effectiveFrom: dto.effectiveFrom,
  };
}

function versionView(planId: string, row: PlanVersionRow): PlanVersionView {
  return {
    planId,
    version: row.version,
    ...row.body,
    eventId: row.event_id,
    createdAt: row.created_at.toISOString(),
  };
}

/**
 * Plans, assignments and quotas: event-sourced in the service's event store, published to
 * `pacer.plans.v1` through the outbox in the same transaction, projected into the tables the
 * calculation reads, and followed at once by the recalculation of every statement they govern.
 * Commands run through `EventStore.command`: a write that loses a race on a plan's or a rep's stream
 * re-reads and decides again; the last lost race reaches the edge as a ConcurrencyError (409).
 */
@Injectable()
export class PlansService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventStore,
    private readonly recalculator: Recalculator,
  ) {}

  async putPlan(actor: AuditActor, planId: string, dto: PlanDto): Promise<Outcome<PlanVersionView>> {
    const tenantId = actor.tenantId;
    const body = toBody(dto);
    const problems = planRuleProblems(body);
    if (problems.length > 0) throw CommissionError.validation(problems, 'The plan is not valid.');
    return this.events.command(async (tx) => {
      const manager = tx.manager;
      const streamId = planStreamId(tenantId, planId);
      const plan = await tx.load(streamId, new PlanAggregate(planId), decodePlanEvent);
      const data = plan.createVersion(body);
      if (data === undefined) {
        return {
          created: false,
          body: (await this.version(tenantId, planId, plan.latest?.version ?? 0, manager)) as PlanVersionView,
        };
      }
      const event = await this.save(tx, tenantId, streamId, PLAN_STREAM, plan);
      await insertPlanVersion(manager, tenantId, planId, data.version, body, event.id);
      const dirty = new DirtyStatements();
      for (const repId of await repsOfPlan(manager, tenantId, planId)) {
        dirty.touchRep(tenantId, repId);
        dirty.addCause(event.id, tenantId, repId);
      }
      await this.recalculate(manager, dirty);
      await recordAudit(manager, actor, {
        type: 'plan.version_created',
        subject: { planId },
        summary: { version: data.version, effectiveFrom: body.effectiveFrom, eventId: event.id },
      });
      return {
        created: true,
        body: (await this.version(tenantId, planId, data.version, manager)) as PlanVersionView,
      };
    });
  }

  async assign(
    actor: AuditActor,
    repId: string,
    dto: AssignPlanDto,
  ): Promise<Outcome<{ repId: string; planId: string; effectiveFrom: string; eventId: string | null }>> {
    const tenantId = actor.tenantId;
    return this.events.command(async (tx) => {
      const manager = tx.manager;
      if (!(await planExists(manager, tenantId, dto.planId))) {
        throw CommissionError.validation([
          { path: 'planId', message: `no plan ${dto.planId} exists in this tenant` },
        ]);
      }
      const streamId = repPlanStreamId(tenantId, repId);
      const rep = await tx.load(streamId, new RepPlanAggregate(repId), decodeRepPlanEvent);
      const data = rep.assign(dto.planId, dto.effectiveFrom);
      if (data === undefined)
        return {
          created: false,
          body: { repId, planId: dto.planId, effectiveFrom: dto.effectiveFrom, eventId: null },
        };
      const event = await this.save(tx, tenantId, streamId, REP_PLAN_STREAM, rep);
      await upsertAssignment(manager, tenantId, repId, dto.effectiveFrom, dto.planId, event.id);
      const dirty = new DirtyStatements();
      dirty.touchRep(tenantId, repId);
      dirty.addCause(event.id, tenantId, repId);
      await this.recalculate(manager, dirty);
      await recordAudit(manager, actor, {
        type: 'plan.assigned',
        subject: { repId, planId: dto.planId },
        summary: { effectiveFrom: dto.effectiveFrom, eventId: event.id },
      });
      return { created: true, body: { ...data, eventId: event.id } };
    });
  }

  async setQuota(
    actor: AuditActor,
    repId: string,
    periodKey: string,
    dto: QuotaDto,
  ): Promise<Outcome<{ repId: string; periodKey: string; amount: string; eventId: string | null }>> {
    const tenantId = actor.tenantId;
    const amount = money(dto.amount);
    return this.events.command(async (tx) => {
      const manager = tx.manager;
      const streamId = repPlanStreamId(tenantId, repId);
      const rep = await tx.load(streamId, new RepPlanAggregate(repId), decodeRepPlanEvent);
      const data = rep.setQuota(periodKey, amount);
      if (data === undefined) return { created: false, body: { repId, periodKey, amount, eventId: null } };
      const event = await this.save(tx, tenantId, streamId, REP_PLAN_STREAM, rep);
      await upsertQuota(manager, tenantId, repId, periodKey, amount, event.id);
      const dirty = new DirtyStatements();
      dirty.touchRep(tenantId, repId);
      dirty.addCause(event.id, tenantId, repId);
      await this.recalculate(manager, dirty);
      await recordAudit(manager, actor, {
        type: 'quota.set',
        subject: { repId, periodKey },
        summary: { amount, eventId: event.id },
      });
      return { created: true, body: { ...data, eventId: event.id } };
    });
  }

  async version(
    tenantId: string,
    planId: string,
    version: number,
    manager?: EntityManager,
  ): Promise<PlanVersionView | undefined> {
    const row = await planVersion(manager ?? this.dataSource.manager, tenantId, planId, version);
    return row && versionView(planId, row);
  }

  async versions(tenantId: string, planId: string): Promise<PlanVersionView[]> {
    return (await planVersions(this.dataSource.manager, tenantId, planId)).map((r) => versionView(planId, r));
  }

  planIds(tenantId: string): Promise<{ planId: string; latestVersion: number }[]> {
    return planIdsOfTenant(this.dataSource.manager, tenantId);
  }

  isAssigned(tenantId: string, repId: string, planId: string): Promise<boolean> {
    return isPlanAssigned(this.dataSource.manager, tenantId, repId, planId);
  }

  assignments(
    tenantId: string,
    repId: string,
  ): Promise<{ planId: string; effectiveFrom: string; eventId: string }[]> {
    return assignmentsOfRep(this.dataSource.manager, tenantId, repId);
  }

  quotas(tenantId: string, repId: string): Promise<{ periodKey: string; amount: string; eventId: string }[]> {
    return quotasOfRep(this.dataSource.manager, tenantId, repId);
  }

  /**
   * Saves the aggregate's one pending event at the version it was loaded at, published to
   * `pacer.plans.v1` as the CloudEvent returned (same id and time as the stored event).
   */
  private async save<E extends DomainEvent>(
    tx: StreamTransaction,
    tenantId: string,
    streamId: string,
    streamType: string,
    aggregate: AggregateRoot<E>,
  ): Promise<PacerEvent> {
    const [pending] = aggregate.uncommittedEvents;
    if (pending === undefined || aggregate.uncommittedEvents.length !== 1) {
      throw new Error(`a plan command raises exactly one event, not ${aggregate.uncommittedEvents.length}`);
    }
    const id = newEventId();
    const time = new Date().toISOString();
    const event = makeEvent(
      pending.type as PacerEvent['type'],
      {
        id,
        tenantId,
        time,
        recordedTime: time,
        data: pending.data,
      } as Parameters<typeof makeEvent>[1],
    ) as PacerEvent;
    await tx.save(streamId, streamType, aggregate, {
      tenantId,
      occurredAt: time,
      eventIds: [id],
      outbox: [{ topic: TOPICS.plans, key: eventKey(event), value: event }],
    });
    return event;
  }

  private recalculate(manager: EntityManager, dirty: DirtyStatements): Promise<unknown> {
    return this.recalculator.recalculate(manager, dirty, (messages) => enqueueOutbox(manager, messages));
  }
}
