import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { roundCents } from '@pacer/sales-domain';
import { deal, planVersion, statementInput } from '../../test/calculation-fixtures';
import { computeStatement } from './statement-calculator';

const cents = (max: number) =>
  fc.integer({ min: 0, max }).map((c) => new Decimal(c).dividedBy(100).toFixed(2));

function finalRate(credited: Decimal, quota: Decimal): string {
  if (credited.gte(roundCents(quota.times('1.50')))) return '0.10';
  if (credited.gte(roundCents(quota))) return '0.08';
  return '0.05';
}

describe('retroactive total = band rate × credit (property)', () => {
  const dealsArb = fc.uniqueArray(
    fc.record({
      id: fc.string({ minLength: 1, maxLength: 5 }),
      credit: cents(6_000_000),
      hour: fc.nat(2000),
    }),
    {
      selector: (d) => d.id,
      maxLength: 20,
    },
  );
  const quotaArb = fc.integer({ min: 1, max: 20_000_000 }).map((c) => new Decimal(c).dividedBy(100));

  it('pays every credit of the period at the rate of the band the period reached, rounded once', () => {
    fc.assert(
      fc.property(dealsArb, quotaArb, (raw, quota) => {
        const deals = raw.map((d) =>
          deal(d.id, d.credit, {
            occurredAt: new Date(Date.parse('2026-01-01T00:00:00Z') + d.hour * 3_600_000).toISOString(),
          }),
        );
        const statement = computeStatement(
          statementInput(deals, {
            quota: quota.toFixed(2),
            plan: planVersion({ tierMode: 'retroactive', spiffs: [] }),
          }),
        );
        const credited = new Decimal(statement.credited);
        const rate = finalRate(credited, quota);
        expect(statement.total).toBe(roundCents(credited.times(rate)).toFixed(2));
        // Each deal's own lines are its credit at that rate, rounded to cents; one line carries the rest.
        for (const d of deals) {
          const own = statement.lines.filter((l) => l.dealId === d.dealId && l.kind !== 'spiff');
          const sum = own.reduce((s, l) => s.plus(l.amount), new Decimal(0));
          expect(sum.toFixed(2)).toBe(roundCents(new Decimal(d.credit).times(rate)).toFixed(2));
        }
        const rounding = statement.lines.filter((l) => l.lineId === 'rounding');
        expect(rounding.length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });

  it('adds the SPIFFs the period reached and caps the sum', () => {
    fc.assert(
      fc.property(dealsArb, quotaArb, cents(2_000_000), (raw, quota, cap) => {
        const deals = raw.map((d) =>
          deal(d.id, d.credit, {
            occurredAt: new Date(Date.parse('2026-01-01T00:00:00Z') + d.hour * 3_600_000).toISOString(),
          }),
        );
        const plan = planVersion({ tierMode: 'retroactive', cap });
        const statement = computeStatement(statementInput(deals, { quota: quota.toFixed(2), plan }));
        const credited = new Decimal(statement.credited);
        const rate = finalRate(credited, quota);
        const lines = deals.length > 0 ? roundCents(credited.times(rate)) : new Decimal(0);
        const spiff = deals.length > 0 && credited.gte(quota) ? new Decimal(1000) : new Decimal(0);
        expect(statement.total).toBe(Decimal.min(new Decimal(cap), lines.plus(spiff)).toFixed(2));
      }),
      { numRuns: 300 },
    );
  });
});
