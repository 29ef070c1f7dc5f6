import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Principal } from '@pacer/auth';
import { auditActor } from '@pacer/platform';
import { SprintItemStatus } from '@pacer/contracts';
import { isCalendarDate, sprintWindowOf } from '../domain/calendar/sprint-calendar';
import { FieldProblem, SprintPlanningError } from '../domain/sprint-planning.error';
import { Sprint } from '../domain/sprint/sprint.aggregate';
import { CommitmentItem } from '../domain/sprint/sprint.events';
import { buildSprintReport } from '../domain/sprint/sprint-report';
import { assertNoOtherActive, assertNoOverlap, nextSprintAfter } from '../domain/sprint/sprint-schedule';
import { sheetFromSprint } from '../domain/sprint/sprint-sheet';
import { parseTargets } from '../domain/sprint/sprint-targets';
import { Team } from '../domain/team/team.aggregate';
import { assertCanManageTeam, canManageTeam } from '../domain/team/team-access';
import { CommandRunner, CommandTransaction } from '../event-sourcing/command-runner';
import { sprintStreamId, STREAM_TYPES, teamStreamId } from '../event-sourcing/stream-ids';
import { KpiSnapshotRepository } from '../kpi/kpi-snapshot.repository';
import { ReadModelsRepository } from '../projections/read-models.repository';

export interface PlanSprintInput {
  sprintId?: string;
  startDate: string;
  lengthDays: number;
  goal: string;
}

export interface CommitmentInput {
  targets: Record<string, unknown>;
  items: CommitmentItem[];
}

export interface CommitmentResult {
  sprintId: string;
  repId: string;
  version: number;
}

/**
 * Sprint commands. Every command that depends on the team's other sprints or its members locks the
 * team's stream head first (exclusive for plan/start/close, shared for commitments), then the sprint:
 * always in that order, so concurrent commands queue instead of deadlocking, and a team-wide rule
 * (no overlap, one active sprint, carry-over target) is checked on state nobody can change meanwhile.
 */
@Injectable()
export class SprintCommandsService {
  constructor(
    private readonly runner: CommandRunner,
    private readonly readModels: ReadModelsRepository,
    private readonly kpi: KpiSnapshotRepository,
  ) {}

  plan(
    principal: Principal,
    teamId: string,
    input: PlanSprintInput,
  ): Promise<{ sprintId: string; version: number }> {
    const tenantId = principal.tenantId;
    if (!isCalendarDate(input.startDate)) {
      throw SprintPlanningError.validation([
        { path: 'startDate', message: 'must be a calendar date yyyy-MM-dd' },
      ]);
    }
    const sprintId = input.sprintId ?? randomUUID();
    return this.runner.run(
      auditActor(principal),
      async (tx) => {
        const team = await this.loadTeam(tx, teamId, 'update');
        assertCanManageTeam(principal, teamId, team.segments, tx.time);
        const { timezone } = await this.readModels.settings(tx.manager, tenantId);
        const existing = await this.readModels.teamSprints(tx.manager, tenantId, teamId);
        const streamId = sprintStreamId(tenantId, sprintId);
        const sprint = await tx.load(streamId, new Sprint());
        if (sprint.exists)
          throw new SprintPlanningError('sprint-exists', `Sprint ${sprintId} already exists.`);
        assertNoOverlap(existing, { sprintId, startDate: input.startDate, lengthDays: input.lengthDays });
        sprint.plan({
          sprintId,
          teamId,
          startDate: input.startDate,
          lengthDays: input.lengthDays,
          goal: input.goal,
          timezone,
        });
        tx.announce(await tx.save(streamId, STREAM_TYPES.sprint, sprint), { sprint });
        tx.audit(
          'sprint.planned',
          { sprintId, teamId },
          { startDate: input.startDate, lengthDays: input.lengthDays, goal: input.goal },
        );
        return { sprintId, version: sprint.version };
      },
      () => new SprintPlanningError('sprint-exists', `Sprint ${sprintId} already exists.`),
    );
  }

