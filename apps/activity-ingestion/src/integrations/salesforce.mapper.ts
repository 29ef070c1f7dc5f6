import { XMLParser } from 'fast-xml-parser';
import { crmBoolean, crmDate, crmId, crmInstant, crmMoney, crmProbability, instantMs, isRecord } from './crm-values';
import { CrmItem, DeliveryParse, Interpretation, ownedBy } from './crm-item';
import { StageOutcome } from './crm.types';

// Salesforce payloads:
// - Flow/Apex HTTP callouts (JSON): {"organizationId": "00D…", "records": [sObject, …]}, each record as
//   Apex's JSON.serialize writes an SObject ({"attributes": {"type": "Task", "url": …}, "Id": …, fields}).
// - Outbound Messages (SOAP): <notifications> with OrganizationId and 1–100 <Notification>, each an
//   <sObject xsi:type="sf:Opportunity"> whose fields are elements; answered with <Ack>true</Ack>.
// Both carry Task (TaskSubtype Call/Email), Event (a meeting) and Opportunity records.

/** Records per callout, as in one Apex trigger batch. */
export const MAX_SALESFORCE_RECORDS = 200;
const SOBJECT_TYPES = new Set(['Task', 'Event', 'Opportunity']);

/** The items of a JSON callout whose organization is allowed. */
export function salesforceJsonItems(body: unknown, allowedOrgs: readonly string[]): DeliveryParse {
  if (!isRecord(body)) return { ok: false, errors: [{ path: '', message: 'must be {"organizationId", "records": [...]}' }] };
  const org = crmId(body['organizationId']);
  if (org === undefined || !allowedOrgs.includes(org)) {
    return { ok: false, errors: [{ path: 'organizationId', message: `organization ${org ?? '(none)'} is not allowed for this tenant` }] };
  }
  const records = body['records'];
  if (!Array.isArray(records) || records.length === 0 || records.length > MAX_SALESFORCE_RECORDS) {
    return { ok: false, errors: [{ path: 'records', message: `must be an array of 1 to ${MAX_SALESFORCE_RECORDS} records` }] };
  }
  return itemsOf(org, records, (r) => (isRecord(r['attributes']) ? r['attributes']['type'] : undefined));
}

function itemsOf(org: string, records: unknown[], typeOf: (r: Record<string, unknown>) => unknown): DeliveryParse {
  const errors: { path: string; message: string }[] = [];
  const items: CrmItem[] = [];
  records.forEach((record, i) => {
    const type = isRecord(record) ? typeOf(record) : undefined;
    const id = isRecord(record) ? crmId(record['Id']) : undefined;
    if (!isRecord(record) || typeof type !== 'string' || id === undefined) {
      errors.push({ path: `records.${i}`, message: 'must be an sObject with its type and Id' });
      return;
    }
    items.push({
      vendor: 'salesforce',
      kind: 'salesforce-record',
      source: `salesforce:${org}`,
      key: `sf:${org}:${type.toLowerCase()}:${id}`,
      payload: { ...record, attributes: { type } },
    });
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, items };
}

export type OutboundMessage = { ok: true; organizationId: string; records: Record<string, unknown>[] } | { ok: false; message: string };

const xml = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  maxNestedTags: 32,
  isArray: (name) => name === 'Notification',
});

/** Reads a SOAP Outbound Message; a DOCTYPE (entity tricks) is refused before parsing. */
export function parseOutboundMessage(text: string): OutboundMessage {
  if (/<!DOCTYPE/i.test(text)) return { ok: false, message: 'a DOCTYPE is not accepted' };
  let doc: unknown;
  try {
    doc = xml.parse(text, true);
  } catch (e) {
    return { ok: false, message: `not well-formed XML: ${e instanceof Error ? e.message : String(e)}` };
  }
  const body = isRecord(doc) && isRecord(doc['Envelope']) ? doc['Envelope']['Body'] : undefined;
  const notifications = isRecord(body) ? body['notifications'] : undefined;
  if (!isRecord(notifications)) return { ok: false, message: 'not a SOAP envelope with <notifications>' };
  const org = crmId(notifications['OrganizationId']);
  if (org === undefined) return { ok: false, message: 'OrganizationId is missing' };
  const list = Array.isArray(notifications['Notification']) ? notifications['Notification'] : [];
  const records = list.map((n) => (isRecord(n) && isRecord(n['sObject']) ? n['sObject'] : {}));
  return { ok: true, organizationId: org, records };
}

/** The items of an Outbound Message from an allowed organization (records typed by xsi:type). */
export function salesforceOutboundItems(message: Extract<OutboundMessage, { ok: true }>): DeliveryParse {
  if (message.records.length === 0) return { ok: false, errors: [{ path: 'Notification', message: 'no notification' }] };
  return itemsOf(message.organizationId, message.records, (r) => {
    const type = r['@type'];
    return typeof type === 'string' ? type.replace(/^.*:/, '') : undefined;
  });
}

