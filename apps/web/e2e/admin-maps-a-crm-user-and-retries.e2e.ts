import { createHmac } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { DateTime } from 'luxon';
import { expectAccessible, screenshot } from './support/checks';
import { signIn } from './support/sign-in';
import { e2eStack } from './support/stack-info';

const PORTAL = '62515';

// HubSpot's v3 recipe written out here, so the test checks the service against the documented
// algorithm: base64 HMAC-SHA256 of method + URL + body + timestamp with the app's client secret.
function hubspotSignature(secret: string, url: string, body: string, timestamp: string): string {
  return createHmac('sha256', secret).update(`POST${url}${body}${timestamp}`).digest('base64');
}

interface CrmException {
  id: string;
  key: string;
  reason: string;
  crmUserId: string | null;
  status: string;
}

test('an admin connects HubSpot, maps a CRM user and retries the call it held back', async ({ page }) => {
  const stack = e2eStack();
  await signIn(page, 'admin');
  const api = page.request;
  await page.getByRole('link', { name: 'CRM' }).click();
  await page.waitForURL('**/admin/crm');

  // A secret that is too short and a currency that is none: the service's messages sit under the fields.
  await page.getByLabel('App client secret').fill('short');
  await page.getByLabel('Allowed portal IDs').fill(PORTAL);
  await page.getByLabel('Currency of deals that carry none').fill('E1');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.locator('#crm-hubspot-secret-error')).toBeVisible();
  await expect(page.getByLabel('App client secret')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#crm-hubspot-currency-error')).toBeVisible();

  const secret = `e2e-hubspot-client-secret-${DateTime.now().toFormat('HHmmssSSS')}`;
  await page.getByLabel('App client secret').fill(secret);
  await page.getByLabel('Currency of deals that carry none').fill('USD');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('crm-secret-state')).toContainText('Secret stored');
  // Stored, and never shown again: not in the field, not anywhere on the page.
  await expect(page.getByLabel('App client secret')).toHaveValue('');
  expect(await page.content()).not.toContain(secret);
  const integration = (await (await api.get('/api/activity-ingestion/v1/integrations/hubspot')).json()) as Record<string, unknown>;
  expect(integration).toMatchObject({ secretSet: true, accountIds: [PORTAL], defaultCurrency: 'USD' });
  expect(JSON.stringify(integration)).not.toContain(secret);

  // The URL to paste into HubSpot; the e2e web server (development) names ingestion's own address.
  const webhookUrl = `${stack.services['activity-ingestion']}/v1/integrations/hubspot/${stack.tenantId}`;
  await expect(page.getByTestId('crm-webhook-url')).toHaveText(webhookUrl);

  // HubSpot posts a call whose owner is mapped to nobody: it is held back as an exception.
  const objectId = Number(DateTime.now().toFormat('HHmmssSSS'));
  const key = `hs:${PORTAL}:call:${objectId}`;
  const body = JSON.stringify({
    objectId,
    objectType: 'CALL',
    portalId: Number(PORTAL),
    properties: {
      hs_object_id: String(objectId),
      hs_timestamp: DateTime.now().minus({ hours: 1 }).toUTC().toISO(),
      hubspot_owner_id: '77001',
      hs_call_title: 'Discovery call',
      hs_call_direction: 'OUTBOUND',
      hs_call_status: 'COMPLETED',
      hs_call_duration: '754000',
      hs_call_disposition: 'f240bbac-87c9-4f6e-bf70-924b57d47db7',
    },
  });
  const timestamp = String(Date.now());
  const posted = await fetch(webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hubspot-request-timestamp': timestamp, 'x-hubspot-signature-v3': hubspotSignature(secret, webhookUrl, body, timestamp) },
    body,
  });
  const delivery = (await posted.json()) as { accepted: number; exceptions: { key: string; reason: string }[] };
  expect(posted.status, JSON.stringify(delivery)).toBe(200);
  expect(delivery).toMatchObject({ accepted: 0, exceptions: [{ key, reason: 'unmapped-user' }] });

  const openExceptions = async () =>
    ((await (await api.get('/api/activity-ingestion/v1/integrations/exceptions?vendor=hubspot&status=open')).json()) as { items: CrmException[] }).items;
  expect((await openExceptions()).map((x) => x.key)).toContain(key);
  await page.reload();
  const row = page.getByTestId(`crm-exception-${key}`);
  await expect(row).toContainText('Unmapped user');
  await expect(row).toContainText('77001');
  await expect(row.getByTestId('crm-exception-status')).toHaveText('Open');

  // Map the user from the exception (the new row is focused), save, retry.
  await row.getByRole('button', { name: 'Map CRM user 77001' }).click();
  const repField = page.getByLabel('Rep for CRM user 77001');
  await expect(repField).toBeFocused();
  await repField.fill('h1');
  await page.getByRole('button', { name: 'Save mappings' }).click();
  await expect(page.getByText('Mappings saved.')).toBeVisible();
  const mappings = (await (await api.get('/api/activity-ingestion/v1/integrations/hubspot/mappings')).json()) as { users: { crmUserId: string; repId: string }[] };
  expect(mappings.users).toContainEqual({ crmUserId: '77001', repId: 'h1' });

  await row.getByRole('button', { name: `Retry ${key}` }).click();
  await expect(page.getByTestId('crm-retry-outcome')).toHaveText(`${key} went through (1 recorded).`);
  await expect(row).toHaveCount(0);
  expect((await openExceptions()).map((x) => x.key)).not.toContain(key);
  const activity = await api.get(`/api/activity-ingestion/v1/activities/${encodeURIComponent(key)}`);
  expect(activity.status()).toBe(200);
  expect(await activity.json()).toMatchObject({ activity: { activityId: key, kind: 'call_logged', repId: 'h1', outcome: 'connected' }, recordedBy: { role: 'ingest', sub: `hubspot:${PORTAL}` }, voided: false });

  await page.getByLabel('Status').selectOption('resolved');
  await expect(row.getByTestId('crm-exception-status')).toContainText('Resolved');

  await expectAccessible(page);
  await screenshot(page, 'admin-maps-a-crm-user-and-retries');
});
