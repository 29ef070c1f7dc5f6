import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ProblemError, request } from './http';
import type { DevPerson, Principal } from './types';

/** The signed-in person, or null when there is no session (401). */
export function useSession() {
  return useQuery({
    queryKey: ['session'],
    queryFn: async (): Promise<Principal | null> => {
      try {
        const res = await request<{ principal: Principal }>('/api/session');
        return res.principal;
      } catch (e) {
        if (e instanceof ProblemError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 60_000,
  });
}

export function useDevPeople() {
  return useQuery({ queryKey: ['dev-people'], queryFn: () => request<DevPerson[]>('/api/dev/people'), retry: false });
}

export function useDevSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (subject: string) => request<void>('/api/dev/sign-in', { method: 'POST', body: { subject } }),
    onSuccess: async () => {
      client.clear();
      await client.invalidateQueries({ queryKey: ['session'] });
    },
  });
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => request<void>('/api/sign-out', { method: 'POST' }),
    onSuccess: () => {
      client.clear();
      client.setQueryData(['session'], null);
    },
  });
}

/** The start screen of a role (the contract's role → screen table). */
export function homeOf(principal: Principal): string {
  if (principal.roles.includes('admin')) return '/admin';
  if (principal.roles.includes('manager')) return '/manager';
  if (principal.roles.includes('display')) return '/tv';
  return '/rep';
}
