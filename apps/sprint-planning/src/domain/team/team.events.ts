import type { Role, SalesModel } from '@pacer/contracts';
import { DomainEvent } from '@pacer/event-store/aggregate';

export interface MembershipFacts {
  teamId: string;
  repId: string;
  name: string;
  role: Role;
  /** UTC instant the membership (or the new role) starts. */
  effectiveFrom: string;
}

/** Events of the Team aggregate (stream `team/<tenant>/<teamId>`). */
export type TeamEvent =
  | DomainEvent<'team.created', { teamId: string; name: string; salesModel: SalesModel }>
  | DomainEvent<'team.renamed', { teamId: string; name: string }>
  | DomainEvent<'team.member_joined', MembershipFacts>
  | DomainEvent<'team.member_changed', MembershipFacts>
  | DomainEvent<'team.member_left', { teamId: string; repId: string; effectiveTo: string }>;