  start(principal: Principal, sprintId: string, ifMatch?: number): Promise<{ version: number }> {
    const tenantId = principal.tenantId;
    return this.runner.run(auditActor(principal), async (tx) => {
      const teamId = await this.teamOf(tx, sprintId);
      const team = await this.loadTeam(tx, teamId, 'update');
      assertCanManageTeam(principal, teamId, team.segments, tx.time);
      const { sprint, streamId } = await this.loadSprint(tx, sprintId, ifMatch);
      if (sprint.status === 'planned') {
        assertNoOtherActive(await this.readModels.teamSprints(tx.manager, tenantId, teamId), sprintId);
      }
      sprint.start();
      tx.announce(await tx.save(streamId, STREAM_TYPES.sprint, sprint), { sprint });
      tx.audit('sprint.started', { sprintId, teamId });
      return { version: sprint.version };
    });
  }

  /**
   * Closes the sprint: unfinished items move to the team's next planned sprint (if any), and the
   * report is computed with the KPI actuals known now and frozen into the sprint's stream.
   */
  close(principal: Principal, sprintId: string, ifMatch?: number): Promise<{ version: number }> {
    const tenantId = principal.tenantId;
    return this.runner.run(auditActor(principal), async (tx) => {
      const teamId = await this.teamOf(tx, sprintId);
      const team = await this.loadTeam(tx, teamId, 'update');
      assertCanManageTeam(principal, teamId, team.segments, tx.time);
      const { sprint, streamId } = await this.loadSprint(tx, sprintId, ifMatch);
      if (sprint.status !== 'active') sprint.close();

      const schedule = await this.readModels.teamSprints(tx.manager, tenantId, teamId);
      const self = {
        sprintId,
        startDate: sprint.startDate,
        lengthDays: sprint.lengthDays,
        status: sprint.status,
      };
      const next = nextSprintAfter(self, schedule);
      let target: { sprint: Sprint; streamId: string } | undefined;
      let carried: string[] = [];
      if (next) {
        target = await this.loadSprint(tx, next.sprintId);
        carried = target.sprint.receiveCarriedItems(sprintId, sprint.unfinishedItems());
        sprint.recordCarriedOut(next.sprintId, carried);
      }
      sprint.close();

      const { timezone } = await this.readModels.settings(tx.manager, tenantId);
      const window = sprintWindowOf(sprintId, sprint.startDate, sprint.lengthDays, timezone);
      const actuals = await this.kpi.sprintActuals(tx.manager, tenantId, sprintId, teamId);
      sprint.publishReport(
        buildSprintReport({
          sheet: sheetFromSprint(sprint, team.membershipDuring(window.start, window.end)),
          closedAt: tx.time,
          carriedOverTo: carried.length > 0 && target ? target.sprint.sprintId : null,
          repActuals: actuals.reps,
        }),
      );

      const saved = await tx.save(streamId, STREAM_TYPES.sprint, sprint);
      const savedTarget = target ? await tx.save(target.streamId, STREAM_TYPES.sprint, target.sprint) : [];
      tx.announce(saved, { sprint });
      if (target) tx.announce(savedTarget, { sprint: target.sprint });
      tx.audit(
        'sprint.closed',
        { sprintId, teamId },
        { carriedOverTo: carried.length > 0 && target ? target.sprint.sprintId : null, carriedItems: carried },
      );
      return { version: sprint.version };
    });
  }

