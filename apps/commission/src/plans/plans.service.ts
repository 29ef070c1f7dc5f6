import { Injectable } from '@nestjs/common';
import { CommissionError } from '../commission.error';
import { DataSource, EntityManager } from 'typeorm';
import { eventKey, EventType, makeEvent, newEventId, PacerEvent, PlanBody, TOPICS } from '@pacer/contracts';
import { ConcurrencyError, EventStore } from '@pacer/event-store';
import { enqueueOutbox } from '@pacer/messaging';
import { AuditActor, recordAudit } from '@pacer/platform';
import { money } from '../calculation/decimal';
import { DirtyStatements } from '../ledger/dirty-statements';
import { Recalculator } from '../ledger/recalculator';
import {
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

/**
 * Plans, assignments and quotas: event-sourced in the service's event store, published to
 * `pacer.plans.v1` through the outbox in the same transaction, projected into the tables the
 * calculation reads, and followed at once by the recalculation of every statement they govern.
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
    return this.inTransaction(async (manager) => {
      const streamId = planStreamId(tenantId, planId);
      const plan = PlanAggregate.load(planId, await this.events.readStream(streamId, 0, manager));
      const data = plan.createVersion(body);
      if (data === undefined) {
        return {
          created: false,
          body: (await this.version(tenantId, planId, plan.latest?.version ?? 0, manager)) as PlanVersionView,
        };
      }
      const event = await this.append(
        manager,
        tenantId,
        streamId,
        PLAN_STREAM,
        plan.expectedVersion,
        'pacer.plan.version_created.v1',
        data,
      );
      await manager.query(
        `INSERT INTO plan_versions (tenant_id, plan_id, version, effective_from, body, event_id) VALUES ($1, $2, $3, $4, $5, $6)`,
        [tenantId, planId, data.version, body.effectiveFrom, JSON.stringify(body), event.id],
      );
      const reps = (await manager.query(
        `SELECT DISTINCT rep_id FROM plan_assignments WHERE tenant_id = $1 AND plan_id = $2`,
        [tenantId, planId],
      )) as { rep_id: string }[];
      const dirty = new DirtyStatements();
      for (const r of reps) {
        dirty.touchRep(tenantId, r.rep_id);
        dirty.addCause(event.id, tenantId, r.rep_id);
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
    return this.inTransaction(async (manager) => {
      const [exists] = (await manager.query(
        `SELECT 1 FROM plan_versions WHERE tenant_id = $1 AND plan_id = $2 LIMIT 1`,
        [tenantId, dto.planId],
      )) as unknown[];
      if (exists === undefined) {
        throw CommissionError.validation([
          { path: 'planId', message: `no plan ${dto.planId} exists in this tenant` },
        ]);
      }
      const streamId = repPlanStreamId(tenantId, repId);
      const rep = RepPlanAggregate.load(repId, await this.events.readStream(streamId, 0, manager));
      const data = rep.assign(dto.planId, dto.effectiveFrom);
      if (data === undefined)
        return {
          created: false,
          body: { repId, planId: dto.planId, effectiveFrom: dto.effectiveFrom, eventId: null },
        };
      const event = await this.append(
        manager,
        tenantId,
        streamId,
        REP_PLAN_STREAM,
        rep.expectedVersion,
        'pacer.plan.assigned.v1',
        data,
      );
      await manager.query(
        `INSERT INTO plan_assignments (tenant_id, rep_id, effective_from, plan_id, event_id) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (tenant_id, rep_id, effective_from) DO UPDATE SET plan_id = EXCLUDED.plan_id, event_id = EXCLUDED.event_id, updated_at = now()`,
        [tenantId, repId, dto.effectiveFrom, dto.planId, event.id],
      );
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
    return this.inTransaction(async (manager) => {
      const streamId = repPlanStreamId(tenantId, repId);
      const rep = RepPlanAggregate.load(repId, await this.events.readStream(streamId, 0, manager));
      const data = rep.setQuota(periodKey, amount);
      if (data === undefined) return { created: false, body: { repId, periodKey, amount, eventId: null } };
      const event = await this.append(
        manager,
        tenantId,
        streamId,
        REP_PLAN_STREAM,
        rep.expectedVersion,
        'pacer.plan.quota_set.v1',
        data,
      );
      await manager.query(
        `INSERT INTO quotas (tenant_id, rep_id, period_key, amount, event_id) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (tenant_id, rep_id, period_key) DO UPDATE SET amount = EXCLUDED.amount, event_id = EXCLUDED.event_id, updated_at = now()`,
        [tenantId, repId, periodKey, amount, event.id],
      );
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
    const [row] = (await (manager ?? this.dataSource.manager).query(
      `SELECT version, body, event_id, created_at FROM plan_versions WHERE tenant_id = $1 AND plan_id = $2 AND version = $3`,
      [tenantId, planId, version],
    )) as { version: number; body: PlanBody; event_id: string; created_at: Date }[];
    return (
      row && {
        planId,
        version: row.version,
        ...row.body,
        eventId: row.event_id,
        createdAt: row.created_at.toISOString(),
      }
    );
  }

  async versions(tenantId: string, planId: string): Promise<PlanVersionView[]> {
    const rows = (await this.dataSource.query(
      `SELECT version, body, event_id, created_at FROM plan_versions WHERE tenant_id = $1 AND plan_id = $2 ORDER BY version`,
      [tenantId, planId],
    )) as { version: number; body: PlanBody; event_id: string; created_at: Date }[];
    return rows.map((r) => ({
      planId,
      version: r.version,
      ...r.body,
      eventId: r.event_id,
      createdAt: r.created_at.toISOString(),
    }));
  }

  async planIds(tenantId: string): Promise<{ planId: string; latestVersion: number }[]> {
    const rows = (await this.dataSource.query(
      `SELECT plan_id, max(version)::int AS latest FROM plan_versions WHERE tenant_id = $1 GROUP BY plan_id ORDER BY plan_id`,
      [tenantId],
    )) as { plan_id: string; latest: number }[];
    return rows.map((r) => ({ planId: r.plan_id, latestVersion: r.latest }));
  }

  async isAssigned(tenantId: string, repId: string, planId: string): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `SELECT 1 FROM plan_assignments WHERE tenant_id = $1 AND rep_id = $2 AND plan_id = $3 LIMIT 1`,
      [tenantId, repId, planId],
    )) as unknown[];
    return rows.length > 0;
  }

  async assignments(
    tenantId: string,
    repId: string,
  ): Promise<{ planId: string; effectiveFrom: string; eventId: string }[]> {
    const rows = (await this.dataSource.query(
      `SELECT plan_id, effective_from::text AS effective_from, event_id FROM plan_assignments WHERE tenant_id = $1 AND rep_id = $2 ORDER BY effective_from`,
      [tenantId, repId],
    )) as { plan_id: string; effective_from: string; event_id: string }[];
    return rows.map((r) => ({ planId: r.plan_id, effectiveFrom: r.effective_from, eventId: r.event_id }));
  }

  async quotas(
    tenantId: string,
    repId: string,
  ): Promise<{ periodKey: string; amount: string; eventId: string }[]> {
    const rows = (await this.dataSource.query(
      `SELECT period_key, amount::text AS amount, event_id FROM quotas WHERE tenant_id = $1 AND rep_id = $2 ORDER BY period_key`,
      [tenantId, repId],
    )) as { period_key: string; amount: string; event_id: string }[];
    return rows.map((r) => ({ periodKey: r.period_key, amount: money(r.amount), eventId: r.event_id }));
  }

  private async append<T extends EventType>(
    manager: EntityManager,
    tenantId: string,
    streamId: string,
    streamType: string,
    expectedVersion: number,
    type: T,
    data: PacerEvent<T>['data'],
  ): Promise<PacerEvent<T>> {
    const id = newEventId();
    const time = new Date().toISOString();
    const event = makeEvent(type, { id, tenantId, time, recordedTime: time, data } as Parameters<
      typeof makeEvent<T>
    >[1]);
    await this.events.appendIn(manager, {
      streamId,
      streamType,
      expectedVersion,
      events: [{ eventId: id, type, tenantId, data: data as object, occurredAt: time }],
      outbox: [{ topic: TOPICS.plans, key: eventKey(event as PacerEvent), value: event }],
    });
    return event;
  }

  private recalculate(manager: EntityManager, dirty: DirtyStatements): Promise<unknown> {
    return this.recalculator.recalculate(manager, dirty, (messages) => enqueueOutbox(manager, messages));
  }

  // Two writes to one plan or rep race on the stream version; the loser re-reads and decides again.
  private async inTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.dataSource.transaction(work);
      } catch (e) {
        if (!(e instanceof ConcurrencyError)) throw e;
        if (attempt >= 3) {
          throw new CommissionError(
            'concurrent-change',
            'The plan or rep was changed concurrently; retry the request.',
          );
        }
      }
    }
  }
}
