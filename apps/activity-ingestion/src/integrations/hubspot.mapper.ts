import { crmDate, crmId, crmInstant, crmMoney, crmProbability, instantMs, isRecord } from './crm-values';
import { CrmItem, DeliveryParse, Interpretation, ownedBy } from './crm-item';
import { StageOutcome } from './crm.types';
import { DealObservation } from './deal-state';

// HubSpot payloads, as documented by HubSpot:
// - Webhooks API v3 subscriptions: a JSON array of events {eventId, subscriptionId, portalId, appId,
//   occurredAt (epoch ms), subscriptionType, attemptNumber, objectId, propertyName, propertyValue,
//   changeSource, sourceId}. Pacer reads `deal.creation` and `deal.propertyChange` for dealstage,
//   amount, closedate, hs_deal_stage_probability, hubspot_owner_id, deal_currency_code and createdate.
// - Workflow "Send a webhook" actions on calls, emails and meetings: one JSON object with the
//   engagement's `objectId` and its `properties` (values as text, or as {value} in the legacy
//   format), optionally `objectType` and `portalId`.

/** Deal properties Pacer reads, and where each goes. */
const DEAL_PROPERTIES: Record<string, keyof DealObservation> = {
  dealstage: 'stage',
  amount: 'amount',
  closedate: 'closeDate',
  hs_deal_stage_probability: 'probability',
  hubspot_owner_id: 'owner',
  deal_currency_code: 'currency',
  createdate: 'createdAt',
};

/** HubSpot's default pipeline closes deals in these stages; other pipelines name their stages through the stage mapping. */
export function hubspotDefaultOutcome(stage: string): StageOutcome | undefined {
  if (stage === 'closedwon') return 'won';
  if (stage === 'closedlost') return 'lost';
  return undefined;
}

/** hs_call_disposition ids of HubSpot's default call outcomes. */
const CALL_DISPOSITIONS: Record<string, 'connected' | 'voicemail' | 'no_answer'> = {
  'f240bbac-87c9-4f6e-bf70-924b57d47db7': 'connected',
  'b2cf5968-551e-4856-9783-52b3da59a7d0': 'voicemail', // left voicemail
  'a4c4c377-d246-4b32-a13b-75a56a4cd0ff': 'voicemail', // left live message
  '73a0d17f-1163-4015-bdd5-ec830791da20': 'no_answer',
  '9d9162e7-6cf3-4944-bf63-4dff82258764': 'no_answer', // busy
  '17b47fee-58de-441e-a44c-c6300d46f273': 'no_answer', // wrong number
};
/** hs_call_status values of a call that has not ended yet: nothing to record. */
const CALL_NOT_DONE = new Set(['QUEUED', 'RINGING', 'IN_PROGRESS', 'CALLING_CRM_USER', 'CONNECTING', 'CANCELED']);
const CALL_NOT_REACHED = new Set(['BUSY', 'NO_ANSWER', 'FAILED', 'MISSED']);

const ENGAGEMENT_TYPES: Record<string, 'call' | 'email' | 'meeting'> = {
  call: 'call',
  calls: 'call',
  '0-48': 'call',
  email: 'email',
  emails: 'email',
  '0-49': 'email',
  meeting: 'meeting',
  meetings: 'meeting',
  '0-47': 'meeting',
};

/**
 * The items of one HubSpot delivery: an array is a v3 subscription delivery, an object a workflow
 * engagement. Every event must come from an allowed portal (an app's client secret signs for every
 * portal that installed the app, so the signature alone does not say whose data it is).
 */
