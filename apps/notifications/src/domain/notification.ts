/**
 * The notification types a destination subscribes to (SPEC §9 "Notifications out"). Wire names are a
 * public contract of the destinations API and the webhook body: add, never rename.
 */
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

/** The test message of the "send test" action; never a subscription. */
export const TEST_NOTIFICATION = 'test';

/** One labelled value of a notification, shown as a Slack field and sent in the webhook body. */
export interface NotificationFact {
  label: string;
  value: string;
}

/**
 * What happened, independent of where it goes: rendered to Block Kit for Slack and to JSON for
 * webhooks at delivery time. Holds facts about the event, never read-model rows.
 */
export interface Notification {
  type: NotificationType | typeof TEST_NOTIFICATION;
  tenantId: string;
  /** The CloudEvent that caused it (for behind_pace: the sprint it is about, see the README). */
  sourceEventId: string;
  /** When it happened in the world. */
  occurredAt: string;
  rep?: { id: string; name?: string };
  teams: { id: string; name?: string }[];
  /** One line, the whole story: who, what, how much. */
  title: string;
  facts: NotificationFact[];
  /** Machine-readable fields of the event (amounts as decimal strings), for webhook receivers. */
  data: Record<string, string | number | null>;
}

export function isNotificationType(value: string): value is NotificationType {
  return (NOTIFICATION_TYPES as readonly string[]).includes(value);
}
