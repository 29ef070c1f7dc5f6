import { Injectable } from '@nestjs/common';
import { Principal } from '@pacer/auth';
import { DataSource, EntityManager } from 'typeorm';
import { instantMillis, sprintDays, sprintEndDate, sprintWindowOf } from '../domain/calendar/sprint-calendar';
import { SprintPlanningError } from '../domain/sprint-planning.error';
import { BoardItem, buildSprintBoard, SprintBoard } from '../domain/sprint/sprint-board';
import { SprintReport } from '../domain/sprint/sprint-report';
import { Targets } from '../domain/sprint/sprint.events';
import { segmentsOverlapping } from '../domain/team/membership';
import { assertCanReadTeam } from '../domain/team/team-access';
import { KpiSnapshotRepository } from '../kpi/kpi-snapshot.repository';
import { OpportunityActivitiesRepository } from '../opportunities/opportunity-activities.repository';
import { ReadModelsRepository, SprintRow } from '../projections/read-models.repository';

export interface SprintView {
  sprintId: string;
  teamId: string;
  status: SprintRow['status'];
  startDate: string;
  lengthDays: number;
  /** First date after the sprint: the sprint covers `[startDate, endDate)`. */
  endDate: string;
  goal: string;
  /** The tenant zone now (boundaries follow the current settings) and the one it was planned in. */
  timezone: string;
  plannedTimezone: string;
  window: { start: string; end: string };
  version: number;
  plannedAt: string;
  startedAt: string | null;
  closedAt: string | null;
  commitments: { repId: string; targets: Targets; committedTargets: Targets | null; itemIds: string[] }[];
}

export interface CommitmentView {
  sprintId: string;
  repId: string;
  version: number;
  targets: Targets;
  committedTargets: Targets | null;
  items: Omit<BoardItem, 'carriedTo'>[];
}

export interface VelocityView {
  teamId: string;
  last: number;
  sprints: {
    sprintId: string;
    startDate: string;
    lengthDays: number;
    goal: string;
    completionRatio: number | null;
    itemsTotal: number;
    itemsDone: number;
    itemsCarriedOver: number;
  }[];
  /** Mean of the sprints' completion ratios that are not null; null when none is. */
  averageCompletionRatio: number | null;
  averageItemsDone: number | null;
}

