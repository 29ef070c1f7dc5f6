import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DEFAULT_TENANT_SETTINGS, Role, SalesModel, SprintItemStatus } from '@pacer/contracts';
import { TenantSettingsValues } from '../domain/settings/tenant-settings.events';
import { SprintStatus, ScheduledSprint } from '../domain/sprint/sprint-schedule';
import { SheetItem, sheetReps, SprintSheet } from '../domain/sprint/sprint-sheet';
import { reportInWireForm, SprintReport } from '../domain/sprint/sprint-report';
import { orderedTargets } from '../domain/sprint/sprint-targets';
import { Targets } from '../domain/sprint/sprint.events';
import { MembershipSegment } from '../domain/team/membership';

export interface SettingsRow extends TenantSettingsValues {
  /** 0 while the tenant runs on the defaults. */
  version: number;
}

export interface TeamRow {
  teamId: string;
  name: string;
  salesModel: SalesModel;
  version: number;
  createdAt: string;
}

export interface SprintRow extends ScheduledSprint {
  teamId: string;
  goal: string;
  plannedTimezone: string;
  version: number;
  plannedAt: string;
  startedAt: string | null;
  closedAt: string | null;
}

export interface CommitmentRow {
  repId: string;
  targets: Targets;
  committedTargets: Targets | null;
  itemIds: string[];
}

interface RawSprint {
  sprint_id: string;
  team_id: string;
  start_date: string;
  length_days: number;
  goal: string;
  timezone: string;
  status: SprintStatus;
  version: number;
  planned_at: Date;
  started_at: Date | null;
  closed_at: Date | null;
}

interface RawItem {
  item_id: string;
  rep_id: string;
  title: string;
  opportunity_id: string | null;
  due_date: string | null;
  status: SprintItemStatus;
  in_snapshot: boolean;
  added_after_start: boolean;
  removed: boolean;
  carried_from: string | null;
  carried_to: string | null;
}

const SPRINT_COLUMNS = `sprint_id, team_id, start_date, length_days, goal, timezone, status, version, planned_at, started_at, closed_at`;

function toSprint(r: RawSprint): SprintRow {
  return {
    sprintId: r.sprint_id,
    teamId: r.team_id,
    startDate: r.start_date,
    lengthDays: r.length_days,
    goal: r.goal,
    plannedTimezone: r.timezone,
    status: r.status,
    version: r.version,
    plannedAt: r.planned_at.toISOString(),
    startedAt: r.started_at?.toISOString() ?? null,
    closedAt: r.closed_at?.toISOString() ?? null,
  };
}

function toItem(r: RawItem): SheetItem {
  return {
    itemId: r.item_id,
    repId: r.rep_id,
    title: r.title,
    ...(r.opportunity_id !== null ? { opportunityId: r.opportunity_id } : {}),
    ...(r.due_date !== null ? { dueDate: r.due_date } : {}),
    status: r.status,
    inSnapshot: r.in_snapshot,
    addedAfterStart: r.added_after_start,
    removed: r.removed,
    ...(r.carried_from !== null ? { carriedFrom: r.carried_from } : {}),
    ...(r.carried_to !== null ? { carriedTo: r.carried_to } : {}),
  };
}

/** Reads of the projected tables; every query is scoped by tenant. */
@Injectable()
export class ReadModelsRepository {
  async settings(m: EntityManager, tenantId: string): Promise<SettingsRow> {
    const [row] = (await m.query(
      `SELECT timezone, week_starts_on, fiscal_year_start_month, deals_require_approval, version FROM tenant_settings WHERE tenant_id = $1`,
      [tenantId],
    )) as {
      timezone: string;
      week_starts_on: number;
      fiscal_year_start_month: number;
      deals_require_approval: boolean;
      version: number;
    }[];
    if (!row) return { ...DEFAULT_TENANT_SETTINGS, dealsRequireApproval: false, version: 0 };
    return {
      timezone: row.timezone,
      weekStartsOn: row.week_starts_on,
      fiscalYearStartMonth: row.fiscal_year_start_month,
      dealsRequireApproval: row.deals_require_approval,
      version: row.version,
    };
  }

  async teams(m: EntityManager, tenantId: string): Promise<TeamRow[]> {
    const rows = (await m.query(
      `SELECT team_id, name, sales_model, version, created_at FROM teams WHERE tenant_id = $1 ORDER BY name, team_id`,
      [tenantId],
    )) as { team_id: string; name: string; sales_model: SalesModel; version: number; created_at: Date }[];
    return rows.map((r) => ({
      teamId: r.team_id,
      name: r.name,
      salesModel: r.sales_model,
      version: r.version,
      createdAt: r.created_at.toISOString(),
    }));
  }

  async team(m: EntityManager, tenantId: string, teamId: string): Promise<TeamRow | undefined> {
    const rows = (await m.query(
      `SELECT team_id, name, sales_model, version, created_at FROM teams WHERE tenant_id = $1 AND team_id = $2`,
      [tenantId, teamId],
    )) as { team_id: string; name: string; sales_model: SalesModel; version: number; created_at: Date }[];
    const r = rows[0];
    return (
      r && {
        teamId: r.team_id,
        name: r.name,
        salesModel: r.sales_model,
        version: r.version,
        createdAt: r.created_at.toISOString(),
      }
    );
  }