export function hubspotItems(body: unknown, allowedPortals: readonly string[]): DeliveryParse {
  if (Array.isArray(body)) {
    const errors: { path: string; message: string }[] = [];
    const items: CrmItem[] = [];
    body.forEach((event, i) => {
      if (!isRecord(event)) {
        errors.push({ path: String(i), message: 'must be a webhook event object' });
        return;
      }
      const portalId = crmId(event['portalId']);
      const eventId = crmId(event['eventId']);
      if (portalId === undefined || !allowedPortals.includes(portalId)) {
        errors.push({ path: `${i}.portalId`, message: `portal ${portalId ?? '(none)'} is not allowed for this tenant` });
        return;
      }
      if (eventId === undefined) {
        errors.push({ path: `${i}.eventId`, message: 'is required' });
        return;
      }
      items.push({
        vendor: 'hubspot',
        kind: 'hubspot-deal-event',
        source: `hubspot:${portalId}`,
        key: `hs:${portalId}:event:${eventId}`,
        payload: event,
      });
    });
    return errors.length > 0 ? { ok: false, errors } : { ok: true, items };
  }
  if (!isRecord(body)) return { ok: false, errors: [{ path: '', message: 'must be a JSON array of events or an engagement object' }] };
  const origin = isRecord(body['origin']) ? body['origin'] : {};
  const portalId = crmId(body['portalId']) ?? crmId(origin['portalId']) ?? (allowedPortals.length === 1 ? allowedPortals[0] : undefined);
  if (portalId === undefined || !allowedPortals.includes(portalId)) {
    return { ok: false, errors: [{ path: 'portalId', message: `portal ${portalId ?? '(none)'} is not allowed for this tenant` }] };
  }
  const objectId = crmId(body['objectId']) ?? crmId(body['hs_object_id']) ?? crmId(propertiesOf(body)['hs_object_id']);
  if (objectId === undefined) return { ok: false, errors: [{ path: 'objectId', message: 'is required' }] };
  const type = engagementType(body);
  if (type === undefined) {
    return { ok: false, errors: [{ path: 'objectType', message: 'must be a call, email or meeting (or carry their hs_ properties)' }] };
  }
  return {
    ok: true,
    items: [{ vendor: 'hubspot', kind: 'hubspot-engagement', source: `hubspot:${portalId}`, key: `hs:${portalId}:${type}:${objectId}`, payload: body }],
  };
}

function propertiesOf(body: Record<string, unknown>): Record<string, unknown> {
  const raw = isRecord(body['properties']) ? body['properties'] : {};
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw)) {
    // Legacy workflow payloads wrap each property as {value, timestamp, source...}.
    out[name] = isRecord(value) && 'value' in value ? value['value'] : value;
  }
  return out;
}

function engagementType(body: Record<string, unknown>): 'call' | 'email' | 'meeting' | undefined {
  const declared = typeof body['objectType'] === 'string' ? ENGAGEMENT_TYPES[body['objectType'].toLowerCase()] : undefined;
  if (declared) return declared;
  const names = Object.keys(propertiesOf(body));
  if (names.some((n) => n.startsWith('hs_call_'))) return 'call';
  if (names.some((n) => n.startsWith('hs_meeting_'))) return 'meeting';
  if (names.some((n) => n.startsWith('hs_email_'))) return 'email';
  return undefined;
}

/** What a HubSpot item means. */
export function interpretHubspot(item: CrmItem): Interpretation {
  const payload = isRecord(item.payload) ? item.payload : {};
  const portal = item.source.slice('hubspot:'.length);
  return item.kind === 'hubspot-deal-event' ? dealEvent(payload, portal) : engagement(payload, item.key);
}

