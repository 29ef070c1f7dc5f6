import { useInfiniteQuery } from '@tanstack/react-query';
import { mergeAudit, type AuditFetch, type AuditRecord } from './audit-merge';
import { serviceRequest, type ServiceName } from './http';

/** The services that keep an audit log (`GET /v1/audit`, admins). */
export const AUDITED_SERVICES: ServiceName[] = ['activity-ingestion', 'sprint-planning', 'kpi-aggregation', 'commission', 'notifications'];

export interface AuditFilter {
  from?: string;
  to?: string;
  actor?: string;
  type?: string;
}

/** Rows a page asks each service for: one service reads further per page than a merge of five. */
const PAGE_ONE = 50;
const PAGE_MERGED = 20;

async function fetchOne(service: ServiceName, filter: AuditFilter, cursor: string | undefined, limit: number): Promise<AuditFetch> {
  try {
    const page = await serviceRequest<{ items: AuditRecord[]; nextCursor: string | null }>(service, '/v1/audit', {
      query: { ...filter, limit, cursor },
    });
    return { service, items: page.items, nextCursor: page.nextCursor };
  } catch (error) {
    // One service not answering leaves the others' records readable; the screen names the gap.
    return { service, items: [], nextCursor: null, error };
  }
}

/** One table over the chosen services' audit logs, newest first; `fetchNextPage` is "more". */
export function useAudit(services: ServiceName[], filter: AuditFilter) {
  const query = useInfiniteQuery({
    queryKey: ['audit', services, filter],
    initialPageParam: Object.fromEntries(services.map((s) => [s, ''])) as Partial<Record<ServiceName, string>>,
    queryFn: ({ pageParam }) =>
      Promise.all(
        Object.entries(pageParam).map(([service, cursor]) =>
          fetchOne(service as ServiceName, filter, cursor || undefined, services.length > 1 ? PAGE_MERGED : PAGE_ONE),
        ),
      ),
    getNextPageParam: (_last, pages) => mergeAudit(pages).next,
    retry: false,
  });
  const merged = query.data ? mergeAudit(query.data.pages) : undefined;
  return { ...query, merged };
}
