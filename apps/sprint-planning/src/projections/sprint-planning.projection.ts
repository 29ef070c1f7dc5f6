import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { StoredEvent } from '@pacer/event-store';
import { SprintEvent } from '../domain/sprint/sprint.events';
import { TeamEvent } from '../domain/team/team.events';
import { toDomainEvent } from '../event-sourcing/domain-event-types';

/** The tables this projection owns; a rebuild empties exactly these. */
export const PROJECTION_TABLES = [
  'tenant_settings',
  'teams',
  'team_memberships',
  'sprints',
  'sprint_commitments',
  'sprint_items',
  'sprint_reports',
] as const;

type Of<E extends { type: string; data: object }, T extends E['type']> = Extract<E, { type: T }>['data'];

/**
 * Applies stored events to the read models. Commands call it in the transaction of their append, and
 * `rebuildReadModels` replays the whole store through it, so both paths give the same tables. Every
 * value written comes from the event (never the clock), so a rebuild reproduces the rows exactly.
 */
@Injectable()
export class SprintPlanningProjection {
  async apply(manager: EntityManager, events: readonly StoredEvent[]): Promise<void> {
    for (const stored of events) await this.applyOne(manager, stored);
  }

  private async applyOne(m: EntityManager, stored: StoredEvent): Promise<void> {
    const event = toDomainEvent(stored.type, stored.data);
    const tenant = stored.tenantId;
    const at = stored.occurredAt;
    switch (event.type) {
      case 'settings.updated': {
        const d = event.data;
        await m.query(
          `INSERT INTO tenant_settings (tenant_id, timezone, week_starts_on, fiscal_year_start_month, deals_require_approval, version, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (tenant_id) DO UPDATE SET timezone = EXCLUDED.timezone, week_starts_on = EXCLUDED.week_starts_on,
             fiscal_year_start_month = EXCLUDED.fiscal_year_start_month, deals_require_approval = EXCLUDED.deals_require_approval,
             version = EXCLUDED.version, updated_at = EXCLUDED.updated_at`,
          [tenant, d.timezone, d.weekStartsOn, d.fiscalYearStartMonth, d.dealsRequireApproval ?? false, stored.version, at],
        );
        return;
      }
      case 'team.created':
        await m.query(
          `INSERT INTO teams (tenant_id, team_id, name, sales_model, version, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $6)`,
          [tenant, event.data.teamId, event.data.name, event.data.salesModel, stored.version, at],
        );
        return;
      case 'team.renamed':
        await m.query(`UPDATE teams SET name = $3 WHERE tenant_id = $1 AND team_id = $2`, [
          tenant,
          event.data.teamId,
          event.data.name,
        ]);
        return this.teamVersion(m, tenant, event.data.teamId, stored);
      case 'team.member_joined':
        await this.openSegment(m, tenant, event.data);
        return this.teamVersion(m, tenant, event.data.teamId, stored);
      case 'team.member_changed':
        await this.closeSegment(m, tenant, event.data.teamId, event.data.repId, event.data.effectiveFrom);
        await this.openSegment(m, tenant, event.data);
        return this.teamVersion(m, tenant, event.data.teamId, stored);
      case 'team.member_left':
        await this.closeSegment(m, tenant, event.data.teamId, event.data.repId, event.data.effectiveTo);
        return this.teamVersion(m, tenant, event.data.teamId, stored);
      case 'sprint.planned': {
        const d = event.data;
        await m.query(
          `INSERT INTO sprints (tenant_id, sprint_id, team_id, start_date, length_days, goal, timezone, status, version, planned_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 'planned', $8, $9)`,
          [tenant, d.sprintId, d.teamId, d.startDate, d.lengthDays, d.goal, d.timezone, stored.version, at],
        );
        return;
      }
      case 'sprint.commitment_set':
        await this.setCommitment(m, tenant, event.data);
        return this.sprintVersion(m, tenant, event.data.sprintId, stored);
      case 'sprint.item_status_changed':
        await m.query(
          `UPDATE sprint_items SET status = $4 WHERE tenant_id = $1 AND sprint_id = $2 AND item_id = $3`,
          [tenant, event.data.sprintId, event.data.itemId, event.data.status],
        );
        return this.sprintVersion(m, tenant, event.data.sprintId, stored);
      case 'sprint.started': {
        const { sprintId } = event.data;
        await m.query(
          `UPDATE sprint_commitments SET committed_targets = targets WHERE tenant_id = $1 AND sprint_id = $2`,
          [tenant, sprintId],
        );
        await m.query(
          `UPDATE sprint_items SET in_snapshot = NOT removed WHERE tenant_id = $1 AND sprint_id = $2`,
          [tenant, sprintId],
        );
        await m.query(
          `UPDATE sprints SET status = 'active', started_at = $3 WHERE tenant_id = $1 AND sprint_id = $2`,
          [tenant, sprintId, at],
        );
        return this.sprintVersion(m, tenant, sprintId, stored);
      }
      case 'sprint.items_carried_in':
        await this.carryIn(m, tenant, event.data);
        return this.sprintVersion(m, tenant, event.data.sprintId, stored);
      case 'sprint.items_carried_out':
        await m.query(
          `UPDATE sprint_items SET carried_to = $3 WHERE tenant_id = $1 AND sprint_id = $2 AND item_id = ANY($4::text[])`,
          [tenant, event.data.sprintId, event.data.toSprintId, event.data.itemIds],
        );
        return this.sprintVersion(m, tenant, event.data.sprintId, stored);
      case 'sprint.closed':
        await m.query(
          `UPDATE sprints SET status = 'closed', closed_at = $3 WHERE tenant_id = $1 AND sprint_id = $2`,
          [tenant, event.data.sprintId, at],
        );
        return this.sprintVersion(m, tenant, event.data.sprintId, stored);
      case 'sprint.report_published': {
        const { report } = event.data;
        await m.query(
          `INSERT INTO sprint_reports (tenant_id, sprint_id, team_id, start_date, report, published_at) VALUES ($1, $2, $3, $4, $5, $6)`,
          [tenant, report.sprintId, report.teamId, report.startDate, JSON.stringify(report), at],
        );
        return this.sprintVersion(m, tenant, event.data.sprintId, stored);
      }
    }
  }