  /** Every membership segment of the team, per rep oldest first. */
  async memberships(m: EntityManager, tenantId: string, teamId: string): Promise<MembershipSegment[]> {
    const rows = (await m.query(
      `SELECT rep_id, name, role, effective_from, effective_to FROM team_memberships
        WHERE tenant_id = $1 AND team_id = $2 ORDER BY rep_id, seq`,
      [tenantId, teamId],
    )) as { rep_id: string; name: string; role: Role; effective_from: string; effective_to: string | null }[];
    return rows.map((r) => ({
      repId: r.rep_id,
      name: r.name,
      role: r.role,
      from: r.effective_from,
      ...(r.effective_to !== null ? { to: r.effective_to } : {}),
    }));
  }

  async sprint(m: EntityManager, tenantId: string, sprintId: string): Promise<SprintRow | undefined> {
    const rows = (await m.query(
      `SELECT ${SPRINT_COLUMNS} FROM sprints WHERE tenant_id = $1 AND sprint_id = $2`,
      [tenantId, sprintId],
    )) as RawSprint[];
    return rows[0] && toSprint(rows[0]);
  }

  /** The team's sprints by start date. */
  async teamSprints(m: EntityManager, tenantId: string, teamId: string): Promise<SprintRow[]> {
    const rows = (await m.query(
      `SELECT ${SPRINT_COLUMNS} FROM sprints WHERE tenant_id = $1 AND team_id = $2 ORDER BY start_date, sprint_id`,
      [tenantId, teamId],
    )) as RawSprint[];
    return rows.map(toSprint);
  }

  async commitments(m: EntityManager, tenantId: string, sprintId: string): Promise<CommitmentRow[]> {
    const rows = (await m.query(
      `SELECT rep_id, targets, committed_targets, item_ids FROM sprint_commitments
        WHERE tenant_id = $1 AND sprint_id = $2 ORDER BY rep_id`,
      [tenantId, sprintId],
    )) as { rep_id: string; targets: Targets; committed_targets: Targets | null; item_ids: string[] }[];
    return rows.map((r) => ({
      repId: r.rep_id,
      targets: orderedTargets(r.targets),
      committedTargets: r.committed_targets === null ? null : orderedTargets(r.committed_targets),
      itemIds: r.item_ids,
    }));
  }

  /**
   * The sprint as boards read it: the commitments' items in commitment order per rep, then items
   * dropped after start, and the reps (commitments plus members during the sprint).
   */
  async sheet(
    m: EntityManager,
    tenantId: string,
    sprint: SprintRow,
    membersDuringSprint: readonly MembershipSegment[],
  ): Promise<SprintSheet> {
    const commitments = await this.commitments(m, tenantId, sprint.sprintId);
    const rows = (await m.query(
      `SELECT item_id, rep_id, title, opportunity_id, due_date, status, in_snapshot, added_after_start, removed, carried_from, carried_to
         FROM sprint_items WHERE tenant_id = $1 AND sprint_id = $2 ORDER BY item_id`,
      [tenantId, sprint.sprintId],
    )) as RawItem[];
    const byId = new Map(rows.map((r) => [r.item_id, toItem(r)]));
    const items: SheetItem[] = [];
    for (const c of commitments) {
      for (const id of c.itemIds) {
        const item = byId.get(id);
        if (item && !item.removed) items.push(item);
      }
    }
    for (const item of byId.values()) if (item.removed) items.push(item);
    return {
      sprintId: sprint.sprintId,
      teamId: sprint.teamId,
      startDate: sprint.startDate,
      lengthDays: sprint.lengthDays,
      goal: sprint.goal,
      status: sprint.status,
      reps: sheetReps(commitments, membersDuringSprint),
      items,
    };
  }

  async report(m: EntityManager, tenantId: string, sprintId: string): Promise<SprintReport | undefined> {
    const rows = (await m.query(`SELECT report FROM sprint_reports WHERE tenant_id = $1 AND sprint_id = $2`, [
      tenantId,
      sprintId,
    ])) as {
      report: SprintReport;
    }[];
    const report = rows[0]?.report;
    return report === undefined ? undefined : reportInWireForm(report);
  }

  /** The team's last `last` reports, oldest first. */
  async lastReports(
    m: EntityManager,
    tenantId: string,
    teamId: string,
    last: number,
  ): Promise<SprintReport[]> {
    const rows = (await m.query(
      `SELECT report FROM sprint_reports WHERE tenant_id = $1 AND team_id = $2 ORDER BY start_date DESC, sprint_id DESC LIMIT $3`,
      [tenantId, teamId, last],
    )) as { report: SprintReport }[];
    return rows.map((r) => reportInWireForm(r.report)).reverse();
  }
}
