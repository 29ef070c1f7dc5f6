import { PacerEvent } from '@pacer/contracts';
import { KpiEventBuilder } from './kpi-event.builder';

export interface KpiScenario {
  tenantId: string;
  /** Settings, roster, sprints and quotas. */
  setup: PacerEvent[];
  /** Activities, including voids, cancellations and split deals, in recording order. */
  activities: PacerEvent[];
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * A month of a small sales org (two teams, a rep moving between them, a sprint, quotas) with
 * `activityCount` activities of every kind, split deals, voids and cancellations. Deterministic per
 * seed, so integration tests can compare the service against the oracle and against each other.
 */
const PROBABILITIES = ['0', '0.1', '0.25', '0.333333', '0.5', '0.75', '0.9', '1'] as const;

export function buildScenario(tenantId: string, activityCount: number, seed = 7): KpiScenario {
  const random = rng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const b = new KpiEventBuilder(tenantId, '2026-11-01T00:00:00Z');
  const reps = ['ann', 'bob', 'cyd', 'dee', 'eve', 'fay'];
  const setup: PacerEvent[] = [
    b.settings('Europe/Berlin', 1, 2),
    b.joined('hunters', 'ann', '2026-01-01T00:00:00Z'),
    b.joined('hunters', 'bob', '2026-01-01T00:00:00Z'),
    b.joined('hunters', 'cyd', '2026-01-01T00:00:00Z', 'MANAGER'),
    b.joined('farmers', 'dee', '2026-01-01T00:00:00Z'),
    b.joined('farmers', 'eve', '2026-01-01T00:00:00Z'),
    // cyd moves to farmers mid-month; fay has no team.
    b.left('hunters', 'cyd', '2026-11-16T12:00:00Z'),
    b.joined('farmers', 'cyd', '2026-11-16T12:00:00Z'),
    b.sprint('sprint-47', 'hunters', '2026-11-16', 14),
    b.sprint('sprint-f1', 'farmers', '2026-11-09', 7),
    ...reps.map((r, i) => b.quota(r, '2026-11', `${(i + 1) * 10000}`)),
    b.quota('ann', 'FY2027-Q4', '75000'),
  ];
  const activities: PacerEvent[] = [];
  const won: PacerEvent[] = [];
  const opportunities: string[] = [];
  const closeDate = (): string => new Date(Date.parse('2026-11-01T00:00:00Z') + Math.floor(random() * 75) * 86_400_000).toISOString().slice(0, 10);
  const day0 = Date.parse('2026-10-31T23:00:00Z'); // 1 Nov 00:00 Berlin
  for (let i = 0; i < activityCount; i += 1) {
    const rep = pick(reps);
    const at = new Date(day0 + Math.floor(random() * 30 * 24 * 60) * 60_000).toISOString();
    const r = random();
    let e: PacerEvent;
    if (r < 0.35) e = b.call(rep, at, pick(['connected', 'voicemail', 'no_answer'] as const));
    else if (r < 0.55) e = b.email(rep, at);
    else if (r < 0.62) e = b.meetingScheduled(rep, at);
    else if (r < 0.68) e = b.meetingHeld(rep, at);
    else if (r < 0.74) e = b.lead(rep, at);
    else if (r < 0.82) {
      // Most opportunities carry forecast fields: close dates from November into January, some without a probability.
      const forecast = random() < 0.8 ? { expectedCloseDate: closeDate(), ...(random() < 0.8 ? { probability: pick(PROBABILITIES) } : {}) } : {};
      e = b.opportunity(rep, at, `opp-${i}`, `${Math.floor(random() * 900000) / 100}`, forecast);
      opportunities.push(`opp-${i}`);
    } else if (r < 0.85) {
      // A stage change of an earlier (or, replayed out of order, a later) opportunity, by any rep: it never moves the opportunity's rep.
      const opportunityId = opportunities.length > 0 && random() < 0.9 ? pick(opportunities) : `opp-${i}`;
      e = b.stageChanged(rep, at, opportunityId, {
        ...(random() < 0.5 ? { expectedCloseDate: closeDate() } : {}),
        ...(random() < 0.5 ? { probability: pick(PROBABILITIES) } : {}),
        ...(random() < 0.3 ? { amount: `${Math.floor(random() * 900000) / 100}` } : {}),
      });
    }
    else if (r < 0.95) {
      const other = pick(reps.filter((x) => x !== rep));
      const split = random() < 0.4;
      e = b.dealWon(rep, at, {
        dealId: `deal-${i}`,
        opportunityId: `opp-${Math.floor(random() * i)}`,
        amount: `${Math.floor(random() * 5_000_000) / 100}`,
        ...(random() < 0.5 ? { openedAt: new Date(Date.parse(at) - Math.floor(random() * 60 * 86_400_000)).toISOString() } : {}),
        ...(split
          ? {
              credits: [
                { repId: rep, share: '0.3333333333' },
                { repId: other, share: '0.6666666667' },
              ],
            }
          : {}),
      });
      won.push(e);
    } else e = b.dealLost(rep, at, `deal-${i}`);
    activities.push(e);
    if (random() < 0.03) activities.push(b.void(e as Parameters<KpiEventBuilder['void']>[0]));
  }
  // Cancel a few won deals (one cancellation is itself voided).
  for (const [i, w] of won.filter((_, k) => k % 7 === 0).entries()) {
    const data = w.data as { repId: string; dealId: string; occurredAt: string };
    const cancel = b.dealCancelled(data.repId, new Date(Date.parse(data.occurredAt) + 3 * 86_400_000).toISOString(), data.dealId);
    activities.push(cancel);
    if (i === 0) activities.push(b.void(cancel));
  }
  return { tenantId, setup, activities };
}
