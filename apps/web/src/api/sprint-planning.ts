import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { seg, serviceRequest } from './http';
import type { ItemStatus, Sprint, SprintBoard, SprintReport, Targets, Team, TenantSettings, Velocity } from './types';

const sp = <T>(path: string, options?: Parameters<typeof serviceRequest>[2]) => serviceRequest<T>('sprint-planning', path, options);

export const sprintKeys = {
  settings: ['sprint-planning', 'settings'] as const,
  teams: ['sprint-planning', 'teams'] as const,
  team: (teamId: string) => ['sprint-planning', 'team', teamId] as const,
  sprints: (teamId: string) => ['sprint-planning', 'sprints', teamId] as const,
  board: (sprintId: string) => ['sprint-planning', 'board', sprintId] as const,
  report: (sprintId: string) => ['sprint-planning', 'report', sprintId] as const,
  velocity: (teamId: string) => ['sprint-planning', 'velocity', teamId] as const,
};

export function useSettings(enabled = true) {
  return useQuery({ queryKey: sprintKeys.settings, queryFn: () => sp<TenantSettings>('/v1/settings'), staleTime: 300_000, enabled });
}

export function usePutSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: TenantSettings) => sp<TenantSettings>('/v1/settings', { method: 'PUT', body }),
    onSuccess: (data) => client.setQueryData(sprintKeys.settings, data),
  });
}

export function useTeams(enabled = true) {
  return useQuery({ queryKey: sprintKeys.teams, queryFn: () => sp<Team[]>('/v1/teams'), enabled });
}

export function useTeam(teamId: string | undefined) {
  return useQuery({ queryKey: sprintKeys.team(teamId ?? ''), queryFn: () => sp<Team>(`/v1/teams/${seg(teamId ?? '')}`), enabled: !!teamId });
}

export function useCreateTeam() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { teamId?: string; name: string; salesModel: 'island' | 'assembly_line' }) => sp<Team>('/v1/teams', { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: sprintKeys.teams }),
  });
}

export function usePutMember(teamId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { repId: string; name: string; role: string; effectiveFrom?: string }) =>
      sp<Team>(`/v1/teams/${seg(teamId)}/members/${seg(v.repId)}`, {
        method: 'PUT',
        body: { name: v.name, role: v.role, ...(v.effectiveFrom ? { effectiveFrom: v.effectiveFrom } : {}) },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['sprint-planning'] }),
  });
}

export function useRemoveMember(teamId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (repId: string) => sp<Team>(`/v1/teams/${seg(teamId)}/members/${seg(repId)}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['sprint-planning'] }),
  });
}

/**
 * Display names of everyone who has been in the team, for lists whose service names reps by id only
 * (the KPI leaderboard does not carry names yet).
 */
export function useRepNames(teamId: string | undefined): (repId: string) => string {
  const team = useTeam(teamId);
  const names = new Map<string, string>();
  for (const m of team.data?.membership ?? []) names.set(m.repId, m.name);
  for (const m of team.data?.members ?? []) names.set(m.repId, m.name);
  return (repId) => names.get(repId) ?? repId;
}

export function useSprints(teamId: string | undefined) {
  return useQuery({ queryKey: sprintKeys.sprints(teamId ?? ''), queryFn: () => sp<Sprint[]>(`/v1/teams/${seg(teamId ?? '')}/sprints`), enabled: !!teamId });
}

export function useBoard(sprintId: string | undefined) {
  return useQuery({
    queryKey: sprintKeys.board(sprintId ?? ''),
    queryFn: () => sp<SprintBoard>(`/v1/sprints/${seg(sprintId ?? '')}/board`),
    enabled: !!sprintId,
    // sprint-planning applies KPI snapshots on its own consumer's schedule, so a running sprint's
    // board is also re-read every few seconds: the live stream alone could refetch it too early.
    refetchInterval: (query) => (query.state.data?.status === 'active' ? 5000 : false),
  });
}

export function useReport(sprintId: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: sprintKeys.report(sprintId ?? ''),
    queryFn: () => sp<SprintReport>(`/v1/sprints/${seg(sprintId ?? '')}/report`),
    enabled: enabled && !!sprintId,
  });
}

export function useVelocity(teamId: string | undefined) {
  return useQuery({
    queryKey: sprintKeys.velocity(teamId ?? ''),
    queryFn: () => sp<Velocity>(`/v1/teams/${seg(teamId ?? '')}/velocity`, { query: { last: 8 } }),
    enabled: !!teamId,
  });
}

export function usePlanSprint(teamId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { startDate: string; lengthDays: number; goal: string }) =>
      sp<Sprint>(`/v1/teams/${seg(teamId)}/sprints`, { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: sprintKeys.sprints(teamId) }),
  });
}

export function useSprintTransition() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { sprintId: string; action: 'start' | 'close' }) => sp<Sprint>(`/v1/sprints/${seg(v.sprintId)}/${v.action}`, { method: 'POST' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['sprint-planning'] }),
  });
}

export function useSetCommitment(sprintId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { repId: string; targets: Targets; items: { itemId: string; title: string; dueDate?: string }[] }) =>
      sp<unknown>(`/v1/sprints/${seg(sprintId)}/commitments/${seg(v.repId)}`, { method: 'PUT', body: { targets: v.targets, items: v.items } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['sprint-planning'] }),
  });
}

export function useMoveItem(sprintId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { itemId: string; status: ItemStatus }) =>
      sp<unknown>(`/v1/sprints/${seg(sprintId)}/items/${seg(v.itemId)}`, { method: 'PATCH', body: { status: v.status } }),
    onSuccess: () => client.invalidateQueries({ queryKey: sprintKeys.board(sprintId) }),
  });
}
