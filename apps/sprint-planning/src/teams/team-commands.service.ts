import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { hasRole, Principal } from '@pacer/auth';
import { Role, SalesModel } from '@pacer/contracts';
import { auditActor } from '@pacer/platform';
import { resolveEffectiveInstant } from '../domain/calendar/sprint-calendar';
import { SprintPlanningError } from '../domain/sprint-planning.error';
import { Team } from '../domain/team/team.aggregate';
import { assertCanManageTeam } from '../domain/team/team-access';
import { coversInstant } from '../domain/team/membership';
import { CommandRunner, CommandTransaction } from '../event-sourcing/command-runner';
import { STREAM_TYPES, teamStreamId } from '../event-sourcing/stream-ids';
import { ReadModelsRepository } from '../projections/read-models.repository';

export interface CreateTeamInput {
  teamId?: string;
  name: string;
  salesModel: SalesModel;
}

export interface PutMemberInput {
  name: string;
  role: Role;
  /** A calendar date (tenant-local midnight) or an instant; absent = now. */
  effectiveFrom?: string;
}

/** Team commands: create, rename, and dated membership changes under SPEC §4's role rules. */
@Injectable()
export class TeamCommandsService {
  constructor(
    private readonly runner: CommandRunner,
    private readonly readModels: ReadModelsRepository,
  ) {}

  create(principal: Principal, input: CreateTeamInput): Promise<{ teamId: string; version: number }> {
    const tenantId = principal.tenantId;
    const teamId = input.teamId ?? randomUUID();
    const exists = () => new SprintPlanningError('team-exists', `Team ${teamId} already exists.`);
    return this.runner.run(
      auditActor(principal),
      async (tx) => {
        const streamId = teamStreamId(tenantId, teamId);
        const team = await tx.load(streamId, new Team());
        team.create(teamId, input.name, input.salesModel);
        tx.announce(await tx.save(streamId, STREAM_TYPES.team, team), { team });
        tx.audit('team.created', { teamId }, { name: input.name, salesModel: input.salesModel });
        return { teamId, version: team.version };
      },
      exists,
    );
  }

  rename(principal: Principal, teamId: string, name: string, ifMatch?: number): Promise<{ version: number }> {
    return this.withTeam(principal, teamId, ifMatch, async (tx, team) => {
      assertCanManageTeam(principal, teamId, team.segments, tx.time);
      team.rename(name);
      tx.audit('team.renamed', { teamId }, { name });
      return {};
    });
  }

  /**
   * Admins and the team's manager change members. A manager may also make itself the MANAGER of a team
   * that has none right now: otherwise a team a manager just created could only be staffed by an admin.
   */
  putMember(
    principal: Principal,
    teamId: string,
    repId: string,
    input: PutMemberInput,
    ifMatch?: number,
  ): Promise<{ version: number; outcome: 'joined' | 'changed' | 'unchanged' }> {
    const tenantId = principal.tenantId;
    return this.withTeam(principal, teamId, ifMatch, async (tx, team) => {
      const takesOver =
        hasRole(principal, 'manager') &&
        principal.repId === repId &&
        input.role === 'MANAGER' &&
        !team.segments.some((s) => s.role === 'MANAGER' && coversInstant(s, tx.time));
      if (!takesOver) assertCanManageTeam(principal, teamId, team.segments, tx.time);
      const { timezone } = await this.readModels.settings(tx.manager, tenantId);
      const effectiveFrom = resolveEffectiveInstant(input.effectiveFrom, timezone, tx.now);
      const outcome = team.putMember({ repId, name: input.name, role: input.role, effectiveFrom });
      tx.audit('team.member_set', { teamId, repId }, { name: input.name, role: input.role, effectiveFrom, outcome });
      return { outcome };
    });
  }

  removeMember(
    principal: Principal,
    teamId: string,
    repId: string,
    effectiveTo?: string,
    ifMatch?: number,
  ): Promise<{ version: number }> {
    const tenantId = principal.tenantId;
    return this.withTeam(principal, teamId, ifMatch, async (tx, team) => {
      assertCanManageTeam(principal, teamId, team.segments, tx.time);
      const { timezone } = await this.readModels.settings(tx.manager, tenantId);
      const effectiveAt = resolveEffectiveInstant(effectiveTo, timezone, tx.now);
      team.removeMember(repId, effectiveAt);
      tx.audit('team.member_removed', { teamId, repId }, { effectiveTo: effectiveAt });
      return {};
    });
  }

  private withTeam<R extends object>(
    principal: Principal,
    teamId: string,
    ifMatch: number | undefined,
    command: (tx: CommandTransaction, team: Team) => Promise<R>,
  ): Promise<R & { version: number }> {
    const tenantId = principal.tenantId;
    return this.runner.run(auditActor(principal), async (tx) => {
      const streamId = teamStreamId(tenantId, teamId);
      await tx.lock(streamId);
      const team = await tx.load(streamId, new Team());
      if (!team.exists) throw new SprintPlanningError('team-not-found', `Team ${teamId} was not found.`);
      tx.assertIfMatch(team, ifMatch);
      const result = await command(tx, team);
      tx.announce(await tx.save(streamId, STREAM_TYPES.team, team), { team });
      return { ...result, version: team.version };
    });
  }
}
