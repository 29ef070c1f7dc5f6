import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { problemOf, serviceRequest } from './http';
import type { ActivityRecord, ImportResult } from './types';

export const activityKeys = {
  list: (repId: string | undefined, kind?: string) => ['activity-ingestion', 'activities', repId ?? '', kind ?? ''] as const,
};

export type QuickKind = 'call_logged' | 'email_sent' | 'meeting_held';

/** A fresh client-side activity id: the service's idempotency key, so a retried click is a duplicate. */
export function newActivityId(): string {
  return `web-${crypto.randomUUID()}`;
}

export function useLogActivity() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (activity: Record<string, unknown> & { activityId: string; kind: string; repId: string; occurredAt: string }) =>
      serviceRequest<{ activityId: string; status: 'accepted' | 'duplicate' }>('activity-ingestion', '/v1/activities', { method: 'POST', body: activity }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['activity-ingestion'] }),
  });
}

/** Retracts an activity recorded by mistake (a rep may void only what the rep recorded). */
export function useVoidActivity() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { activityId: string; reason: string }) =>
      serviceRequest<{ status: string }>('activity-ingestion', `/v1/activities/${encodeURIComponent(v.activityId)}/void`, { method: 'POST', body: { reason: v.reason } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['activity-ingestion'] }),
  });
}

export function useActivities(repId: string | undefined, kind?: string, enabled = true) {
  return useQuery({
    queryKey: activityKeys.list(repId, kind),
    queryFn: () =>
      serviceRequest<{ items: ActivityRecord[]; nextCursor: string | null }>('activity-ingestion', '/v1/activities', {
        query: { repId, kind, limit: 500 },
      }),
    enabled: enabled && !!repId,
  });
}

export function useActivity(activityId: string | undefined) {
  return useQuery({
    queryKey: ['activity-ingestion', 'activity', activityId ?? ''],
    queryFn: () => serviceRequest<ActivityRecord>('activity-ingestion', `/v1/activities/${encodeURIComponent(activityId ?? '')}`),
    enabled: !!activityId,
    retry: false,
  });
}

/**
 * Streams a CSV or NDJSON file to the import endpoint. XMLHttpRequest rather than fetch because only
 * it reports upload progress, which is what the progress bar shows for a large file.
 */
export function importFile(file: File, onProgress: (share: number) => void): Promise<ImportResult> {
  const type = file.name.toLowerCase().endsWith('.csv') || file.type === 'text/csv' ? 'text/csv' : 'application/x-ndjson';
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/activity-ingestion/v1/activities/import');
    xhr.setRequestHeader('content-type', type);
    xhr.setRequestHeader('accept', 'application/json, application/problem+json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new Error('network error'));
    xhr.onload = () => {
      const res = new Response(xhr.responseText, { status: xhr.status, headers: { 'content-type': xhr.getResponseHeader('content-type') ?? '' } });
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(JSON.parse(xhr.responseText) as ImportResult);
      } else {
        void problemOf(res).then(reject, reject);
      }
    };
    xhr.send(file);
  });
}
