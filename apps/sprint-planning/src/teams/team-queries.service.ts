import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Role, SalesModel } from '@pacer/contracts';
import { SprintPlanningError } from '../domain/sprint-planning.error';
import { coversInstant } from '../domain/team/membership';
import { ReadModelsRepository } from '../projections/read-models.repository';

export interface MemberView {
  repId: string;
  name: string;
  role: Role;
  since: string;
  until: string | null;
}

export interface TeamView {
  teamId: string;
  name: string;
  salesModel: SalesModel;
  version: number;
  createdAt: string;
  /** Members at the moment of the request (a future-dated join shows in `membership` only). */
  members: MemberView[];
  /** Every membership period: `[effectiveFrom, effectiveTo)`, `effectiveTo` null while open. */
  membership: {
    repId: string;
    name: string;
    role: Role;
    effectiveFrom: string;
    effectiveTo: string | null;
  }[];
}

@Injectable()
export class TeamQueriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly readModels: ReadModelsRepository,
  ) {}

  async list(tenantId: string): Promise<Omit<TeamView, 'membership'>[]> {
    return this.dataSource.transaction('REPEATABLE READ', async (m) => {
      const teams = await this.readModels.teams(m, tenantId);
      const now = new Date().toISOString();
      const out: Omit<TeamView, 'membership'>[] = [];
      for (const t of teams) {
        const segments = await this.readModels.memberships(m, tenantId, t.teamId);
        out.push({ ...t, members: segments.filter((s) => coversInstant(s, now)).map(memberView) });
      }
      return out;
    });
  }

  async get(tenantId: string, teamId: string, now = new Date()): Promise<TeamView> {
    return this.dataSource.transaction('REPEATABLE READ', async (m) => {
      const team = await this.readModels.team(m, tenantId, teamId);
      if (!team) throw new SprintPlanningError('team-not-found', `Team ${teamId} was not found.`);
      const segments = await this.readModels.memberships(m, tenantId, teamId);
      const at = now.toISOString();
      return {
        ...team,
        members: segments.filter((s) => coversInstant(s, at)).map(memberView),
        membership: segments.map((s) => ({
          repId: s.repId,
          name: s.name,
          role: s.role,
          effectiveFrom: s.from,
          effectiveTo: s.to ?? null,
        })),
      };
    });
  }
}

function memberView(s: { repId: string; name: string; role: Role; from: string; to?: string }): MemberView {
  return { repId: s.repId, name: s.name, role: s.role, since: s.from, until: s.to ?? null };
}
