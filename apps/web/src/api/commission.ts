import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { seg, serviceRequest } from './http';
import type { CommissionException, Estimate, PlanBody, PlanVersion, Statement, StatementListItem } from './types';

const cm = <T>(path: string, options?: Parameters<typeof serviceRequest>[2]) => serviceRequest<T>('commission', path, options);

export const commissionKeys = {
  statements: (repId: string) => ['commission', 'statements', repId] as const,
  statement: (repId: string, periodKey: string) => ['commission', 'statement', repId, periodKey] as const,
  plans: ['commission', 'plans'] as const,
  plan: (planId: string) => ['commission', 'plan', planId] as const,
  quotas: (repId: string) => ['commission', 'quotas', repId] as const,
  exceptions: ['commission', 'exceptions'] as const,
};

export function useStatements(repId: string | undefined) {
  return useQuery({
    queryKey: commissionKeys.statements(repId ?? ''),
    queryFn: async () => (await cm<{ repId: string; items: StatementListItem[] }>(`/v1/reps/${seg(repId ?? '')}/statements`)).items,
    enabled: !!repId,
  });
}

export function useStatement(repId: string | undefined, periodKey: string | undefined) {
  return useQuery({
    queryKey: commissionKeys.statement(repId ?? '', periodKey ?? ''),
    queryFn: () => cm<Statement>(`/v1/reps/${seg(repId ?? '')}/statements/${seg(periodKey ?? '')}`),
    enabled: !!repId && !!periodKey,
    retry: false,
  });
}

export function useEstimate() {
  return useMutation({
    mutationFn: (body: { repId: string; amount: string; currency?: string }) => cm<Estimate>('/v1/estimate', { method: 'POST', body }),
  });
}

export function usePlans() {
  return useQuery({ queryKey: commissionKeys.plans, queryFn: async () => (await cm<{ items: { planId: string; latestVersion: number }[] }>('/v1/plans')).items });
}

export function usePlan(planId: string | undefined) {
  return useQuery({ queryKey: commissionKeys.plan(planId ?? ''), queryFn: () => cm<PlanVersion & { versions: PlanVersion[] }>(`/v1/plans/${seg(planId ?? '')}`), enabled: !!planId });
}

export function usePutPlan(planId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: PlanBody) => cm<PlanVersion>(`/v1/plans/${seg(planId)}`, { method: 'PUT', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['commission'] }),
  });
}

export function useQuotas(repId: string | undefined) {
  return useQuery({
    queryKey: commissionKeys.quotas(repId ?? ''),
    queryFn: () => cm<{ repId: string; quotas: { periodKey: string; amount: string }[] }>(`/v1/reps/${seg(repId ?? '')}/quotas`),
    enabled: !!repId,
  });
}

export function usePutQuota() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { repId: string; periodKey: string; amount: string }) =>
      cm<unknown>(`/v1/reps/${seg(v.repId)}/quotas/${seg(v.periodKey)}`, { method: 'PUT', body: { amount: v.amount } }),
    onSuccess: (_d, v) => client.invalidateQueries({ queryKey: commissionKeys.quotas(v.repId) }),
  });
}

export function useExceptions() {
  return useQuery({
    queryKey: commissionKeys.exceptions,
    queryFn: () => cm<{ items: CommissionException[]; nextCursor: string | null }>('/v1/exceptions', { query: { limit: 200 } }),
  });
}

/**
 * An estimate as a query (it changes no state): the plan editor's preview re-asks whenever the rep,
 * the amount or the plan version changes, and shows the last answer while the next one loads.
 */
export function useEstimatePreview(repId: string | undefined, amount: string, currency: string | undefined, planVersion: number | undefined) {
  return useQuery({
    queryKey: ['commission', 'estimate', repId ?? '', amount, currency ?? '', planVersion ?? 0],
    queryFn: () => cm<Estimate>('/v1/estimate', { method: 'POST', body: { repId, amount, ...(currency ? { currency } : {}) } }),
    enabled: !!repId && /^(0|[1-9]\d*)(\.\d{1,2})?$/.test(amount) && Number(amount) > 0,
    placeholderData: (previous) => previous,
    retry: false,
  });
}

export function useRepPlan(repId: string | undefined) {
  return useQuery({
    queryKey: ['commission', 'rep-plan', repId ?? ''],
    queryFn: () => cm<{ repId: string; assignments?: { planId: string; effectiveFrom: string }[]; planId?: string }>(`/v1/reps/${seg(repId ?? '')}/plan`),
    enabled: !!repId,
    retry: false,
  });
}
