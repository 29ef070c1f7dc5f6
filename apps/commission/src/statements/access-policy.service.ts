import { Injectable } from '@nestjs/common';
import { CommissionError } from '../commission.error';
import { DataSource } from 'typeorm';
import { hasRole, Principal } from '@pacer/auth';
import { loadRepTeamIntervals } from '../ledger/team-membership-events.repository';
import { managerCanSee, MembershipInterval, teamsManagedAt } from '../roster/team-membership';

/** Who may read a rep's commission figures (SPEC §7): admins all, managers their teams' reps, reps themselves. */
@Injectable()
export class AccessPolicy {
  constructor(private readonly dataSource: DataSource) {}

  /** Throws 403 unless the caller may read the rep's figures over `range` (default: now). */
  async assertCanRead(
    principal: Principal,
    repId: string,
    range?: { fromMs: number; toMs: number },
  ): Promise<void> {
    if (await this.canRead(principal, repId, range)) return;
    throw new CommissionError('forbidden', `You may not read the commission figures of rep ${repId}.`);
  }

  async canRead(
    principal: Principal,
    repId: string,
    range?: { fromMs: number; toMs: number },
  ): Promise<boolean> {
    if (hasRole(principal, 'admin')) return true;
    if (hasRole(principal, 'rep') && principal.repId === repId) return true;
    if (!hasRole(principal, 'manager')) return false;
    const now = Date.now();
    const intervals = await this.managerIntervals(principal);
    return managerCanSee(
      intervals,
      managerIdOf(principal),
      repId,
      range ?? { fromMs: now, toMs: now + 1 },
      now,
    );
  }

  /** The reps whose figures the caller may list ('all' for admins). */
  async visibleReps(principal: Principal): Promise<'all' | Set<string>> {
    if (hasRole(principal, 'admin')) return 'all';
    const reps = new Set<string>();
    if (hasRole(principal, 'rep') && principal.repId !== undefined) reps.add(principal.repId);
    if (hasRole(principal, 'manager')) {
      const intervals = await this.managerIntervals(principal);
      const teams = teamsManagedAt(intervals, managerIdOf(principal), Date.now());
      for (const i of intervals) if (teams.has(i.teamId)) reps.add(i.repId);
    }
    return reps;
  }

  private managerIntervals(principal: Principal): Promise<MembershipInterval[]> {
    return loadRepTeamIntervals(this.dataSource.manager, principal.tenantId, managerIdOf(principal));
  }
}

/** A manager is a team member too; their token names them by repId, or else by subject. */
function managerIdOf(principal: Principal): string {
  return principal.repId ?? principal.subject;
}

export function isAdmin(principal: Principal): boolean {
  return hasRole(principal, 'admin');
}
