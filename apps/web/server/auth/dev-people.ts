import { DateTime } from 'luxon';
import { buildScenario, demoPeople, DemoPerson } from '@pacer/api-client';

/** One entry of `GET /api/dev/people`: what the development sign-in list shows. */
export interface DevPerson {
  subject: string;
  name: string;
  roles: DemoPerson['roles'];
  repId?: string;
  teamId?: string;
  teamName?: string;
}

/**
 * The demo tenant's people as `npm start` seeds them (libs/api-client's scenario), so the list cannot
 * drift from the roster: admin, managers, reps and one TV display per team.
 */
export function devPeople(tenantId: string, now = DateTime.now()): (DemoPerson & { teamName?: string })[] {
  const scenario = buildScenario({ tenantId, now, activityCount: 0 });
  const teamNames = new Map(scenario.teams.map((t) => [t.teamId, t.name]));
  return demoPeople(scenario).map((p) => {
    const teamName = p.teamId ? teamNames.get(p.teamId) : undefined;
    return teamName ? { ...p, teamName } : p;
  });
}

export function publicView(person: DemoPerson & { teamName?: string }): DevPerson {
  return {
    subject: person.subject,
    name: person.name,
    roles: person.roles,
    ...(person.repId ? { repId: person.repId } : {}),
    ...(person.teamId ? { teamId: person.teamId } : {}),
    ...(person.teamName ? { teamName: person.teamName } : {}),
  };
}
