import {
  Activity,
  activityEventType,
  deterministicEventId,
  eventKey,
  makeEvent,
  PacerEvent,
  RecordedBy,
  TOPICS,
} from '@pacer/contracts';
import { OutboxMessage } from '@pacer/messaging';

export const ACTIVITY_STREAM_TYPE = 'activity';

// Stream ids join segments with ':'; escaping them keeps ("a:b", "c") and ("a", "b:c") apart.
function segment(value: string): string {
  return value.replace(/%/g, '%25').replace(/:/g, '%3A');
}

/** Every activity is its own stream: version 1 is its acceptance, version 2 its void. */
export function activityStreamId(tenantId: string, activityId: string): string {
  return `activity:${segment(tenantId)}:${segment(activityId)}`;
}

/**
 * The CloudEvent id of an accepted activity is a function of tenant and activityId, so however often
 * a client retries and whatever crashes in between, the activity is never published under two ids.
 */
export function acceptedEventId(tenantId: string, activityId: string): string {
  return deterministicEventId(tenantId, 'activity', activityId, 'accepted');
}

export function voidedEventId(tenantId: string, activityId: string): string {
  return deterministicEventId(tenantId, 'activity', activityId, 'voided');
}

/**
 * `pacer.activity.<kind>.v1` for an accepted activity; `time` is when it happened, per SPEC §2, and
 * `recordedby`/`recordedrole` who recorded it (SPEC §6). `activity` must be what `validateActivity`
 * returned: the DTOs read the limits of the contract's schemas (activity-kinds.spec holds every
 * kind's accepted form to the producer schema), so the data is not checked a second time here.
 */
export function acceptedEvent(
  tenantId: string,
  activity: Activity,
  recordedTime: string,
  recordedBy?: RecordedBy,
): PacerEvent {
  return makeEvent(
    activityEventType(activity.kind),
    {
      id: acceptedEventId(tenantId, activity.activityId),
      tenantId,
      time: activity.occurredAt,
      recordedTime,
      ...(recordedBy ? { recordedBy } : {}),
      data: activity,
    } as Parameters<typeof makeEvent>[1],
    { dataValidated: true },
  );
}

/** `pacer.activity.voided.v1`, carrying the whole original so consumers can undo it without state. */
export function voidedEvent(tenantId: string, activity: Activity, reason: string, at: string): PacerEvent {
  return makeEvent('pacer.activity.voided.v1', {
    id: voidedEventId(tenantId, activity.activityId),
    tenantId,
    time: at,
    recordedTime: at,
    data: {
      activityId: activity.activityId,
      repId: activity.repId,
      reason,
      voidedKind: activity.kind,
      voidedOccurredAt: activity.occurredAt,
      voidedActivity: activity,
    },
  });
}

/** The outbox record of an event: canonical topic (the relay adds the prefix), key `{tenantId}:{repId}`. */
export function toOutbox(event: PacerEvent): OutboxMessage {
  return { topic: TOPICS.activities, key: eventKey(event), value: event };
}
