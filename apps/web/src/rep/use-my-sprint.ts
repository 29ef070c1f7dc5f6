import { useBoard, useSprints } from '../api/sprint-planning';
import type { Principal, Sprint } from '../api/types';

/** The sprint a team is in now: the active one, else the next planned, else the last closed. */
export function currentSprint(sprints: Sprint[] | undefined): Sprint | undefined {
  if (!sprints || sprints.length === 0) return undefined;
  return (
    sprints.find((s) => s.status === 'active') ??
    sprints.find((s) => s.status === 'planned') ??
    [...sprints].reverse().find((s) => s.status === 'closed')
  );
}

export function useMySprint(principal: Principal) {
  const sprints = useSprints(principal.teamId);
  const sprint = currentSprint(sprints.data);
  const board = useBoard(sprint?.sprintId);
  const me = board.data?.reps.find((r) => r.repId === principal.repId);
  return { sprints, sprint, board, me };
}
