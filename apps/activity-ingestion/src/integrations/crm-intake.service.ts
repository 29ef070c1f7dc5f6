import { Injectable } from '@nestjs/common';
import { Principal } from '@pacer/auth';
import { FieldError } from '@pacer/http';
import { AuditActor } from '@pacer/platform';
import { prepareActivity } from '../activities/activity-intake';
import { ActivityRepository, Candidate } from '../activities/activity.repository';
import { CrmItem, Interpretation } from './crm-item';
import { CrmIntegrationRepository, ExceptionProblem, IntegrationRow, mappingsOf } from './crm-integration.repository';
import { ItemOutcome } from './crm.types';
import { DealState, observeDeal } from './deal-state';
import { hubspotDefaultOutcome, interpretHubspot } from './hubspot.mapper';
import { interpretSalesforce, salesforceDefaultOutcome } from './salesforce.mapper';

/** At most this many ignored items are listed in a delivery's answer (the count is exact). */
const MAX_LISTED = 100;

export interface DeliverySummary {
  items: number;
  accepted: number;
  duplicates: number;
  ignored: number;
  ignoredItems: { key: string; reason: string }[];
  exceptions: { id: string; key: string; reason: string; detail: string }[];
}

/** What an item means, whichever CRM sent it. */
export function interpretItem(item: CrmItem): Interpretation {
  if (item.kind === 'deal') {
    const dealId = typeof (item.payload as { dealId?: unknown })?.dealId === 'string' ? (item.payload as { dealId: string }).dealId : '';
    return {
      type: 'deal',
      dealKey: item.key,
      dealId,
      observation: {},
      defaultOutcome: item.vendor === 'hubspot' ? hubspotDefaultOutcome : salesforceDefaultOutcome,
    };
  }
  return item.vendor === 'hubspot' ? interpretHubspot(item) : interpretSalesforce(item);
}

/** The CRM as the recorder of its activities: role `ingest`, `recordedby` the CRM account. */
export function crmPrincipal(tenantId: string, source: string): Principal {
  return { subject: source, tenantId, roles: ['ingest'] };
}

function observedAt(i: Interpretation): number {
  return i.type === 'deal' ? (i.observation.at ?? Number.MAX_SAFE_INTEGER) : Number.MAX_SAFE_INTEGER;
}

interface Work {
  item: CrmItem;
  index: number;
  meaning: Interpretation;
}

/**
 * HubSpot sends one event per property of one save, all with the save's occurredAt: they are one
 * observation of the deal, so the activities of that instant see every field it set.
 */
function mergeSaves(work: Work[]): Work[] {
  const saves = new Map<string, Work>();
  const out: Work[] = [];
  for (const w of work) {
    if (w.meaning.type !== 'deal' || w.meaning.observation.at === undefined) {
      out.push(w);
      continue;
    }
    const key = `${w.meaning.dealKey}@${w.meaning.observation.at}`;
    const save = saves.get(key);
    if (save && save.meaning.type === 'deal') {
      save.meaning = { ...save.meaning, observation: { ...save.meaning.observation, ...w.meaning.observation } };
      continue;
    }
    saves.set(key, w);
    out.push(w);
  }
  return out;
}

interface Tracked {
  exceptionKey: string;
  exceptionItem: CrmItem;
  problem?: ExceptionProblem;
  dealKey?: string;
}

/**
 * Turns the items of one CRM delivery into activities, in one transaction: the deals the items
 * touch are locked, their state folded, the activities written through the one ingestion path
 * (validation, idempotency, outbox, audit), and what could not be recorded becomes (or stays) an
 * exception; an exception whose item now goes through is resolved.
 */
@Injectable()
export class CrmIntakeService {
  constructor(
    private readonly activities: ActivityRepository,
    private readonly crm: CrmIntegrationRepository,
  ) {}