/** Read side: sprint views, boards, reports and velocity, each from one consistent snapshot. */
@Injectable()
export class SprintQueriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly readModels: ReadModelsRepository,
    private readonly kpi: KpiSnapshotRepository,
    private readonly opportunities: OpportunityActivitiesRepository,
  ) {}

  private read<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction('REPEATABLE READ', fn);
  }

  private async sprintRow(m: EntityManager, tenantId: string, sprintId: string): Promise<SprintRow> {
    const row = await this.readModels.sprint(m, tenantId, sprintId);
    if (!row) throw new SprintPlanningError('sprint-not-found', `Sprint ${sprintId} was not found.`);
    return row;
  }

  /** The sprint, if the caller may read its team's sprints (a display's other team: 404, as if absent). */
  private async readableSprint(m: EntityManager, principal: Principal, sprintId: string): Promise<SprintRow> {
    const row = await this.sprintRow(m, principal.tenantId, sprintId);
    await this.assertReadable(m, principal, row.teamId, () => new SprintPlanningError('sprint-not-found', `Sprint ${sprintId} was not found.`));
    return row;
  }

  private async assertReadable(
    m: EntityManager,
    principal: Principal,
    teamId: string,
    notFound: () => SprintPlanningError = () => new SprintPlanningError('team-not-found', `Team ${teamId} was not found.`),
  ): Promise<void> {
    const members = await this.readModels.memberships(m, principal.tenantId, teamId);
    assertCanReadTeam(principal, teamId, members, new Date().toISOString(), notFound);
  }

  private async view(m: EntityManager, tenantId: string, row: SprintRow): Promise<SprintView> {
    const { timezone } = await this.readModels.settings(m, tenantId);
    const window = sprintWindowOf(row.sprintId, row.startDate, row.lengthDays, timezone);
    const commitments = await this.readModels.commitments(m, tenantId, row.sprintId);
    return {
      sprintId: row.sprintId,
      teamId: row.teamId,
      status: row.status,
      startDate: row.startDate,
      lengthDays: row.lengthDays,
      endDate: sprintEndDate(row.startDate, row.lengthDays),
      goal: row.goal,
      timezone,
      plannedTimezone: row.plannedTimezone,
      window: { start: window.start, end: window.end },
      version: row.version,
      plannedAt: row.plannedAt,
      startedAt: row.startedAt,
      closedAt: row.closedAt,
      commitments,
    };
  }

  get(principal: Principal, sprintId: string): Promise<SprintView> {
    return this.read(async (m) => this.view(m, principal.tenantId, await this.readableSprint(m, principal, sprintId)));
  }

  listForTeam(principal: Principal, teamId: string): Promise<SprintView[]> {
    const tenantId = principal.tenantId;
    return this.read(async (m) => {
      if (!(await this.readModels.team(m, tenantId, teamId))) {
        throw new SprintPlanningError('team-not-found', `Team ${teamId} was not found.`);
      }
      await this.assertReadable(m, principal, teamId);
      const rows = await this.readModels.teamSprints(m, tenantId, teamId);
      const out: SprintView[] = [];
      for (const row of rows) out.push(await this.view(m, tenantId, row));
      return out;
    });
  }

  /**
   * The board. Actuals are the KPI service's sprint snapshots; the burnup shows every day of a closed
   * sprint and the days begun so far of a planned or running one.
   */
  board(principal: Principal, sprintId: string, now = new Date()): Promise<SprintBoard> {
    const tenantId = principal.tenantId;
    return this.read(async (m) => {
      const row = await this.readableSprint(m, principal, sprintId);
      const { timezone } = await this.readModels.settings(m, tenantId);
      const window = sprintWindowOf(sprintId, row.startDate, row.lengthDays, timezone);
      const memberships = segmentsOverlapping(
        await this.readModels.memberships(m, tenantId, row.teamId),
        window.start,
        window.end,
      );
      const sheet = await this.readModels.sheet(m, tenantId, row, memberships);
      const actuals = await this.kpi.sprintActuals(m, tenantId, sprintId, row.teamId);
      const days = sprintDays(row.startDate, row.lengthDays, timezone).filter(
        (d) => row.status === 'closed' || instantMillis(d.start) <= now.getTime(),
      );
      const repIds = sheet.reps.map((r) => r.repId);
      const daily = await this.kpi.dailyRepMetrics(
        m,
        tenantId,
        repIds,
        days.map((d) => d.date),
      );
      const opportunityIds = [...new Set(sheet.items.flatMap((i) => (i.opportunityId !== undefined ? [i.opportunityId] : [])))];
      const opportunities = await this.opportunities.states(m, tenantId, opportunityIds);
      return buildSprintBoard({
        sheet,
        opportunities,
        version: row.version,
        timezone,
        window: { start: window.start, end: window.end },
        repActuals: actuals.reps,
        teamActuals: actuals.team,
        days,
        memberships,
        daily: (repId, date) => daily.get(repId)?.get(date),
      });
    });
  }

  /** One rep's commitment as it stands, with its items and their statuses. */
  commitment(tenantId: string, sprintId: string, repId: string): Promise<CommitmentView> {
    return this.read(async (m) => {
      const row = await this.sprintRow(m, tenantId, sprintId);
      const sheet = await this.readModels.sheet(m, tenantId, row, []);
      const rep = sheet.reps.find((r) => r.repId === repId);
      const items = sheet.items.filter((i) => i.repId === repId && !i.removed);
      return {
        sprintId,
        repId,
        version: row.version,
        targets: rep?.targets ?? {},
        committedTargets: rep?.committedTargets ?? null,
        items: items.map((i) => ({
          itemId: i.itemId,
          title: i.title,
          ...(i.opportunityId !== undefined ? { opportunityId: i.opportunityId } : {}),
          ...(i.dueDate !== undefined ? { dueDate: i.dueDate } : {}),
          status: i.status,
          committed: i.inSnapshot,
          addedAfterStart: i.addedAfterStart,
          ...(i.carriedFrom !== undefined ? { carriedFrom: i.carriedFrom } : {}),
        })),
      };
    });
  }

  /** The frozen report; 409 until the sprint has closed. */
  report(principal: Principal, sprintId: string): Promise<SprintReport> {
    return this.read(async (m) => {
      const row = await this.readableSprint(m, principal, sprintId);
      const report = await this.readModels.report(m, principal.tenantId, sprintId);
      if (!report) {
        throw new SprintPlanningError(
          'report-not-available',
          `Sprint ${sprintId} is ${row.status}; its report exists once it closes.`,
        );
      }
      return report;
    });
  }

  velocity(principal: Principal, teamId: string, last: number): Promise<VelocityView> {
    const tenantId = principal.tenantId;
    return this.read(async (m) => {
      if (!(await this.readModels.team(m, tenantId, teamId))) {
        throw new SprintPlanningError('team-not-found', `Team ${teamId} was not found.`);
      }
      await this.assertReadable(m, principal, teamId);
      const reports = await this.readModels.lastReports(m, tenantId, teamId, last);
      const sprints = reports.map((r) => ({
        sprintId: r.sprintId,
        startDate: r.startDate,
        lengthDays: r.lengthDays,
        goal: r.goal,
        completionRatio: r.team.completionRatio,
        itemsTotal: r.team.itemsTotal,
        itemsDone: r.team.itemsDone,
        itemsCarriedOver: r.team.itemsCarriedOver,
      }));
      const ratios = sprints.map((s) => s.completionRatio).filter((r): r is number => r !== null);
      return {
        teamId,
        last,
        sprints,
        averageCompletionRatio: ratios.length > 0 ? ratios.reduce((a, b) => a + b, 0) / ratios.length : null,
        averageItemsDone:
          sprints.length > 0 ? sprints.reduce((a, s) => a + s.itemsDone, 0) / sprints.length : null,
      };
    });
  }
}
