import { randomUUID } from 'node:crypto';
import { pollUntil } from '@pacer/testing';
import { dealWon, NotificationsFixture } from './support/notifications-fixture';
import { Receiver } from './support/receiver';

describe('the delivery worker wakes when deliveries are queued, not at its next poll', () => {
  let fx: NotificationsFixture;
  const receiver = new Receiver();

  beforeAll(async () => {
    // A poll interval far longer than the test's deadline: only the NOTIFY can deliver in time.
    fx = await NotificationsFixture.start({ PACER_NOTIFY_POLL_MS: '600000' });
    await receiver.start();
  });

  afterAll(async () => {
    await receiver.stop();
    await fx?.close();
  });

  it('delivers within seconds with a ten-minute poll interval', async () => {
    const tenant = `t-${randomUUID().slice(0, 8)}`;
    const admin = await fx.token(tenant);
    expect((await fx.api('POST', '/v1/destinations', admin, { name: 'n', kind: 'webhook', url: receiver.url(), eventTypes: ['deal_won'] })).status).toBe(201);
    for (let i = 0; i < 3; i++) {
      const published = Date.now();
      const id = String((await fx.publish(dealWon(tenant, 'r1', '5.00')))['id']);
      const [got] = await pollUntil(() => receiver.accepted().filter((r) => r.json['sourceEventId'] === id), (r) => r.length === 1, {
        what: 'a delivery woken by NOTIFY',
        timeoutMs: 15_000,
      });
      expect(got!.at - published).toBeLessThan(10_000);
    }
  });
});