  async deliver(tenantId: string, integration: IntegrationRow, items: readonly CrmItem[], actor?: AuditActor): Promise<DeliverySummary> {
    const mappings = mappingsOf(integration.mappings);
    const defaultCurrency = integration.defaultCurrency ?? undefined;
    // Deal observations fold oldest first, whatever order the CRM batched them in.
    const work = mergeSaves(
      items
        .map((item, index) => ({ item, index, meaning: interpretItem(item) }))
        .sort((a, b) => observedAt(a.meaning) - observedAt(b.meaning) || a.index - b.index),
    );
    const source = items[0]?.source ?? integration.vendor;
    const by: AuditActor = actor ?? { tenantId, sub: source, role: 'ingest' };

    return this.activities.transactWithWrites(by, 'activities.recorded', async (m, write) => {
      const summary: DeliverySummary = { items: items.length, accepted: 0, duplicates: 0, ignored: 0, ignoredItems: [], exceptions: [] };
      const dealKeys = work.flatMap((w) => (w.meaning.type === 'deal' ? [w.meaning.dealKey] : []));
      const states = await this.crm.lockDeals(m, tenantId, dealKeys);
      const touched = new Map<string, DealState>();
      const tracked = new Map<string, Tracked>();
      const candidates: Candidate[] = [];
      const candidateKeys: string[] = [];
      const recordedTime = new Date().toISOString();

      for (const { item, meaning } of work) {
        let outcome: ItemOutcome;
        let track: Tracked;
        if (meaning.type === 'deal') {
          const observed = observeDeal(states.get(meaning.dealKey), meaning.observation, {
            vendor: item.vendor,
            idPrefix: meaning.dealKey,
            dealId: meaning.dealId,
            mappings,
            ...(defaultCurrency ? { defaultCurrency } : {}),
            defaultOutcome: meaning.defaultOutcome,
          });
          states.set(meaning.dealKey, observed.state);
          touched.set(meaning.dealKey, observed.state);
          outcome = observed.outcome;
          track = {
            exceptionKey: meaning.dealKey,
            exceptionItem: { vendor: item.vendor, kind: 'deal', source: item.source, key: meaning.dealKey, payload: { dealId: meaning.dealId } },
            dealKey: meaning.dealKey,
          };
        } else {
          track = { exceptionKey: item.key, exceptionItem: item };
          if (meaning.type === 'ignored') outcome = { activities: [], ignored: meaning.reason };
          else if (meaning.type === 'invalid') outcome = { activities: [], problem: { reason: 'invalid', detail: meaning.detail } };
          else outcome = meaning.build(mappings);
        }
        // The latest item of a key decides whether its exception is open (a deal's later event may settle it).
        const previous = tracked.get(track.exceptionKey);
        tracked.set(track.exceptionKey, track);
        if (previous?.problem && (previous.problem.reason === 'invalid' || previous.problem.reason === 'conflict')) {
          track.problem = previous.problem;
        }
        if (outcome.ignored !== undefined && !outcome.problem) {
          summary.ignored++;
          if (summary.ignoredItems.length < MAX_LISTED) summary.ignoredItems.push({ key: item.key, reason: outcome.ignored });
        }
        if (outcome.problem) track.problem = { itemKey: track.exceptionKey, item: track.exceptionItem, ...outcome.problem };
        const principal = crmPrincipal(tenantId, item.source);
        for (const raw of outcome.activities) {
          const prepared = prepareActivity(raw, principal, recordedTime);
          if (prepared.ok) {
            candidates.push(prepared.candidate);
            candidateKeys.push(track.exceptionKey);
          } else {
            this.refuse(track, prepared.rejection.errors, `${raw.kind} ${raw.activityId} is not valid`);
            if (raw.kind === 'opportunity_created' && track.dealKey) {
              // Not recorded: the next observation or a retry must try to create it again.
              const state = touched.get(track.dealKey);
              if (state) state.createdBy = undefined;
            }
          }
        }
      }

      const outcomes = await write(candidates);
      outcomes.forEach((o, i) => {
        if (o.status === 'accepted') summary.accepted++;
        else if (o.status === 'duplicate') summary.duplicates++;
        else {
          const track = tracked.get(candidateKeys[i] as string) as Tracked;
          const c = candidates[i] as Candidate;
          track.problem = {
            itemKey: track.exceptionKey,
            item: track.exceptionItem,
            reason: 'conflict',
            detail: `${c.activity.activityId} was recorded before with other content (${o.fields.join(', ')}); the CRM record changed after it was recorded`,
            errors: o.fields.map((path) => ({ path, message: 'differs from the activity already recorded' })),
          };
        }
      });

      const problems = [...tracked.values()].flatMap((t) => (t.problem ? [t.problem] : []));
      const ids = await this.crm.recordExceptions(m, tenantId, problems);
      await this.crm.resolveExceptions(
        m,
        tenantId,
        [...tracked.values()].filter((t) => !t.problem).map((t) => t.exceptionKey),
      );
      await this.crm.saveDeals(m, tenantId, touched);
      summary.exceptions = problems.map((p) => ({ id: ids.get(p.itemKey) as string, key: p.itemKey, reason: p.reason, detail: p.detail }));
      return summary;
    });
  }

  private refuse(track: Tracked, errors: FieldError[], detail: string): void {
    const earlier = track.problem?.reason === 'invalid' ? (track.problem.errors ?? []) : [];
    track.problem = { itemKey: track.exceptionKey, item: track.exceptionItem, reason: 'invalid', detail, errors: [...earlier, ...errors].slice(0, 50) };
  }
}

