import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { seg, serviceRequest } from './http';
import type { DealPendingApprovalData } from '@pacer/contracts';

// Commission governance (SPEC §6 "Governance"): period close/reopen, statement approval, payout,
// manual adjustments, disputes and deal approvals. Shapes as the commission service's OpenAPI states.

export type StatementStatus = 'draft' | 'approved' | 'paid';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** `GET /v1/statements` item and the approve answer. */
export interface StatementHead {
  statementId: string;
  repId: string;
  periodKey: string;
  status: StatementStatus;
  version: number;
  currency: string;
  total: string;
  approvedBy: string | null;
  approvedAt: string | null;
  closed: boolean;
}

export interface PeriodState {
  periodKey: string;
  closed: boolean;
  closedAt: string | null;
  closedBy: string | null;
  paidAt: string | null;
  paidBy: string | null;
  statements: number;
}

/** `GET /v1/periods/{periodKey}`: the period's state as the commission service keeps it. */
export interface Period {
  periodKey: string;
  status: 'open' | 'closed' | 'paid';
  closedAt: string | null;
  closedBy: string | null;
  reopenedAt?: string;
  reopenedBy?: string;
  paidAt?: string;
  paidBy?: string;
  statements: { total: number; draft: number; approved: number; paid: number };
}

export interface PayoutResult extends PeriodState {
  payouts: number;
}

/** One statement a refused payout names (`409 statements-unapproved`). */
export interface UnapprovedStatement {
  repId: string;
  status: StatementStatus;
  version: number;
}

export type DealStatus = 'pending' | 'approved' | 'rejected' | 'not_required';

/** A deal of the approval list: the deal record as the approval event carries it, and its decision. */
export interface PendingDeal extends DealPendingApprovalData {
  recordedBy: string | null;
  status: DealStatus;
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
}

export interface ManualAdjustmentResult {
  adjustmentId: string;
  repId: string;
  periodKey: string;
  requestedPeriodKey: string;
  lineId: string;
  amount: string;
  currency: string;
  reason: string;
  eventId: string;
  disputeId?: string;
}

export interface Dispute {
  disputeId: string;
  repId: string;
  periodKey: string;
  lineId: string;
  comment: string;
  status: 'open' | 'resolved';
  openedBy: string;
  openedAt: string;
  resolution: string | null;
  adjustmentAmount: string | null;
  adjustment: ManualAdjustmentResult | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
}

const cm = <T>(path: string, options?: Parameters<typeof serviceRequest>[2]) => serviceRequest<T>('commission', path, options);

/** Lists are read whole, 1,000 a page: a team's or a period's statements fit a screen's table. */
async function allPages<T>(path: string, query: Record<string, string | undefined>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await cm<Page<T>>(path, { query: { ...query, limit: 1000, cursor } });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return items;
}

export const governanceKeys = {
  period: (periodKey: string) => ['commission', 'governance', 'period', periodKey] as const,
  deals: (status: string) => ['commission', 'governance', 'deals', status] as const,
  statements: (periodKey: string, teamId: string) => ['commission', 'governance', 'statements', periodKey, teamId] as const,
  disputes: (status: string, repId: string) => ['commission', 'governance', 'disputes', status, repId] as const,
};

/** The period's state from the service, not inferred from its statements (a period with none closes too). */
export function usePeriod(periodKey: string | undefined) {
  return useQuery({
    queryKey: governanceKeys.period(periodKey ?? ''),
    queryFn: () => cm<Period>(`/v1/periods/${seg(periodKey ?? '')}`),
    enabled: !!periodKey,
    retry: false,
  });
}

export function useDeals(status: 'pending' | 'approved' | 'rejected' = 'pending') {
  return useQuery({ queryKey: governanceKeys.deals(status), queryFn: () => allPages<PendingDeal>('/v1/deals', { status }) });
}

export function useStatementHeads(periodKey: string | undefined, teamId?: string) {
  return useQuery({
    queryKey: governanceKeys.statements(periodKey ?? '', teamId ?? ''),
    queryFn: () => allPages<StatementHead>('/v1/statements', { periodKey, teamId }),
    enabled: !!periodKey,
    retry: false,
  });
}

export function useDisputes(status: 'open' | 'resolved' | undefined, repId?: string) {
  return useQuery({
    queryKey: governanceKeys.disputes(status ?? 'all', repId ?? ''),
    queryFn: () => allPages<Dispute>('/v1/disputes', { status, repId }),
  });
}

/** Every governance command changes statements or a period: the commission cache (period states included) is refetched after each. */
function useCommissionCommand<V, R>(fn: (v: V) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => client.invalidateQueries({ queryKey: ['commission'] }) });
}

export function useDecideDeal() {
  return useCommissionCommand((v: { dealId: string; decision: 'approve' | 'reject'; reason?: string }) =>
    cm<PendingDeal>(`/v1/deals/${seg(v.dealId)}/${v.decision}`, { method: 'POST', body: v.reason ? { reason: v.reason } : {} }),
  );
}

export function useApproveStatement() {
  return useCommissionCommand((v: { repId: string; periodKey: string; version?: number }) =>
    cm<StatementHead>(`/v1/reps/${seg(v.repId)}/statements/${seg(v.periodKey)}/approve`, {
      method: 'POST',
      // The version the approver saw: a statement that moved on since is refused (409), not approved blind.
      body: v.version !== undefined && v.version > 0 ? { version: v.version } : {},
    }),
  );
}

export function usePeriodCommand() {
  return useCommissionCommand((v: { periodKey: string; command: 'close' | 'reopen' | 'payout' }) =>
    cm<PayoutResult | PeriodState>(`/v1/periods/${seg(v.periodKey)}/${v.command}`, { method: 'POST' }),
  );
}

export function usePostAdjustment() {
  return useCommissionCommand((body: { repId: string; periodKey: string; amount: string; reason: string }) =>
    cm<ManualAdjustmentResult>('/v1/adjustments', { method: 'POST', body }),
  );
}

export function useOpenDispute() {
  return useCommissionCommand((v: { repId: string; periodKey: string; lineId: string; comment: string }) =>
    cm<Dispute>(`/v1/reps/${seg(v.repId)}/statements/${seg(v.periodKey)}/lines/${seg(v.lineId)}/disputes`, {
      method: 'POST',
      body: { comment: v.comment },
    }),
  );
}

export function useResolveDispute() {
  return useCommissionCommand((v: { disputeId: string; resolution: string; amount?: string }) =>
    cm<Dispute>(`/v1/disputes/${seg(v.disputeId)}/resolve`, {
      method: 'POST',
      body: { resolution: v.resolution, ...(v.amount ? { adjustment: { amount: v.amount } } : {}) },
    }),
  );
}

/** The statement's CSV through the BFF (a plain link: the browser downloads it with the session cookie). */
export function statementCsvUrl(repId: string, periodKey: string): string {
  return `/api/commission/v1/reps/${seg(repId)}/statements/${seg(periodKey)}.csv`;
}

export function payoutCsvUrl(periodKey: string): string {
  return `/api/commission/v1/periods/${seg(periodKey)}/payout.csv`;
}
