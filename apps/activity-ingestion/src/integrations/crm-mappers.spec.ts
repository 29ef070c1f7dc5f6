import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CrmItem, Interpretation } from './crm-item';
import { CrmMappings } from './crm.types';
import { hubspotItems, interpretHubspot } from './hubspot.mapper';
import { interpretSalesforce, outboundAck, parseOutboundMessage, salesforceJsonItems, salesforceOutboundItems } from './salesforce.mapper';

const fixture = (path: string): string => readFileSync(join(__dirname, '../../test/fixtures/crm', path), 'utf8');
const mappings: CrmMappings = { users: new Map([['31337', 'rep-ada'], ['0055e000001AdaAAA', 'rep-ada']]), stages: new Map() };
const ORG = '00D5e000000AbCdEAK';

function itemsOf(parsed: ReturnType<typeof hubspotItems>): CrmItem[] {
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.items;
}

function built(meaning: Interpretation) {
  if (meaning.type !== 'activities') throw new Error(`expected activities, got ${meaning.type}`);
  return meaning.build(mappings);
}

describe('HubSpot payloads', () => {
  it('splits a v3 delivery into one item per event, keyed by portal and eventId', () => {
    const items = itemsOf(hubspotItems(JSON.parse(fixture('hubspot/deal-created.json')), ['62515']));
    expect(items.map((i) => i.key)).toEqual([3816279340, 3816279341, 3816279342, 3816279343, 3816279344, 3816279345, 3816279346].map((e) => `hs:62515:event:${e}`));
    expect(items.every((i) => i.source === 'hubspot:62515')).toBe(true);
  });

  it('reads deal property changes as observations of the deal (epoch ms close date → its UTC date)', () => {
    const items = itemsOf(hubspotItems(JSON.parse(fixture('hubspot/deal-created.json')), ['62515']));
    const observations = items.map(interpretHubspot).map((m) => (m.type === 'deal' ? m.observation : m.type));
    expect(observations).toEqual([
      { at: 1795683600000, createdAt: 1795683600000 },
      { at: 1795683600000, owner: '31337' },
      { at: 1795683600000, amount: '48000.00' },
      { at: 1795683600000, currency: 'EUR' },
      { at: 1795683600000, stage: 'appointmentscheduled' },
      { at: 1795683600000, closeDate: '2026-12-31' },
      { at: 1795683600000, probability: '0.2' },
    ]);
  });

  it('refuses a delivery with an event of a portal the tenant did not allow', () => {
    expect(hubspotItems(JSON.parse(fixture('hubspot/deal-won.json')), ['777'])).toMatchObject({ ok: false, errors: [{ path: '0.portalId' }] });
  });

  it('maps a workflow call (duration in ms, disposition id) to call_logged', () => {
    const [item] = itemsOf(hubspotItems(JSON.parse(fixture('hubspot/call-engagement.json')), ['62515']));
    expect(built(interpretHubspot(item as CrmItem))).toEqual({
      activities: [{ activityId: 'hs:62515:call:8001234', kind: 'call_logged', repId: 'rep-ada', occurredAt: '2026-11-24T14:05:00.000Z', outcome: 'connected', durationSec: 754 }],
    });
  });

  it('maps a completed meeting (legacy {value} properties) to meeting_scheduled when booked and meeting_held when it ended', () => {
    const [item] = itemsOf(hubspotItems(JSON.parse(fixture('hubspot/meeting-engagement.json')), ['62515']));
    expect(built(interpretHubspot(item as CrmItem)).activities.map((a) => [a.kind, a['occurredAt']])).toEqual([
      ['meeting_scheduled', '2026-11-23T09:15:00.000Z'],
      ['meeting_held', '2026-11-25T13:45:00.000Z'],
    ]);
  });

  it('ignores an incoming email, and names an unmapped owner as the exception', () => {
    const [email] = itemsOf(hubspotItems(JSON.parse(fixture('hubspot/email-incoming.json')), ['62515']));
    expect(interpretHubspot(email as CrmItem)).toMatchObject({ type: 'ignored' });
    const call = JSON.parse(fixture('hubspot/call-engagement.json')) as { properties: Record<string, string> };
    call.properties['hubspot_owner_id'] = '40404';
    const [item] = itemsOf(hubspotItems(call, ['62515']));
    expect(built(interpretHubspot(item as CrmItem)).problem).toEqual({ reason: 'unmapped-user', crmUserId: '40404', detail: expect.any(String) });
  });
});

describe('Salesforce payloads', () => {
  it('maps a callout Task (Call) with Salesforce\'s +0000 offsets to call_logged', () => {
    const parsed = salesforceJsonItems(JSON.parse(fixture('salesforce/task-call.json')), [ORG]);
    if (!parsed.ok) throw new Error('not parsed');
    expect(built(interpretSalesforce(parsed.items[0] as CrmItem)).activities).toEqual([
      { activityId: `sf:${ORG}:task:00T5e00000Q1CallAAA`, kind: 'call_logged', repId: 'rep-ada', occurredAt: '2026-11-24T15:20:00.000+00:00', outcome: 'connected', durationSec: 312 },
    ]);
  });

  it('reads an Opportunity as a whole-record observation (IsWon, percent probability)', () => {
    const parsed = salesforceJsonItems(JSON.parse(fixture('salesforce/opportunity-won.json')), [ORG]);
    if (!parsed.ok) throw new Error('not parsed');
    expect(interpretSalesforce(parsed.items[0] as CrmItem)).toMatchObject({
      type: 'deal',
      dealKey: `sf:${ORG}:opportunity:0065e00000OppWonAAA`,
      observation: { owner: '0055e000001AdaAAA', amount: '48000.50', stage: 'Closed Won', outcome: 'won', probability: '1', closeDate: '2026-11-26' },
    });
  });

  it('reads an Outbound Message (namespaces, xsi:type, entities) and refuses a DOCTYPE', () => {
    const message = parseOutboundMessage(fixture('salesforce/outbound-opportunity.xml'));
    if (!message.ok) throw new Error(message.message);
    expect(message.organizationId).toBe(ORG);
    const parsed = salesforceOutboundItems(message);
    if (!parsed.ok) throw new Error('not parsed');
    expect(parsed.items[0]?.payload).toMatchObject({ attributes: { type: 'Opportunity' }, Name: 'Nordlys & Co - Expansion', Probability: '60.0' });
    expect(parseOutboundMessage('<!DOCTYPE x [<!ENTITY a "b">]><x/>')).toMatchObject({ ok: false });
    expect(parseOutboundMessage('<notifications>')).toMatchObject({ ok: false });
  });

  it('acknowledges with the notificationsResponse envelope', () => {
    expect(outboundAck(true)).toContain('<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse>');
  });
});