  private async teamVersion(
    m: EntityManager,
    tenant: string,
    teamId: string,
    stored: StoredEvent,
  ): Promise<void> {
    await m.query(`UPDATE teams SET version = $3, updated_at = $4 WHERE tenant_id = $1 AND team_id = $2`, [
      tenant,
      teamId,
      stored.version,
      stored.occurredAt,
    ]);
  }

  private async sprintVersion(
    m: EntityManager,
    tenant: string,
    sprintId: string,
    stored: StoredEvent,
  ): Promise<void> {
    await m.query(`UPDATE sprints SET version = $3 WHERE tenant_id = $1 AND sprint_id = $2`, [
      tenant,
      sprintId,
      stored.version,
    ]);
  }

  private async openSegment(
    m: EntityManager,
    tenant: string,
    d: Of<TeamEvent, 'team.member_joined'>,
  ): Promise<void> {
    await m.query(
      `INSERT INTO team_memberships (tenant_id, team_id, rep_id, seq, name, role, effective_from)
       SELECT $1, $2, $3, COALESCE(MAX(seq), 0) + 1, $4, $5, $6
         FROM team_memberships WHERE tenant_id = $1 AND team_id = $2 AND rep_id = $3`,
      [tenant, d.teamId, d.repId, d.name, d.role, d.effectiveFrom],
    );
  }

  private async closeSegment(
    m: EntityManager,
    tenant: string,
    teamId: string,
    repId: string,
    at: string,
  ): Promise<void> {
    await m.query(
      `UPDATE team_memberships SET effective_to = $4
        WHERE tenant_id = $1 AND team_id = $2 AND rep_id = $3 AND effective_to IS NULL`,
      [tenant, teamId, repId, at],
    );
  }

