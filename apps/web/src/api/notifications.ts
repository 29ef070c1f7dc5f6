import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { seg, serviceRequest } from './http';

/** What a destination may subscribe to (SPEC §9 "Notifications out"). */
export const NOTIFICATION_TYPES = [
  'behind_pace',
  'deal_won',
  'spiff_awarded',
  'deal_pending_approval',
  'dispute_opened',
  'statement_approved',
  'period_paid',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];
export type DestinationKind = 'slack' | 'webhook';
export type BreakerState = 'closed' | 'open' | 'half_open';

export interface DestinationStatus {
  breaker: { state: BreakerState; consecutiveFailures: number; openUntil: string | null };
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastFailure: string | null;
  pending: number;
  failed: number;
}

/** A destination as the API shows it: the URL only as a hint, the secret only as whether one is set. */
export interface Destination {
  destinationId: string;
  name: string;
  kind: DestinationKind;
  urlHint: string;
  hasSecret: boolean;
  eventTypes: NotificationType[];
  teamIds: string[];
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
  status: DestinationStatus;
}

/** The 201 of a create: a generated webhook secret is in it, this once. */
export interface CreatedDestination extends Destination {
  secret?: string;
}

export interface DestinationInput {
  name?: string;
  kind?: DestinationKind;
  url?: string;
  secret?: string;
  eventTypes?: NotificationType[];
  teamIds?: string[];
  enabled?: boolean;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface Delivery {
  deliveryId: string;
  type: string;
  title: string;
  sourceEventId: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  lastStatusCode: number | null;
  createdAt: string;
  deliveredAt: string | null;
}

export interface DeliveryList {
  destinationId: string;
  status: DestinationStatus;
  items: Delivery[];
}

const ns = <T>(path: string, options?: Parameters<typeof serviceRequest>[2]) => serviceRequest<T>('notifications', path, options);

export const notificationKeys = {
  all: ['notifications'] as const,
  destinations: ['notifications', 'destinations'] as const,
  deliveries: (destinationId: string) => ['notifications', 'deliveries', destinationId] as const,
};

/** While something is on its way the list refreshes, so a test send is seen to arrive (or fail). */
const BUSY_REFRESH_MS = 2_000;

export function useDestinations() {
  return useQuery({
    queryKey: notificationKeys.destinations,
    queryFn: async () => (await ns<{ items: Destination[] }>('/v1/destinations')).items,
    refetchInterval: (q) => ((q.state.data ?? []).some((d) => d.status.pending > 0 || d.status.breaker.state !== 'closed') ? BUSY_REFRESH_MS : false),
  });
}

/**
 * Something may still change: a delivery shown as pending, a backlog, or a breaker that is not
 * closed. The items are asked too because the service reads them and the status counts in separate
 * statements: a delivery that lands in between shows as pending in the items with a count of 0.
 */
export function deliveriesBusy(list: DeliveryList): boolean {
  return list.items.some((d) => d.status === 'pending') || list.status.pending > 0 || list.status.breaker.state !== 'closed';
}

export function useDeliveries(destinationId: string | undefined) {
  return useQuery({
    queryKey: notificationKeys.deliveries(destinationId ?? ''),
    queryFn: () => ns<DeliveryList>(`/v1/destinations/${seg(destinationId ?? '')}/deliveries`, { query: { limit: 20 } }),
    enabled: !!destinationId,
    refetchInterval: (q) => (q.state.data && deliveriesBusy(q.state.data) ? BUSY_REFRESH_MS : false),
  });
}

export function useCreateDestination() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: DestinationInput) => ns<CreatedDestination>('/v1/destinations', { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}

export function useUpdateDestination() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { destinationId: string; body: DestinationInput }) => ns<Destination>(`/v1/destinations/${seg(v.destinationId)}`, { method: 'PATCH', body: v.body }),
    onSuccess: () => client.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}

export function useDeleteDestination() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (destinationId: string) => ns<void>(`/v1/destinations/${seg(destinationId)}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}

export function useSendTest() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (destinationId: string) => ns<{ deliveryId: string }>(`/v1/destinations/${seg(destinationId)}/test`, { method: 'POST' }),
    onSuccess: () => client.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}
