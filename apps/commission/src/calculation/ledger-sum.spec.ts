import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { deal, planVersion, statementInput } from '../../test/calculation-fixtures';
import { applyPostings, ledgerTotal, LedgerBalance, planPostings } from './ledger-postings';
import { computeStatement } from './statement-calculator';
import type { DealFact } from './statement.types';

type Op =
  | { op: 'win'; credit: string; hour: number }
  | { op: 'cancel'; pick: number; days: number }
  | { op: 'uncancel'; pick: number }
  | { op: 'void'; pick: number }
  | { op: 'quota'; amount: string | null }
  | { op: 'currency'; currency: 'USD' | 'EUR' };

const money = fc.integer({ min: 0, max: 10_000_000 }).map((c) => new Decimal(c).dividedBy(100).toFixed(2));
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('win' as const), credit: money, hour: fc.nat(2000) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('cancel' as const),
      pick: fc.nat(),
      days: fc.integer({ min: 0, max: 200 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('uncancel' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('void' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('quota' as const),
      amount: fc.option(
        money.filter((m) => m !== '0.00'),
        { nil: null },
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('currency' as const),
      currency: fc.constantFrom('USD' as const, 'EUR' as const),
    }),
  },
);

describe('the sum of emitted deltas equals the statement total after every event (property)', () => {
  for (const tierMode of ['graduated', 'retroactive'] as const) {
    it(`holds for ${tierMode} plans with SPIFFs, a cap, clawbacks, voids, quota and plan currency changes`, () => {
      fc.assert(
        fc.property(fc.array(opArb, { maxLength: 40 }), fc.option(money, { nil: null }), (ops, cap) => {
          let deals: DealFact[] = [];
          const voided = new Map<string, string>();
          let quota: string | null = '100000.00';
          let currency = 'USD';
          let ledger = new Map<string, LedgerBalance>();
          let n = 0;
          for (const op of ops) {
            const live = deals.filter((d) => !voided.has(d.dealId));
            const picked = live.length > 0 && 'pick' in op ? live[op.pick % live.length] : undefined;
            if (op.op === 'win') {
              n += 1;
              deals.push(
                deal(`D${n}`, op.credit, {
                  occurredAt: new Date(
                    Date.parse('2026-01-01T00:00:00Z') + op.hour * 3_600_000,
                  ).toISOString(),
                }),
              );
            } else if (op.op === 'cancel' && picked) {
              const at = new Date(Date.parse(picked.occurredAt) + op.days * 86_400_000).toISOString();
              deals = deals.map((d) =>
                d === picked
                  ? {
                      ...d,
                      cancellation: {
                        activityId: `c-${d.dealId}`,
                        eventId: `cancel-${d.dealId}`,
                        occurredAt: at,
                      },
                    }
                  : d,
              );
            } else if (op.op === 'uncancel' && picked) {
              deals = deals.map((d) => (d === picked ? { ...d, cancellation: undefined } : d));
            } else if (op.op === 'void' && picked) {
              voided.set(picked.dealId, `void-${picked.dealId}`);
            } else if (op.op === 'quota') {
              quota = op.amount;
            } else if (op.op === 'currency') {
              currency = op.currency;
            }
            const plan = planVersion({ tierMode, cap, currency });
            const statement = computeStatement(
              statementInput(
                deals.filter((d) => !voided.has(d.dealId)),
                { quota, plan },
              ),
            );
            const ctx = { currency, voided, fallbackSourceIds: ['plan'], leftReason: 'test' };
            const postings = planPostings(statement.lines, ledger, ctx);
            for (const p of postings) expect(p.sourceEventIds.length).toBeGreaterThan(0);
            ledger = applyPostings(ledger, statement.lines, postings);
            expect(ledgerTotal(ledger, []).toFixed(2)).toBe(statement.total);
            // Every line of the calculation is exactly what the ledger holds for it, and nothing else is held.
            for (const line of statement.lines) {
              expect((ledger.get(line.lineId)?.byCurrency.get(currency) ?? new Decimal(0)).toFixed(2)).toBe(
                line.amount,
              );
            }
            // Posting again changes nothing: the ledger is at the calculation.
            expect(planPostings(statement.lines, ledger, ctx)).toEqual([]);
          }
        }),
        { numRuns: 300 },
      );
    });
  }
});
