import { Type, type Static } from '@sinclair/typebox';
import { defineEvent } from './event-definition';
import { rosterSettingsKey, rosterTeamKey } from './message-keys';
import { TOPICS } from './topics';
import { Id, Instant, StringEnum, TimeZone } from './wire-formats';

export const ROLES = ['SDR', 'AE', 'AM', 'CSM', 'MANAGER'] as const;
export type Role = (typeof ROLES)[number];
export const RoleSchema = StringEnum(ROLES);

export const SALES_MODELS = ['island', 'assembly_line'] as const;
export type SalesModel = (typeof SALES_MODELS)[number];
export const SalesModelSchema = StringEnum(SALES_MODELS);

export const TenantSettingsUpdatedData = Type.Object({
  timezone: TimeZone,
  weekStartsOn: Type.Integer({ minimum: 1, maximum: 7, description: 'ISO weekday, 1 = Monday' }),
  fiscalYearStartMonth: Type.Integer({ minimum: 1, maximum: 12 }),
  // Optional so events published before it existed stay valid; absent means false.
  dealsRequireApproval: Type.Optional(
    Type.Boolean({
      description:
        "A deal_won recorded with a rep token pays no commission until the rep's manager or an admin approves it (absent = false).",
    }),
  ),
});
export type TenantSettingsUpdatedData = Static<typeof TenantSettingsUpdatedData>;

/** What a tenant that never published settings uses (SPEC §4). */
export const DEFAULT_TENANT_SETTINGS: Readonly<TenantSettingsUpdatedData> = {
  timezone: 'UTC',
  weekStartsOn: 1,
  fiscalYearStartMonth: 1,
  dealsRequireApproval: false,
};

const teamFields = { teamId: Id, name: Type.String({ minLength: 1 }), salesModel: SalesModelSchema };

export const TeamCreatedData = Type.Object(teamFields);
export type TeamCreatedData = Static<typeof TeamCreatedData>;

// A rename repeats the (unchanged) sales model so a consumer that starts from a rename alone still
// knows the whole team.
export const TeamRenamedData = Type.Object(teamFields);
export type TeamRenamedData = Static<typeof TeamRenamedData>;

// Membership is a dated interval [effectiveFrom, effectiveTo). Instants, not dates: team attribution
// compares them with an activity's occurredAt, and a rep can move teams in the middle of a day.
const membershipFields = {
  teamId: Id,
  repId: Id,
  name: Type.String({ minLength: 1 }),
  role: RoleSchema,
  effectiveFrom: Instant,
};

export const MemberJoinedData = Type.Object(membershipFields);
export type MemberJoinedData = Static<typeof MemberJoinedData>;

export const MemberRoleChangedData = Type.Object(membershipFields);
export type MemberRoleChangedData = Static<typeof MemberRoleChangedData>;

export const MemberLeftData = Type.Object({ teamId: Id, repId: Id, effectiveTo: Instant });
export type MemberLeftData = Static<typeof MemberLeftData>;

const byTeam = {
  topic: TOPICS.roster,
  key: (data: { teamId: string }, tenantId: string) => rosterTeamKey(tenantId, data.teamId),
};

/** Roster event definitions: tenant settings, teams and dated team membership. */
export const ROSTER_EVENTS = [
  defineEvent({
    type: 'pacer.roster.settings_updated.v1',
    topic: TOPICS.roster,
    summary:
      "The tenant's settings changed: time zone and calendar (KPIs are restated in the new calendar) and whether reps' deals need approval.",
    schema: TenantSettingsUpdatedData,
    subject: (_data, tenantId) => tenantId,
    key: (_data, tenantId) => rosterSettingsKey(tenantId),
  }),
  defineEvent({
    type: 'pacer.roster.team_created.v1',
    summary: 'A team was created.',
    schema: TeamCreatedData,
    subject: (data) => data.teamId,
    ...byTeam,
  }),
  defineEvent({
    type: 'pacer.roster.team_renamed.v1',
    summary: 'A team was renamed.',
    schema: TeamRenamedData,
    subject: (data) => data.teamId,
    ...byTeam,
  }),
  defineEvent({
    type: 'pacer.roster.member_joined.v1',
    summary: 'A rep joined a team with a role, from effectiveFrom.',
    schema: MemberJoinedData,
    subject: (data) => data.repId,
    ...byTeam,
  }),
  defineEvent({
    type: 'pacer.roster.member_role_changed.v1',
    summary: "A member's role (or display name) in a team changed, from effectiveFrom.",
    schema: MemberRoleChangedData,
    subject: (data) => data.repId,
    ...byTeam,
  }),
  defineEvent({
    type: 'pacer.roster.member_left.v1',
    summary: 'A rep left a team; the membership ends at effectiveTo (exclusive).',
    schema: MemberLeftData,
    subject: (data) => data.repId,
    ...byTeam,
  }),
] as const;
