import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { DateTime } from 'luxon';
import { expectAccessible, screenshot } from './support/checks';
import { signIn } from './support/sign-in';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on loopback, the tenant's own system in this test. */
async function startReceiver(): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/pacer-hook`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The verification the notifications README prescribes: hex HMAC-SHA256 of `<timestamp>.<raw body>`. */
function signedBy(secret: string, r: Received): boolean {
  const timestamp = String(r.headers['x-pacer-timestamp']);
  const given = String(r.headers['x-pacer-signature']).replace(/^v1=/, '');
  const expected = createHmac('sha256', secret).update(`${timestamp}.${r.body}`).digest('hex');
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

interface DeliveryList {
  status: { breaker: { state: string }; lastSuccessAt: string | null; pending: number; failed: number };
  items: { deliveryId: string; type: string; status: string; attempts: number }[];
}

test('an admin creates a webhook destination and sees a signed test message delivered', async ({ page }) => {
  const receiver = await startReceiver();
  try {
    await signIn(page, 'admin');
    const api = page.request;
    await page.getByRole('link', { name: 'Notifications' }).click();
    await page.waitForURL('**/admin/notifications');

    const name = `Revenue ops ${DateTime.now().toFormat('HHmmss')}`;
    await page.getByRole('button', { name: 'New destination' }).click();
    const form = page.getByRole('form', { name: 'New destination' });
    await form.getByLabel('Name').fill(name);
    await form.getByLabel('Kind').selectOption('webhook');
    // Not a URL the service accepts: its message stays under the field.
    await form.getByLabel('Endpoint URL (HTTPS)').fill('ftp://example.com/hook');
    await form.getByLabel('Deal won').check();
    await form.getByLabel('Period paid').check();
    await form.getByLabel('Hunters').check();
    await form.getByRole('button', { name: 'Create destination' }).click();
    await expect(form.locator('#dest-new-url-error')).toBeVisible();
    await expect(form.getByLabel('Endpoint URL (HTTPS)')).toHaveAttribute('aria-invalid', 'true');

    await form.getByLabel('Endpoint URL (HTTPS)').fill(receiver.url);
    await form.getByRole('button', { name: 'Create destination' }).click();
    // The generated signing secret is shown this once.
    const secret = (await page.getByTestId('created-secret').locator('code').innerText()).trim();
    expect(secret.length).toBeGreaterThanOrEqual(32);

    const destinations = (await (await api.get('/api/notifications/v1/destinations')).json()) as { items: { destinationId: string; name: string; eventTypes: string[]; teamIds: string[]; hasSecret: boolean; urlHint: string }[] };
    const created = destinations.items.find((d) => d.name === name)!;
    expect(created).toMatchObject({ eventTypes: expect.arrayContaining(['deal_won', 'period_paid']), teamIds: ['hunters'], hasSecret: true });
    expect(JSON.stringify(destinations)).not.toContain(receiver.url);
    const row = page.getByTestId(`destination-${name}`);
    await expect(row).toContainText(created.urlHint);
    await expect(row).toContainText('Deal won, Period paid');
    await expect(row).toContainText('Hunters');
    await expect(row.getByTestId('breaker')).toHaveText('Healthy');

    // Send a test: it reaches the receiver, signed with that secret, and the screen says delivered.
    await row.getByRole('button', { name: `Send a test to ${name}` }).click();
    await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBe(1);
    const got = receiver.received[0]!;
    expect(signedBy(secret, got)).toBe(true);
    const message = JSON.parse(got.body) as { deliveryId: string; type: string };
    expect(message.type).toBe('test');
    expect(got.headers['x-pacer-delivery']).toBe(message.deliveryId);

    const deliveriesUrl = `/api/notifications/v1/destinations/${created.destinationId}/deliveries`;
    await expect.poll(async () => ((await (await api.get(deliveriesUrl)).json()) as DeliveryList).items[0]?.status, { timeout: 15_000 }).toBe('delivered');
    const list = (await (await api.get(deliveriesUrl)).json()) as DeliveryList;
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ deliveryId: message.deliveryId, type: 'test', attempts: 1 });
    expect(list.status).toMatchObject({ breaker: { state: 'closed' }, pending: 0, failed: 0 });

    const delivered = page.getByTestId(`delivery-${message.deliveryId}`);
    await expect(delivered.getByTestId('delivery-status-cell')).toHaveText('Delivered', { timeout: 10_000 });
    await expect(delivered).toContainText('Test');
    const status = page.getByTestId('delivery-status');
    await expect(status.getByTestId('pending')).toHaveText(String(list.status.pending));
    await expect(status.getByTestId('failed')).toHaveText(String(list.status.failed));
    await expect(status.getByTestId('breaker')).toHaveText('Healthy');

    await expectAccessible(page);
    await screenshot(page, 'admin-creates-a-webhook-destination');

    // Edit: drop "Period paid"; only what changed is sent, so the URL and the secret stay.
    await row.getByRole('button', { name: `Edit ${name}` }).click();
    const edit = page.getByRole('form', { name: `Edit ${name}` });
    await expect(edit.getByLabel('Endpoint URL (HTTPS)')).toHaveValue('');
    await edit.getByLabel('Period paid').uncheck();
    await edit.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(row).not.toContainText('Period paid');
    const edited = (await (await api.get(`/api/notifications/v1/destinations/${created.destinationId}`)).json()) as { eventTypes: string[]; hasSecret: boolean; urlHint: string };
    expect(edited).toMatchObject({ eventTypes: ['deal_won'], hasSecret: true, urlHint: created.urlHint });

    // Delete takes a second click that names the destination.
    await row.getByRole('button', { name: `Delete ${name}` }).click();
    await page.getByRole('button', { name: `Delete ${name} and its deliveries` }).click();
    await expect(row).toHaveCount(0);
    expect((await api.get(`/api/notifications/v1/destinations/${created.destinationId}`)).status()).toBe(404);
  } finally {
    await receiver.close();
  }
});
