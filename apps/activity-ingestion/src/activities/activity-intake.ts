import { actingRole, Principal, Role } from '@pacer/auth';
import { InvalidEventError, RecordedBy } from '@pacer/contracts';
import { FieldError } from '@pacer/http';
import { acceptedEvent } from './activity-event.factory';
import { Candidate, WriteOutcome } from './activity.repository';
import { validateActivity } from './activity.validator';

export type RejectReason = 'invalid' | 'forbidden' | 'conflict';

/** The result of one submitted activity (an item of a batch, a line of an import, a single POST). */
export type ItemResult =
  | { activityId: string; status: 'accepted' | 'duplicate' }
  | { activityId?: string; status: 'rejected'; reason: RejectReason; errors: FieldError[] };

export type Rejection = Extract<ItemResult, { status: 'rejected' }>;

export type Prepared = { ok: true; candidate: Candidate } | { ok: false; rejection: Rejection };

/** The roles that record (and void) activities. */
export const ACTIVITY_WRITERS: readonly Role[] = ['admin', 'ingest', 'rep'];

/**
 * Who records an activity (SPEC §6 `recordedby`/`recordedrole`): the token's `sub` and the most
 * privileged role it holds among the writers, so a rep-only token is `rep` and `[admin, rep]` is `admin`.
 */
export function recorderOf(principal: Principal): RecordedBy {
  return { sub: principal.subject, role: actingRole(principal, ACTIVITY_WRITERS) };
}

/** SPEC §7: ingest and admin write for any rep; a rep only for itself. */
export function mayWriteFor(principal: Principal, repId: string): boolean {
  if (principal.roles.includes('admin') || principal.roles.includes('ingest')) return true;
  return principal.roles.includes('rep') && principal.repId === repId;
}

/** Validation, authorisation and event building of one raw item: everything before the database. */
export function prepareActivity(raw: unknown, principal: Principal, recordedTime: string): Prepared {
  const checked = validateActivity(raw);
  if (!checked.ok) {
    return {
      ok: false,
      rejection: {
        ...(checked.activityId !== undefined ? { activityId: checked.activityId } : {}),
        status: 'rejected',
        reason: 'invalid',
        errors: checked.errors,
      },
    };
  }
  const { activity } = checked;
  if (!mayWriteFor(principal, activity.repId)) {
    return {
      ok: false,
      rejection: {
        activityId: activity.activityId,
        status: 'rejected',
        reason: 'forbidden',
        errors: [{ path: 'repId', message: 'a rep may record only its own activities' }],
      },
    };
  }
  try {
    const recordedBy = recorderOf(principal);
    const event = acceptedEvent(principal.tenantId, activity, recordedTime, recordedBy);
    return { ok: true, candidate: { activity, event, recordedBy } };
  } catch (e) {
    // The DTOs and the published contract should agree; if they ever do not, the client gets a 400
    // naming the field rather than a 500.
    if (!(e instanceof InvalidEventError)) throw e;
    const errors = e.problems.map((p) => ({
      path: p.path.replace(/^\/data\/?/, '').replace(/\//g, '.'),
      message: p.message,
    }));
    return {
      ok: false,
      rejection: { activityId: activity.activityId, status: 'rejected', reason: 'invalid', errors },
    };
  }
}

/** The item result of a written candidate. */
export function resultOf(candidate: Candidate, outcome: WriteOutcome): ItemResult {
  const activityId = candidate.activity.activityId;
  if (outcome.status !== 'conflict') return { activityId, status: outcome.status };
  const fields = outcome.fields.length > 0 ? outcome.fields : [''];
  return {
    activityId,
    status: 'rejected',
    reason: 'conflict',
    errors: fields.map((path) => ({
      path,
      message: 'differs from the activity already recorded with this activityId',
    })),
  };
}