function dealEvent(event: Record<string, unknown>, portal: string): Interpretation {
  const type = typeof event['subscriptionType'] === 'string' ? event['subscriptionType'] : '';
  const objectId = crmId(event['objectId']);
  const at = instantMs(event['occurredAt']);
  if (!type.startsWith('deal.')) return { type: 'ignored', reason: `subscription type ${type || '(none)'} is not read by Pacer` };
  if (objectId === undefined || at === undefined) return { type: 'invalid', detail: 'a deal event needs objectId and occurredAt' };
  const base = { type: 'deal' as const, dealKey: `hs:${portal}:deal:${objectId}`, dealId: objectId, defaultOutcome: hubspotDefaultOutcome };
  if (type === 'deal.creation') return { ...base, observation: { at, createdAt: at } };
  if (type !== 'deal.propertyChange') return { type: 'ignored', reason: `${type} is not read by Pacer (void activities in Pacer to retract them)` };
  const name = typeof event['propertyName'] === 'string' ? event['propertyName'] : '';
  const field = DEAL_PROPERTIES[name];
  if (!field) return { type: 'ignored', reason: `deal property ${name || '(none)'} is not read by Pacer` };
  const raw = event['propertyValue'];
  const value = dealValue(field, raw);
  // An emptied property (HubSpot sends "") clears nothing in Pacer: the last recorded value stands.
  if (value === undefined) {
    if (raw === '' || raw === null || raw === undefined) return { type: 'ignored', reason: `deal property ${name} was emptied` };
    return { type: 'invalid', detail: `deal property ${name} has a value Pacer cannot read: ${JSON.stringify(raw).slice(0, 100)}` };
  }
  const observation: DealObservation = { at };
  if (field === 'createdAt') observation.createdAt = value as number;
  else (observation as Record<string, unknown>)[field] = value;
  return { ...base, observation };
}

function dealValue(field: keyof DealObservation, raw: unknown): string | number | undefined {
  switch (field) {
    case 'amount':
      return crmMoney(raw);
    case 'closeDate':
      return crmDate(raw);
    case 'probability':
      return crmProbability(raw);
    case 'createdAt':
      return instantMs(raw);
    case 'currency':
      return typeof raw === 'string' && raw.trim() !== '' ? raw.trim().toUpperCase() : undefined;
    default:
      return crmId(raw);
  }
}

function engagement(body: Record<string, unknown>, key: string): Interpretation {
  const p = propertiesOf(body);
  const type = engagementType(body);
  const objectId = key.slice(key.lastIndexOf(':') + 1);
  const owner = crmId(p['hubspot_owner_id']);
  const at = crmInstant(p['hs_timestamp']) ?? crmInstant(p['hs_createdate']);
  const text = (name: string): string => (typeof p[name] === 'string' ? (p[name] as string).trim().toUpperCase() : '');
  if (type === 'call') {
    const status = text('hs_call_status');
    if (CALL_NOT_DONE.has(status)) return { type: 'ignored', reason: `call status ${status}: the call has not ended` };
    const ms = Number(p['hs_call_duration'] ?? 0);
    const durationSec = Number.isFinite(ms) && ms > 0 ? Math.round(ms / 1000) : 0;
    const disposition = typeof p['hs_call_disposition'] === 'string' ? CALL_DISPOSITIONS[p['hs_call_disposition']] : undefined;
    const outcome = CALL_NOT_REACHED.has(status) ? 'no_answer' : (disposition ?? (durationSec > 0 ? 'connected' : 'no_answer'));
    return ownedBy(owner, 'call', (repId) => [{ activityId: key, kind: 'call_logged', repId, occurredAt: at, outcome, durationSec }]);
  }
  if (type === 'email') {
    const direction = text('hs_email_direction');
    if (direction === 'INCOMING_EMAIL') return { type: 'ignored', reason: 'an incoming email is not a rep activity' };
    const status = text('hs_email_status');
    if (status !== '' && status !== 'SENT') return { type: 'ignored', reason: `email status ${status}: not sent` };
    return ownedBy(owner, 'email', (repId) => [{ activityId: key, kind: 'email_sent', repId, occurredAt: at }]);
  }
  const start = crmInstant(p['hs_meeting_start_time']) ?? at;
  const booked = crmInstant(p['hs_createdate']) ?? at;
  const held = text('hs_meeting_outcome') === 'COMPLETED';
  return ownedBy(owner, 'meeting', (repId) => [
    { activityId: `${key}:scheduled`, kind: 'meeting_scheduled', repId, occurredAt: booked, meetingId: objectId, scheduledFor: start },
    ...(held
      ? [{ activityId: `${key}:held`, kind: 'meeting_held', repId, occurredAt: crmInstant(p['hs_meeting_end_time']) ?? start, meetingId: objectId }]
      : []),
  ]);
}
