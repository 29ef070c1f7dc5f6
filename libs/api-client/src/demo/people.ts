import type { Role } from '@pacer/auth';
import { Scenario } from './scenario';

/** Someone the web app's development sign-in can offer: enough to mint their token. */
export interface DemoPerson {
  /** The token's `sub`: stable across runs so sessions and audit lines stay recognisable. */
  subject: string;
  /** What the sign-in list shows. */
  name: string;
  tenantId: string;
  roles: Role[];
  /** The rep this person is: set for reps and for managers (a manager is a MANAGER member). */
  repId?: string;
  /** The person's team: their membership for reps and managers, the one team shown for a display. */
  teamId?: string;
}

/**
 * Everyone of a seeded scenario who can sign in: the admin, each manager (a token with the manager's
 * own repId, which is a MANAGER member of their team), each selling rep and one TV display per team.
 * Derived from the scenario so the sign-in list cannot drift from what was seeded.
 */
export function demoPeople(scenario: Scenario): DemoPerson[] {
  const tenantId = scenario.tenantId;
  const admin: DemoPerson = { subject: `${tenantId}-admin`, name: 'Admin', tenantId, roles: ['admin'] };
  const managers = scenario.members
    .filter((m) => m.role === 'MANAGER')
    .map((m): DemoPerson => ({ subject: `${tenantId}-${m.repId}`, name: m.name, tenantId, roles: ['manager'], repId: m.repId, teamId: m.teamId }));
  const reps = scenario.members
    .filter((m) => m.role !== 'MANAGER')
    .map((m): DemoPerson => ({ subject: `${tenantId}-${m.repId}`, name: m.name, tenantId, roles: ['rep'], repId: m.repId, teamId: m.teamId }));
  const displays = scenario.teams.map(
    (t): DemoPerson => ({ subject: `${tenantId}-tv-${t.teamId}`, name: `TV ${t.name}`, tenantId, roles: ['display'], teamId: t.teamId }),
  );
  return [admin, ...managers, ...reps, ...displays];
}
