import { deal, planVersion, statementInput } from '../../test/calculation-fixtures';
import { computeStatement } from './statement-calculator';

describe('a period without a quota', () => {
  const deals = () => [
    deal('D1', '60000.00', { occurredAt: '2026-01-10T10:00:00Z' }),
    deal('D2', '90000.00', { occurredAt: '2026-02-10T10:00:00Z' }),
  ];

  for (const tierMode of ['graduated', 'retroactive'] as const) {
    it(`pays every credit at the first tier's rate and says why (${tierMode})`, () => {
      const statement = computeStatement(
        statementInput(deals(), { quota: null, plan: planVersion({ tierMode }) }),
      );
      expect(statement.quota).toBeNull();
      expect(statement.attainment).toBeNull();
      expect(statement.lines.filter((l) => l.kind === 'deal').map((l) => l.amount)).toEqual([
        '3000.00',
        '4500.00',
      ]);
      expect(statement.lines.some((l) => l.kind === 'retroactive_adjustment')).toBe(false);
      expect(statement.notes).toContain(
        "No quota is set for FY2026-Q1: every credit earns the first tier's rate (5%).",
      );
      expect(statement.lines.find((l) => l.kind === 'spiff')).toMatchObject({
        reached: false,
        amount: '0.00',
        metricValue: null,
      });
      expect(statement.total).toBe('7500.00');
    });
  }
});
