import { DealObservation } from './deal-state';
import { CrmMappings, CrmVendor, ItemOutcome, RawActivity, repFor, StageOutcome } from './crm.types';

/** `deal` stands for a whole deal in an exception: retrying it applies the deal's mappings again. */
export const CRM_ITEM_KINDS = ['hubspot-deal-event', 'hubspot-engagement', 'salesforce-record', 'deal'] as const;
export type CrmItemKind = (typeof CRM_ITEM_KINDS)[number];

/**
 * One unit of a CRM delivery (a HubSpot event, a workflow's engagement, a Salesforce record), kept
 * as it came so that an item that could not be recorded can be retried once its mapping exists.
 */
export interface CrmItem {
  vendor: CrmVendor;
  kind: CrmItemKind;
  /** Who sent it, recorded as the activity's `recordedby`: `hubspot:<portalId>`, `salesforce:<orgId>`. */
  source: string;
  /** Stable identity of the item's record, e.g. `hs:62515:call:8001`. */
  key: string;
  payload: unknown;
}

/** What an item means, before mappings and deal state are applied. */
export type Interpretation =
  | { type: 'activities'; build: (mappings: CrmMappings) => ItemOutcome }
  | {
      type: 'deal';
      /** Identity of the deal (and prefix of its activityIds), e.g. `hs:62515:deal:1246965`. */
      dealKey: string;
      dealId: string;
      observation: DealObservation;
      defaultOutcome: (stage: string) => StageOutcome | undefined;
    }
  | { type: 'ignored'; reason: string }
  | { type: 'invalid'; detail: string };

/** Splits a delivery into items, or names what makes it unreadable (a 400 for the whole delivery). */
export type DeliveryParse = { ok: true; items: CrmItem[] } | { ok: false; errors: { path: string; message: string }[] };

/** Activities of a record owned by one CRM user: built once that user maps to a repId. */
export function ownedBy(owner: string | undefined, what: string, build: (repId: string) => RawActivity[]): Interpretation {
  return {
    type: 'activities',
    build: (mappings: CrmMappings): ItemOutcome => {
      const rep = repFor(mappings, owner, `the ${what}`);
      return 'problem' in rep ? { activities: [], problem: rep.problem } : { activities: build(rep.repId) };
    },
  };
}
