import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { pollUntil } from '@pacer/testing';
import { dealWon, NotificationsFixture } from './support/notifications-fixture';
import { Receiver } from './support/receiver';

interface Status {
  breaker: { state: string };
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  pending: number;
  failed: number;
}

const OUTAGE_MS = 60_000;

describe("a receiver that is down for a minute loses nothing and holds up no other tenant", () => {
  let fx: NotificationsFixture;
  const down = new Receiver();
  const healthy = new Receiver();
  const tenantA = `t-${randomUUID().slice(0, 8)}`;
  const tenantB = `t-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    fx = await NotificationsFixture.start();
    await down.start();
    await healthy.start();
  });

  afterAll(async () => {
    await down.stop();
    await healthy.stop();
    await fx?.close();
  });

  it('opens the breaker while down, keeps delivering to the other tenant, and drains everything once the receiver is back', async () => {
    const adminA = await fx.token(tenantA);
    const adminB = await fx.token(tenantB);
    const a = await fx.api<{ destinationId: string }>('POST', '/v1/destinations', adminA, { name: 'down', kind: 'webhook', url: down.url(), eventTypes: ['deal_won'] });
    const b = await fx.api<{ destinationId: string }>('POST', '/v1/destinations', adminB, { name: 'up', kind: 'webhook', url: healthy.url(), eventTypes: ['deal_won'] });
    expect([a.status, b.status]).toEqual([201, 201]);
    const statusOfA = async (): Promise<Status> =>
      (await fx.api<{ status: Status }>('GET', `/v1/destinations/${a.body.destinationId}/deliveries`, adminA)).body.status;

    await down.down();
    const outageStarted = Date.now();
    const sentToA: string[] = [];
    for (let i = 0; i < 5; i++) sentToA.push(String((await fx.publish(dealWon(tenantA, `rep-${i}`, `${100 + i}.00`)))['id']));

    await pollUntil(statusOfA, (s) => s.breaker.state === 'open', { what: "A's breaker to open", timeoutMs: 30_000 });

    // While A's receiver is down, B's notifications arrive promptly: one tenant's dead receiver
    // does not hold up another's deliveries (nor the consumer that queues them).
    const latenciesB: number[] = [];
    while (Date.now() - outageStarted < OUTAGE_MS - 5_000) {
      const published = Date.now();
      const id = String((await fx.publish(dealWon(tenantB, 'rep-b', '1.00')))['id']);
      const [got] = await pollUntil(
        () => healthy.accepted().filter((r) => r.json['sourceEventId'] === id),
        (r) => r.length === 1,
        { what: "tenant B's delivery during A's outage", timeoutMs: 10_000, intervalMs: 20 },
      );
      latenciesB.push(got!.at - published);
      await delay(5_000);
    }
    expect(latenciesB.length).toBeGreaterThanOrEqual(8);
    expect(Math.max(...latenciesB)).toBeLessThan(3_000);

    const during = await statusOfA();
    expect(during.pending).toBe(5);
    expect(during.failed).toBe(0);
    expect(during.lastFailureAt).not.toBeNull();
    expect(during.lastSuccessAt).toBeNull();

    await delay(Math.max(0, OUTAGE_MS - (Date.now() - outageStarted)));
    await down.up();
    const cameBack = Date.now();

    const drained = await pollUntil(() => down.accepted(), (r) => new Set(r.map((x) => x.json['sourceEventId'])).size === 5, {
      what: 'the backlog drained after the outage',
      timeoutMs: 30_000,
    });
    expect([...new Set(drained.map((r) => String(r.json['sourceEventId'])))].sort()).toEqual([...sentToA].sort());
    // Drained within the breaker window plus the longest backoff, not after minutes.
    expect(Date.now() - cameBack).toBeLessThan(15_000);
    const after = await pollUntil(statusOfA, (s) => s.pending === 0 && s.breaker.state === 'closed', { what: 'A healthy again' });
    expect(after.failed).toBe(0);
    expect(after.lastSuccessAt).not.toBeNull();
  });
});
