import { parseCloudEvent, TOPICS } from '@pacer/contracts';
import { pollUntil, RunningService, startTestService, testKafka, TopicRecorder } from '@pacer/testing';
import { acceptedEventId } from '../src/activities/activity-event.factory';
import { ActivityIngestionService } from '../src/app.module';
import { ActivityClient } from './activity-client';
import { fixture, postHubspot, postSalesforce } from './crm-client';

const HUBSPOT_SECRET = 'hs-client-secret-5f0c2e9a-77aa-4f8e';
const SALESFORCE_SECRET = 'sf-callout-secret-1b2c3d4e5f60718293';
const ORG = '00D5e000000AbCdEAK';
const T_WON = 1796220000000;

describe('CRM webhooks: HubSpot and Salesforce into pacer.activities.v1', () => {
  let svc: RunningService;
  let recorder: TopicRecorder;
  let admin: ActivityClient;
  const tenant = 'crm-tenant';

  beforeAll(async () => {
    svc = await startTestService(ActivityIngestionService);
    recorder = await new TopicRecorder(testKafka(), [svc.topic(TOPICS.activities)]).start();
    admin = await ActivityClient.as(svc.baseUrl, tenant, ['admin']);
    const put = (path: string, body: unknown) => admin.send('PUT', path, JSON.stringify(body), 'application/json');
    expect((await put('/v1/integrations/hubspot', { secret: HUBSPOT_SECRET, accountIds: ['62515'], defaultCurrency: 'USD' })).status).toBe(200);
    expect(
      (await put('/v1/integrations/hubspot/mappings', { users: [{ crmUserId: '31337', repId: 'rep-ada' }], stages: [{ crmStage: 'appointmentscheduled', pacerStage: 'Meeting booked' }] }))
        .status,
    ).toBe(200);
    expect((await put('/v1/integrations/salesforce', { secret: SALESFORCE_SECRET, accountIds: [ORG], defaultCurrency: 'EUR' })).status).toBe(200);
    expect((await put('/v1/integrations/salesforce/mappings', { users: [{ crmUserId: '0055e000001AdaAAA', repId: 'rep-ada' }], stages: [] })).status).toBe(200);
  });
  afterAll(async () => {
    await recorder?.stop();
    await svc?.close();
  });

  const published = (activityId: string) =>
    recorder.records.filter((r) => r.value && (JSON.parse(r.value.toString()) as { id: string }).id === acceptedEventId(tenant, activityId));

  async function onTopic(activityId: string) {
    const [record] = await pollUntil(() => published(activityId), (r) => r.length > 0, { timeoutMs: 30_000, what: `${activityId} on the topic` });
    const parsed = parseCloudEvent(record?.value ?? Buffer.alloc(0));
    if (!parsed.ok) throw new Error(`not a valid CloudEvent: ${JSON.stringify(parsed)}`);
    expect(record?.key).toBe(`${tenant}:${parsed.event.subject}`);
    return parsed.event;
  }

  it('shows whether a secret is set, never the secret, and stores it encrypted', async () => {
    const res = await admin.get('/v1/integrations/hubspot');
    expect(res.body).toEqual({
      vendor: 'hubspot',
      secretSet: true,
      secretUpdatedAt: expect.any(String),
      accountIds: ['62515'],
      defaultCurrency: 'USD',
      webhookPath: `/v1/integrations/hubspot/${tenant}`,
      updatedAt: expect.any(String),
    });
    expect(JSON.stringify(res.body)).not.toContain(HUBSPOT_SECRET);
    const all = await admin.get('/v1/integrations');
    expect(all.body.items.map((i: { vendor: string; secretSet: boolean }) => [i.vendor, i.secretSet])).toEqual([
      ['hubspot', true],
      ['salesforce', true],
    ]);
    expect(JSON.stringify(all.body)).not.toContain(SALESFORCE_SECRET);
    const [row] = (await svc.dataSource.query(`SELECT secret_sealed FROM crm_integrations WHERE tenant_id = $1 AND vendor = 'hubspot'`, [tenant])) as {
      secret_sealed: string;
    }[];
    expect(row?.secret_sealed).toMatch(/^v1:/);
    expect(row?.secret_sealed).not.toContain(HUBSPOT_SECRET);
    expect((await (await ActivityClient.as(svc.baseUrl, tenant, ['manager'])).get('/v1/integrations/hubspot')).status).toBe(403);
    expect((await admin.get('/v1/integrations/pipedrive')).status).toBe(404);
  });

  it('turns a signed HubSpot deal (created, then won) into opportunity_created, a stage change and deal_won with the remembered owner, amount and currency', async () => {
    const created = await postHubspot(svc.baseUrl, tenant, fixture('hubspot/deal-created.json'), { secret: HUBSPOT_SECRET });
    expect(created).toMatchObject({ status: 200, body: { items: 7, accepted: 2, duplicates: 0, exceptions: [] } });
    const won = await postHubspot(svc.baseUrl, tenant, fixture('hubspot/deal-won.json'), { secret: HUBSPOT_SECRET });
    expect(won).toMatchObject({ status: 200, body: { items: 1, accepted: 1, duplicates: 0, exceptions: [] } });

    const opportunity = await onTopic('hs:62515:deal:1246965:created');
    expect(opportunity).toMatchObject({
      type: 'pacer.activity.opportunity_created.v1',
      data: { repId: 'rep-ada', opportunityId: '1246965', amount: '48000.00', currency: 'EUR', expectedCloseDate: '2026-12-31', probability: '0.2' },
    });
    const stage = await onTopic('hs:62515:deal:1246965:changed:1795683600000');
    expect(stage.data).toMatchObject({ toStage: 'Meeting booked' });
    const deal = await onTopic(`hs:62515:deal:1246965:won:${T_WON}`);
    expect(deal).toMatchObject({
      type: 'pacer.activity.deal_won.v1',
      time: '2026-12-02T14:00:00.000Z',
      tenantid: tenant,
      recordedby: 'hubspot:62515',
      recordedrole: 'ingest',
      data: { kind: 'deal_won', repId: 'rep-ada', dealId: '1246965', amount: '48000.00', currency: 'EUR', openedAt: '2026-11-26T09:00:00.000Z' },
    });
  });

  it('answers a redelivery as duplicate and publishes nothing again', async () => {
    const again = await postHubspot(svc.baseUrl, tenant, fixture('hubspot/deal-won.json'), { secret: HUBSPOT_SECRET });
    expect(again).toMatchObject({ status: 200, body: { accepted: 0, duplicates: 1 } });
    const call = fixture('hubspot/call-engagement.json');
    expect((await postHubspot(svc.baseUrl, tenant, call, { secret: HUBSPOT_SECRET })).body).toMatchObject({ accepted: 1, duplicates: 0 });
    expect((await postHubspot(svc.baseUrl, tenant, call, { secret: HUBSPOT_SECRET })).body).toMatchObject({ accepted: 0, duplicates: 1 });
    const logged = await onTopic('hs:62515:call:8001234');
    expect(logged.data).toMatchObject({ kind: 'call_logged', outcome: 'connected', durationSec: 754, occurredAt: '2026-11-24T14:05:00.000Z' });
    // A marker after the redeliveries on the same rep key: once it is in, anything published twice would be too.
    expect((await postHubspot(svc.baseUrl, tenant, fixture('hubspot/meeting-engagement.json'), { secret: HUBSPOT_SECRET })).body).toMatchObject({ accepted: 2 });
    await onTopic('hs:62515:meeting:9002001:held');
    expect(published(`hs:62515:deal:1246965:won:${T_WON}`)).toHaveLength(1);
    expect(published('hs:62515:call:8001234')).toHaveLength(1);
  });

  it('refuses a wrong, missing or stale signature with 401 problem+json and records nothing', async () => {
    const body = fixture('hubspot/call-engagement.json').replace('8001234', '8001299');
    const wrong = await postHubspot(svc.baseUrl, tenant, body, { secret: 'not-the-client-secret-of-this-app' });
    expect(wrong.status).toBe(401);
    expect(wrong.contentType).toContain('application/problem+json');
    expect((await postHubspot(svc.baseUrl, tenant, body, { secret: HUBSPOT_SECRET, signature: null })).status).toBe(401);
    const stale = await postHubspot(svc.baseUrl, tenant, body, { secret: HUBSPOT_SECRET, timestamp: Date.now() - 6 * 60_000 });
    expect(stale).toMatchObject({ status: 401, body: { detail: expect.stringMatching(/five minutes/) } });
    // Signed for this tenant, replayed to another tenant's URL: the URL is signed too.
    const other = await postHubspot(svc.baseUrl, 'other-tenant', body, { secret: HUBSPOT_SECRET });
    expect(other.status).toBe(401);
    expect((await admin.get('/v1/activities/hs%3A62515%3Acall%3A8001299')).status).toBe(404);
    // A path parameter that is not an id is refused before anything reads the database with it.
    expect((await postHubspot(svc.baseUrl, 'x'.repeat(200), body, { secret: HUBSPOT_SECRET })).status).toBe(400);
  });

  it('refuses an event of a portal the tenant did not allow (an app secret signs for every portal that installed it)', async () => {
    const foreign = fixture('hubspot/deal-won.json').replace('"portalId": 62515', '"portalId": 99001');
    const res = await postHubspot(svc.baseUrl, tenant, foreign, { secret: HUBSPOT_SECRET });
    expect(res).toMatchObject({ status: 403, body: { type: 'urn:pacer:problem:account-not-allowed' } });
  });

  it('lists an unmapped CRM user as an exception, never drops it, and records everything once the user is mapped and the exception retried', async () => {
    const res = await postHubspot(svc.baseUrl, tenant, fixture('hubspot/deal-unmapped-owner.json'), { secret: HUBSPOT_SECRET });
    expect(res).toMatchObject({ status: 200, body: { accepted: 0, exceptions: [{ key: 'hs:62515:deal:1250001', reason: 'unmapped-user' }] } });
    const listed = await admin.get('/v1/integrations/exceptions?status=open&vendor=hubspot');
    const exception = (listed.body.items as { key: string }[]).find((e) => e.key === 'hs:62515:deal:1250001');
    expect(exception).toMatchObject({ reason: 'unmapped-user', crmUserId: '40404', status: 'open', occurrences: 1 });

    const id = (exception as unknown as { id: string }).id;
    const stillUnmapped = await admin.post(`/v1/integrations/exceptions/${id}/retry`, {});
    expect(stillUnmapped).toMatchObject({ status: 200, body: { exception: { status: 'open', occurrences: 2 } } });

    const mappings = { users: [{ crmUserId: '31337', repId: 'rep-ada' }, { crmUserId: '40404', repId: 'rep-bo' }], stages: [] };
    expect((await admin.send('PUT', '/v1/integrations/hubspot/mappings', JSON.stringify(mappings), 'application/json')).status).toBe(200);
    const retried = await admin.post(`/v1/integrations/exceptions/${id}/retry`, {});
    expect(retried).toMatchObject({ status: 200, body: { exception: { status: 'resolved', resolvedAt: expect.any(String) }, delivery: { accepted: 2 } } });
    const won = await onTopic('hs:62515:deal:1250001:won:1795860000000');
    expect(won.data).toMatchObject({ repId: 'rep-bo', amount: '12500.50', currency: 'USD' });

    const otherAdmin = await ActivityClient.as(svc.baseUrl, 'someone-else', ['admin']);
    expect((await otherAdmin.post(`/v1/integrations/exceptions/${id}/retry`, {})).status).toBe(404);
    expect((await otherAdmin.get('/v1/integrations/exceptions')).body.items).toEqual([]);
  });

  it('lists a record edited after it was recorded (conflict) and one Pacer cannot accept (invalid) as exceptions', async () => {
    const meeting = fixture('hubspot/meeting-engagement.json');
    await postHubspot(svc.baseUrl, tenant, meeting, { secret: HUBSPOT_SECRET });
    const moved = meeting.replace(/"hs_meeting_start_time": \{ "value": "[^"]+" \}/, '"hs_meeting_start_time": { "value": "2026-11-26T13:00:00.000Z" }');
    const conflict = await postHubspot(svc.baseUrl, tenant, moved, { secret: HUBSPOT_SECRET });
    expect(conflict).toMatchObject({ status: 200, body: { exceptions: [{ key: 'hs:62515:meeting:9002001', reason: 'conflict' }] } });
    const undated = JSON.parse(fixture('hubspot/call-engagement.json')) as { objectId: number; properties: Record<string, string> };
    undated.objectId = 8001777;
    delete undated.properties['hs_timestamp'];
    delete undated.properties['hs_createdate'];
    const invalid = await postHubspot(svc.baseUrl, tenant, JSON.stringify(undated), { secret: HUBSPOT_SECRET });
    expect(invalid).toMatchObject({ status: 200, body: { accepted: 0, exceptions: [{ key: 'hs:62515:call:8001777', reason: 'invalid' }] } });
    const listed = await admin.get('/v1/integrations/exceptions?status=open');
    expect((listed.body.items as { key: string; errors: { path: string }[] }[]).find((e) => e.key === 'hs:62515:call:8001777')?.errors).toEqual([
      expect.objectContaining({ path: 'occurredAt' }),
    ]);
  });

  it('ignores what is not a rep activity (an incoming email) and says so', async () => {
    const res = await postHubspot(svc.baseUrl, tenant, fixture('hubspot/email-incoming.json'), { secret: HUBSPOT_SECRET });
    expect(res).toMatchObject({ status: 200, body: { accepted: 0, ignored: 1, ignoredItems: [{ reason: expect.stringMatching(/incoming/) }] } });
  });

  it('takes Salesforce callouts with the tenant secret (constant-time compared) and refuses others', async () => {
    const tasks = fixture('salesforce/task-call.json');
    expect((await postSalesforce(svc.baseUrl, tenant, tasks, { secret: 'wrong-secret-wrong-secret' })).status).toBe(401);
    expect((await postSalesforce(svc.baseUrl, tenant, tasks)).status).toBe(401);
    const res = await postSalesforce(svc.baseUrl, tenant, tasks, { secret: SALESFORCE_SECRET });
    expect(res).toMatchObject({
      status: 200,
      body: { items: 2, accepted: 1, exceptions: [{ key: `sf:${ORG}:task:00T5e00000Q1MailAAA`, reason: 'unmapped-user' }] },
    });
    const call = await onTopic(`sf:${ORG}:task:00T5e00000Q1CallAAA`);
    expect(call).toMatchObject({ recordedby: `salesforce:${ORG}`, recordedrole: 'ingest' });
    expect(call.data).toMatchObject({ kind: 'call_logged', outcome: 'connected', durationSec: 312, occurredAt: '2026-11-24T15:20:00.000+00:00' });

    const opp = await postSalesforce(svc.baseUrl, tenant, fixture('salesforce/opportunity-won.json'), { secret: SALESFORCE_SECRET });
    expect(opp).toMatchObject({ status: 200, body: { accepted: 2, exceptions: [] } });
    const won = await onTopic(`sf:${ORG}:opportunity:0065e00000OppWonAAA:won:${Date.parse('2026-11-26T11:30:00Z')}`);
    expect(won.data).toMatchObject({ amount: '48000.50', currency: 'EUR', repId: 'rep-ada', openedAt: '2026-11-02T10:00:00.000Z' });
  });

  it('acknowledges a Salesforce Outbound Message from the allowed organization with the SOAP Ack, and refuses another organization', async () => {
    const xml = fixture('salesforce/outbound-opportunity.xml');
    const res = await postSalesforce(svc.baseUrl, tenant, xml, { xml: true });
    expect(res.status).toBe(200);
    expect(res.contentType).toContain('text/xml');
    expect(res.text).toMatch(/<notificationsResponse xmlns="http:\/\/soap.sforce.com\/2005\/09\/outbound"><Ack>true<\/Ack><\/notificationsResponse>/);
    const created = await onTopic(`sf:${ORG}:opportunity:0065e00000OppOmxAAA:created`);
    expect(created.data).toMatchObject({ amount: '23000.00', currency: 'EUR', expectedCloseDate: '2026-12-18', probability: '0.6' });
    // Redelivered (Salesforce re-sends until acknowledged): acknowledged again, nothing new.
    expect((await postSalesforce(svc.baseUrl, tenant, xml, { xml: true })).status).toBe(200);

    const foreign = await postSalesforce(svc.baseUrl, tenant, xml.replace(`<OrganizationId>${ORG}`, '<OrganizationId>00D000000000062EAA'), { xml: true });
    expect(foreign.status).toBe(403);
    expect(foreign.contentType).toContain('application/problem+json');
    const doctype = await postSalesforce(svc.baseUrl, tenant, `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "a">]>${xml.replace(/^<\?xml[^>]*>/, '')}`, { xml: true });
    expect(doctype.status).toBe(400);
  });
});