  private async setCommitment(
    m: EntityManager,
    tenant: string,
    d: Of<SprintEvent, 'sprint.commitment_set'>,
  ): Promise<void> {
    const [sprint] = (await m.query(`SELECT status FROM sprints WHERE tenant_id = $1 AND sprint_id = $2`, [
      tenant,
      d.sprintId,
    ])) as {
      status: string;
    }[];
    const active = sprint?.status === 'active';
    const [previous] = (await m.query(
      `SELECT item_ids FROM sprint_commitments WHERE tenant_id = $1 AND sprint_id = $2 AND rep_id = $3`,
      [tenant, d.sprintId, d.repId],
    )) as { item_ids: string[] }[];
    const listed = new Set(d.items.map((i) => i.itemId));
    const dropped = (previous?.item_ids ?? []).filter((id) => !listed.has(id));
    if (dropped.length > 0) {
      // Same rule as the aggregate: before start a dropped item goes, afterwards it is kept and marked.
      await m.query(
        active
          ? `UPDATE sprint_items SET removed = true WHERE tenant_id = $1 AND sprint_id = $2 AND item_id = ANY($3::text[])`
          : `DELETE FROM sprint_items WHERE tenant_id = $1 AND sprint_id = $2 AND item_id = ANY($3::text[])`,
        [tenant, d.sprintId, dropped],
      );
    }
    if (d.items.length > 0) {
      await m.query(
        `INSERT INTO sprint_items (tenant_id, sprint_id, item_id, rep_id, title, opportunity_id, due_date, status,
                                   in_snapshot, added_after_start, removed)
         SELECT $1, $2, x.item_id, $3, x.title, x.opportunity_id, x.due_date, 'todo', false, $4, false
           FROM unnest($5::text[], $6::text[], $7::text[], $8::text[]) AS x(item_id, title, opportunity_id, due_date)
         ON CONFLICT (tenant_id, sprint_id, item_id) DO UPDATE SET title = EXCLUDED.title,
           opportunity_id = EXCLUDED.opportunity_id, due_date = EXCLUDED.due_date, removed = false`,
        [
          tenant,
          d.sprintId,
          d.repId,
          active,
          d.items.map((i) => i.itemId),
          d.items.map((i) => i.title),
          d.items.map((i) => i.opportunityId ?? null),
          d.items.map((i) => i.dueDate ?? null),
        ],
      );
    }
    await m.query(
      `INSERT INTO sprint_commitments (tenant_id, sprint_id, rep_id, targets, item_ids) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id, sprint_id, rep_id) DO UPDATE SET targets = EXCLUDED.targets, item_ids = EXCLUDED.item_ids`,
      [tenant, d.sprintId, d.repId, JSON.stringify(d.targets), JSON.stringify(d.items.map((i) => i.itemId))],
    );
  }

  private async carryIn(
    m: EntityManager,
    tenant: string,
    d: Of<SprintEvent, 'sprint.items_carried_in'>,
  ): Promise<void> {
    const [sprint] = (await m.query(`SELECT status FROM sprints WHERE tenant_id = $1 AND sprint_id = $2`, [
      tenant,
      d.sprintId,
    ])) as {
      status: string;
    }[];
    const active = sprint?.status === 'active';
    await m.query(
      `INSERT INTO sprint_items (tenant_id, sprint_id, item_id, rep_id, title, opportunity_id, due_date, status,
                                 in_snapshot, added_after_start, removed, carried_from)
       SELECT $1, $2, x.item_id, x.rep_id, x.title, x.opportunity_id, x.due_date, x.status, false, $3, false, $4
         FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
              AS x(item_id, rep_id, title, opportunity_id, due_date, status)`,
      [
        tenant,
        d.sprintId,
        active,
        d.fromSprintId,
        d.items.map((i) => i.itemId),
        d.items.map((i) => i.repId),
        d.items.map((i) => i.title),
        d.items.map((i) => i.opportunityId ?? null),
        d.items.map((i) => i.dueDate ?? null),
        d.items.map((i) => i.status),
      ],
    );
    const byRep = new Map<string, string[]>();
    for (const item of d.items) byRep.set(item.repId, [...(byRep.get(item.repId) ?? []), item.itemId]);
    for (const [repId, ids] of byRep) {
      await m.query(
        `INSERT INTO sprint_commitments (tenant_id, sprint_id, rep_id, targets, item_ids) VALUES ($1, $2, $3, '{}'::jsonb, $4)
         ON CONFLICT (tenant_id, sprint_id, rep_id) DO UPDATE SET item_ids = sprint_commitments.item_ids || EXCLUDED.item_ids`,
        [tenant, d.sprintId, repId, JSON.stringify(ids)],
      );
    }
  }
}
