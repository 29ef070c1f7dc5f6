import type { Role, SalesModel } from '@pacer/contracts';
import { AggregateRoot } from '@pacer/event-store/aggregate';
import { instantMillis } from '../calendar/sprint-calendar';
import { SprintPlanningError } from '../sprint-planning.error';
import { lastSegmentOf, MembershipSegment, segmentsOverlapping } from './membership';
import { assertRoleAllowed } from './role-rules';
import { TeamEvent } from './team.events';

export interface PutMemberCommand {
  repId: string;
  name: string;
  role: Role;
  /** UTC instant the change takes effect (already resolved from a date or "now"). */
  effectiveFrom: string;
}

/**
 * A team: name, sales model (fixed at creation: changing it would invalidate every member's role)
 * and its members as dated membership segments.
 */
export class Team extends AggregateRoot<TeamEvent> {
  teamId = '';
  name = '';
  salesModel: SalesModel = 'island';
  private created = false;
  private segmentList: MembershipSegment[] = [];

  get exists(): boolean {
    return this.created;
  }

  get segments(): readonly MembershipSegment[] {
    return this.segmentList;
  }

  /** Membership segments that overlap `[start, end)`. */
  membershipDuring(start: string, end: string): MembershipSegment[] {
    return segmentsOverlapping(this.segmentList, start, end);
  }

  create(teamId: string, name: string, salesModel: SalesModel): void {
    if (this.created) throw new SprintPlanningError('team-exists', `Team ${teamId} already exists.`);
    this.raise({ type: 'team.created', data: { teamId, name, salesModel } });
  }

  rename(name: string): void {
    this.assertExists();
    if (name === this.name) return;
    this.raise({ type: 'team.renamed', data: { teamId: this.teamId, name } });
  }

  /**
   * PUT semantics: makes the rep a member with this name and role from `effectiveFrom`. A rep who is
   * not a member joins; a member whose name or role differs gets a new segment from `effectiveFrom`;
   * an identical PUT changes nothing.
   */
  putMember(cmd: PutMemberCommand): 'joined' | 'changed' | 'unchanged' {
    this.assertExists();
    const last = lastSegmentOf(this.segmentList, cmd.repId);
    const t = instantMillis(cmd.effectiveFrom);
    const facts = { teamId: this.teamId, ...cmd };
    if (last && last.to === undefined) {
      if (last.name === cmd.name && last.role === cmd.role) return 'unchanged';
      if (t < instantMillis(last.from)) {
        throw new SprintPlanningError(
          'effective-date-before-membership',
          `The change cannot take effect before ${cmd.repId}'s current membership period starts (${last.from}).`,
          [{ path: 'effectiveFrom', message: `must not be before ${last.from}` }],
        );
      }
      assertRoleAllowed(this.salesModel, cmd.role, cmd.repId, cmd.effectiveFrom, this.segmentList);
      this.raise({ type: 'team.member_changed', data: facts });
      return 'changed';
    }
    if (last?.to !== undefined && t < instantMillis(last.to)) {
      throw new SprintPlanningError(
        'membership-overlap',
        `${cmd.repId} was a member until ${last.to}; a new membership cannot start before that.`,
        [{ path: 'effectiveFrom', message: `must not be before ${last.to}` }],
      );
    }
    assertRoleAllowed(this.salesModel, cmd.role, cmd.repId, cmd.effectiveFrom, this.segmentList);
    this.raise({ type: 'team.member_joined', data: facts });
    return 'joined';
  }

  /** Ends the rep's open membership at `effectiveTo` (exclusive). */
  removeMember(repId: string, effectiveTo: string): void {
    this.assertExists();
    const last = lastSegmentOf(this.segmentList, repId);
    if (!last || last.to !== undefined) {
      throw new SprintPlanningError('member-not-found', `${repId} is not a member of team ${this.teamId}.`);
    }
    if (instantMillis(effectiveTo) <= instantMillis(last.from)) {
      throw new SprintPlanningError(
        'effective-date-before-membership',
        `The membership of ${repId} started at ${last.from}; it must end after that.`,
        [{ path: 'effectiveTo', message: `must be after ${last.from}` }],
      );
    }
    this.raise({ type: 'team.member_left', data: { teamId: this.teamId, repId, effectiveTo } });
  }

  private assertExists(): void {
    if (!this.created) throw new SprintPlanningError('team-not-found', 'The team was not found.');
  }

  protected when(event: TeamEvent): void {
    switch (event.type) {
      case 'team.created':
        this.created = true;
        this.teamId = event.data.teamId;
        this.name = event.data.name;
        this.salesModel = event.data.salesModel;
        return;
      case 'team.renamed':
        this.name = event.data.name;
        return;
      case 'team.member_joined': {
        const { repId, name, role, effectiveFrom } = event.data;
        this.segmentList.push({ repId, name, role, from: effectiveFrom });
        return;
      }
      case 'team.member_changed': {
        const { repId, name, role, effectiveFrom } = event.data;
        this.closeOpenSegment(repId, effectiveFrom);
        this.segmentList.push({ repId, name, role, from: effectiveFrom });
        return;
      }
      case 'team.member_left':
        this.closeOpenSegment(event.data.repId, event.data.effectiveTo);
        return;
    }
  }

  private closeOpenSegment(repId: string, at: string): void {
    const open = this.segmentList.find((s) => s.repId === repId && s.to === undefined);
    if (open) open.to = at;
  }
}
