import { Activity } from '@pacer/contracts';

/** Field order of stored, published and listed activities (readability only: hashes sort keys). */
export const ACTIVITY_FIELD_ORDER = [
  'activityId',
  'kind',
  'repId',
  'occurredAt',
  'outcome',
  'durationSec',
  'meetingId',
  'scheduledFor',
  'leadId',
  'source',
  'opportunityId',
  'toStage',
  'dealId',
  'amount',
  'currency',
  'expectedCloseDate',
  'probability',
  'openedAt',
  'credits',
  'products',
  'reason',
] as const;

/** The activity with its fields in the order above (jsonb hands them back sorted by length). */
export function orderActivityFields(activity: Activity): Activity {
  const source = activity as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of ACTIVITY_FIELD_ORDER) {
    if (source[field] !== undefined) out[field] = source[field];
  }
  return out as Activity;
}
