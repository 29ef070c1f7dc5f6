/** The CRMs that can post activities into Pacer (SPEC §9 "CRM in"). */
export const CRM_VENDORS = ['hubspot', 'salesforce'] as const;
export type CrmVendor = (typeof CRM_VENDORS)[number];

export const STAGE_OUTCOMES = ['won', 'lost'] as const;
export type StageOutcome = (typeof STAGE_OUTCOMES)[number];

/** How a CRM deal stage reads in Pacer: its name as `toStage`, and whether it closes the deal. */
export interface StageRule {
  pacerStage: string;
  outcome?: StageOutcome;
}

/** A tenant's translation of one CRM's users and stages. */
export interface CrmMappings {
  /** CRM user/owner id → Pacer repId. */
  users: ReadonlyMap<string, string>;
  /** CRM stage id or name → Pacer stage. */
  stages: ReadonlyMap<string, StageRule>;
}

export const EXCEPTION_REASONS = ['unmapped-user', 'unknown-owner', 'missing-amount', 'invalid', 'conflict'] as const;
/**
 * Why a CRM item could not (yet) become activities: a CRM user without a repId, a deal without an
 * owner or an amount when it was won, an activity Pacer's input rules refuse, or an activityId
 * already recorded with other content (a CRM record edited after it was recorded).
 */
export type ExceptionReason = (typeof EXCEPTION_REASONS)[number];

/** A flat activity object as the activity API takes it; validated by the one validator of ingestion. */
export type RawActivity = Record<string, unknown> & { activityId: string; kind: string; repId: string };

export interface ItemProblem {
  reason: ExceptionReason;
  crmUserId?: string;
  detail: string;
}

/** What one CRM item (an event, an engagement, a record) comes to. */
export interface ItemOutcome {
  activities: RawActivity[];
  /** Set when something of the item could not be recorded; listed as an exception. */
  problem?: ItemProblem;
  /** Set when the item carries nothing Pacer records, on purpose (an incoming email, a field Pacer does not use). */
  ignored?: string;
}

/** Resolves a CRM user to a repId, or says why not. */
export function repFor(
  mappings: CrmMappings,
  crmUserId: string | undefined,
  what: string,
): { repId: string } | { problem: ItemProblem } {
  if (crmUserId === undefined || crmUserId === '') {
    return { problem: { reason: 'unknown-owner', detail: `${what} has no owner` } };
  }
  const repId = mappings.users.get(crmUserId);
  if (repId === undefined) {
    return {
      problem: { reason: 'unmapped-user', crmUserId, detail: `CRM user ${crmUserId} is not mapped to a repId` },
    };
  }
  return { repId };
}