  /**
   * PUT a rep's commitment. Admins and the team's manager may set anyone's; a rep only its own. The rep must be
   * a member of the team at some moment of the sprint (or already hold a commitment in it).
   */
  setCommitment(
    principal: Principal,
    sprintId: string,
    repId: string,
    input: CommitmentInput,
    ifMatch?: number,
  ): Promise<CommitmentResult> {
    const tenantId = principal.tenantId;
    const { targets, problems } = parseTargets(input.targets);
    problems.push(...itemDateProblems(input.items));
    if (problems.length > 0) throw SprintPlanningError.validation(problems, 'The commitment is not valid.');
    return this.runner.run(auditActor(principal), async (tx) => {
      const teamId = await this.teamOf(tx, sprintId);
      const team = await this.loadTeam(tx, teamId, 'share');
      if (!canManageTeam(principal, team.segments, tx.time) && principal.repId !== repId) {
        throw new SprintPlanningError(
          'forbidden',
          `Only an admin or team ${teamId}'s manager may change another rep's commitment.`,
        );
      }
      const { sprint, streamId } = await this.loadSprint(tx, sprintId, ifMatch);
      if (!sprint.commitments.has(repId)) {
        const { timezone } = await this.readModels.settings(tx.manager, tenantId);
        const window = sprintWindowOf(sprintId, sprint.startDate, sprint.lengthDays, timezone);
        if (!team.membershipDuring(window.start, window.end).some((s) => s.repId === repId)) {
          throw new SprintPlanningError(
            'rep-not-member',
            `${repId} is not a member of team ${teamId} during the sprint (${window.start} to ${window.end}).`,
          );
        }
      }
      sprint.setCommitment(repId, targets, input.items);
      tx.announce(await tx.save(streamId, STREAM_TYPES.sprint, sprint), { sprint });
      tx.audit(
        'sprint.commitment_set',
        { sprintId, repId, teamId },
        { targets: input.targets, itemIds: input.items.map((i) => i.itemId) },
      );
      return { sprintId, repId, version: sprint.version };
    });
  }

  /** PATCH an item's status: admins and the team's manager for any item, a rep for its own items. */
  changeItemStatus(
    principal: Principal,
    sprintId: string,
    itemId: string,
    status: SprintItemStatus,
    ifMatch?: number,
  ): Promise<{ version: number; repId: string }> {
    return this.runner.run(auditActor(principal), async (tx) => {
      const teamId = await this.teamOf(tx, sprintId);
      const members = await this.readModels.memberships(tx.manager, tx.tenantId, teamId);
      const { sprint, streamId } = await this.loadSprint(tx, sprintId, ifMatch);
      const item = sprint.items.get(itemId);
      if (!item || item.removed)
        throw new SprintPlanningError('item-not-found', `Item ${itemId} is not in sprint ${sprintId}.`);
      if (!canManageTeam(principal, members, tx.time) && principal.repId !== item.repId) {
        throw new SprintPlanningError(
          'forbidden',
          `Only an admin or team ${teamId}'s manager may move another rep's item.`,
        );
      }
      sprint.changeItemStatus(itemId, status);
      tx.announce(await tx.save(streamId, STREAM_TYPES.sprint, sprint), { sprint });
      tx.audit('sprint.item_status_changed', { sprintId, itemId, repId: item.repId }, { status });
      return { version: sprint.version, repId: item.repId };
    });
  }

  /** The sprint's team (a sprint never changes team), or 404 — also for another tenant's sprint. */
  private async teamOf(tx: CommandTransaction, sprintId: string): Promise<string> {
    const row = await this.readModels.sprint(tx.manager, tx.tenantId, sprintId);
    if (!row) throw new SprintPlanningError('sprint-not-found', `Sprint ${sprintId} was not found.`);
    return row.teamId;
  }

  private async loadTeam(tx: CommandTransaction, teamId: string, mode: 'update' | 'share'): Promise<Team> {
    const streamId = teamStreamId(tx.tenantId, teamId);
    await tx.lock(streamId, mode);
    const team = await tx.load(streamId, new Team());
    if (!team.exists) throw new SprintPlanningError('team-not-found', `Team ${teamId} was not found.`);
    return team;
  }

  private async loadSprint(
    tx: CommandTransaction,
    sprintId: string,
    ifMatch?: number,
  ): Promise<{ sprint: Sprint; streamId: string }> {
    const streamId = sprintStreamId(tx.tenantId, sprintId);
    await tx.lock(streamId);
    const sprint = await tx.load(streamId, new Sprint());
    if (!sprint.exists)
      throw new SprintPlanningError('sprint-not-found', `Sprint ${sprintId} was not found.`);
    tx.assertIfMatch(sprint, ifMatch);
    return { sprint, streamId };
  }
}

function itemDateProblems(items: readonly CommitmentItem[]): FieldProblem[] {
  return items.flatMap((item, i) =>
    item.dueDate !== undefined && !isCalendarDate(item.dueDate)
      ? [{ path: `items.${i}.dueDate`, message: 'must be a calendar date yyyy-MM-dd' }]
      : [],
  );
}
