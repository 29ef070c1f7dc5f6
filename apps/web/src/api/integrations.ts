import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ProblemError, request, seg, serviceRequest } from './http';

export const CRM_VENDORS = ['hubspot', 'salesforce'] as const;
export type CrmVendor = (typeof CRM_VENDORS)[number];

/** `GET /v1/integrations/{vendor}`: whether a secret is stored, never the secret. */
export interface Integration {
  vendor: CrmVendor;
  secretSet: boolean;
  secretUpdatedAt: string | null;
  accountIds: string[];
  defaultCurrency: string | null;
  /** Relative to activity-ingestion's public address. */
  webhookPath: string;
  updatedAt: string;
}

export interface IntegrationSettings {
  secret?: string;
  accountIds: string[];
  defaultCurrency: string;
}

export interface UserMapping {
  crmUserId: string;
  repId: string;
}

export interface StageMapping {
  crmStage: string;
  pacerStage: string;
  outcome?: 'won' | 'lost';
}

export interface Mappings {
  users: UserMapping[];
  stages: StageMapping[];
}

export interface MappingsResult extends Mappings {
  vendor: CrmVendor;
  updatedAt: string | null;
}

export type CrmExceptionReason = 'unmapped-user' | 'unknown-owner' | 'missing-amount' | 'invalid' | 'conflict';

export interface CrmException {
  id: string;
  vendor: CrmVendor;
  key: string;
  reason: CrmExceptionReason | string;
  crmUserId: string | null;
  detail: string;
  errors: { path: string; message: string }[];
  status: 'open' | 'resolved';
  occurrences: number;
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
}

export interface DeliverySummary {
  items: number;
  accepted: number;
  duplicates: number;
  ignored: number;
  exceptions: { id: string; key: string; reason: string; detail: string }[];
}

export interface RetryResult {
  exception: CrmException;
  delivery: DeliverySummary;
}

const ai = <T>(path: string, options?: Parameters<typeof serviceRequest>[2]) => serviceRequest<T>('activity-ingestion', path, options);

export const integrationKeys = {
  all: ['activity-ingestion', 'integrations'] as const,
  integration: (vendor: CrmVendor) => ['activity-ingestion', 'integrations', vendor] as const,
  mappings: (vendor: CrmVendor) => ['activity-ingestion', 'integrations', vendor, 'mappings'] as const,
  exceptions: (vendor: CrmVendor, status: string) => ['activity-ingestion', 'integrations', 'exceptions', vendor, status] as const,
};

/** The vendor's settings, or null while it is not configured for the tenant (the API's 404). */
export function useIntegration(vendor: CrmVendor) {
  return useQuery({
    queryKey: integrationKeys.integration(vendor),
    queryFn: async () => {
      try {
        return await ai<Integration>(`/v1/integrations/${seg(vendor)}`);
      } catch (e) {
        if (e instanceof ProblemError && e.status === 404) return null;
        throw e;
      }
    },
  });
}

export function usePutIntegration(vendor: CrmVendor) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: IntegrationSettings) => ai<Integration>(`/v1/integrations/${seg(vendor)}`, { method: 'PUT', body }),
    onSuccess: (data) => client.setQueryData(integrationKeys.integration(vendor), data),
  });
}

export function useMappings(vendor: CrmVendor) {
  return useQuery({ queryKey: integrationKeys.mappings(vendor), queryFn: () => ai<MappingsResult>(`/v1/integrations/${seg(vendor)}/mappings`) });
}

export function usePutMappings(vendor: CrmVendor) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Mappings) => ai<MappingsResult>(`/v1/integrations/${seg(vendor)}/mappings`, { method: 'PUT', body }),
    onSuccess: (data) => client.setQueryData(integrationKeys.mappings(vendor), data),
  });
}

/** The vendor's exceptions, newest first; `status` '' for every status. One page of 200 is what a screen shows. */
export function useCrmExceptions(vendor: CrmVendor, status: 'open' | 'resolved' | '') {
  return useQuery({
    queryKey: integrationKeys.exceptions(vendor, status),
    queryFn: () =>
      ai<{ items: CrmException[]; nextCursor: string | null }>('/v1/integrations/exceptions', { query: { vendor, status: status || undefined, limit: 200 } }),
  });
}

export function useRetryException() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => ai<RetryResult>(`/v1/integrations/exceptions/${seg(id)}/retry`, { method: 'POST' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['activity-ingestion', 'integrations', 'exceptions'] }),
  });
}

/** The deployment facts the BFF tells signed-in screens (`GET /api/config`). */
export function useWebConfig() {
  return useQuery({ queryKey: ['web', 'config'], queryFn: () => request<{ integrationsPublicUrl: string | null }>('/api/config'), staleTime: Infinity });
}