/** The SOAP acknowledgement Salesforce waits for; without it the message is re-sent. */
export function outboundAck(ack: boolean): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">' +
    '<soapenv:Body><notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound">' +
    `<Ack>${ack}</Ack></notificationsResponse></soapenv:Body></soapenv:Envelope>`
  );
}

/** Salesforce's default closed stage names, for records that carry no IsWon/IsClosed. */
export function salesforceDefaultOutcome(stage: string): StageOutcome | undefined {
  if (stage === 'Closed Won') return 'won';
  if (stage === 'Closed Lost') return 'lost';
  return undefined;
}

/** What a Salesforce record means. */
export function interpretSalesforce(item: CrmItem): Interpretation {
  const r = isRecord(item.payload) ? item.payload : {};
  const type = isRecord(r['attributes']) ? r['attributes']['type'] : undefined;
  if (typeof type !== 'string' || !SOBJECT_TYPES.has(type)) return { type: 'ignored', reason: `${String(type)} records are not read by Pacer` };
  const id = crmId(r['Id']) ?? '';
  const owner = crmId(r['OwnerId']);
  if (type === 'Opportunity') return opportunity(r, item.key, id);
  if (type === 'Event') {
    const booked = crmInstant(r['CreatedDate']);
    const start = crmInstant(r['StartDateTime']) ?? crmInstant(r['ActivityDateTime']);
    return ownedBy(owner, 'event', (repId) => [
      { activityId: `${item.key}:scheduled`, kind: 'meeting_scheduled', repId, occurredAt: booked, meetingId: id, scheduledFor: start },
    ]);
  }
  const subtype = typeof r['TaskSubtype'] === 'string' ? r['TaskSubtype'] : '';
  const closed = crmBoolean(r['IsClosed']);
  const status = typeof r['Status'] === 'string' ? r['Status'] : undefined;
  if (closed === false || (closed === undefined && status !== undefined && status !== 'Completed')) {
    return { type: 'ignored', reason: `task not completed (${status ?? 'open'})` };
  }
  const occurredAt = crmInstant(r['CompletedDateTime']) ?? crmInstant(r['CreatedDate']);
  if (subtype === 'Call' || (subtype === '' && r['CallType'] !== undefined)) {
    const seconds = Number(r['CallDurationInSeconds'] ?? 0);
    const durationSec = Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds) : 0;
    const disposition = typeof r['CallDisposition'] === 'string' ? r['CallDisposition'] : '';
    // CallDisposition is free text in Salesforce; these words are the common picklist values.
    const outcome = /voice ?mail|left (a )?message/i.test(disposition)
      ? 'voicemail'
      : /no answer|not reached|busy|unreachable/i.test(disposition) || durationSec === 0
        ? 'no_answer'
        : 'connected';
    return ownedBy(owner, 'call', (repId) => [{ activityId: item.key, kind: 'call_logged', repId, occurredAt, outcome, durationSec }]);
  }
  if (subtype === 'Email') return ownedBy(owner, 'email', (repId) => [{ activityId: item.key, kind: 'email_sent', repId, occurredAt }]);
  return { type: 'ignored', reason: `task subtype ${subtype || '(none)'} is not a call or an email` };
}

function opportunity(r: Record<string, unknown>, key: string, id: string): Interpretation {
  const at = instantMs(r['LastModifiedDate']) ?? instantMs(r['SystemModstamp']);
  if (at === undefined) return { type: 'invalid', detail: 'an Opportunity needs LastModifiedDate or SystemModstamp' };
  const won = crmBoolean(r['IsWon']);
  const closed = crmBoolean(r['IsClosed']);
  const amount = crmMoney(r['Amount']);
  const probability = crmProbability(r['Probability'], true);
  const closeDate = crmDate(r['CloseDate']);
  const stage = typeof r['StageName'] === 'string' && r['StageName'] !== '' ? r['StageName'] : undefined;
  const created = instantMs(r['CreatedDate']);
  const owner = crmId(r['OwnerId']);
  const currency = typeof r['CurrencyIsoCode'] === 'string' ? r['CurrencyIsoCode'] : undefined;
  return {
    type: 'deal',
    dealKey: key,
    dealId: id,
    defaultOutcome: salesforceDefaultOutcome,
    observation: {
      at,
      ...(owner !== undefined ? { owner } : {}),
      ...(amount !== undefined ? { amount } : {}),
      ...(currency !== undefined ? { currency } : {}),
      ...(stage !== undefined ? { stage } : {}),
      ...(closed !== undefined ? { outcome: won ? 'won' : closed ? 'lost' : 'open' } : {}),
      ...(closeDate !== undefined ? { closeDate } : {}),
      ...(probability !== undefined ? { probability } : {}),
      ...(created !== undefined ? { createdAt: created } : {}),
    },
  };
}
