import { deal, statementInput } from '../../test/calculation-fixtures';
import { applyPostings, LedgerBalance, planPostings } from './ledger-postings';
import { computeStatement } from './statement-calculator';

describe('a deal cancelled after the clawback window', () => {
  const ctx = {
    currency: 'USD',
    voided: new Map<string, string>(),
    fallbackSourceIds: ['plan-ae-v1'],
    leftReason: 'test',
  };
  const d1 = deal('D1', '60000.00', { occurredAt: '2026-01-10T10:00:00Z' });
  const late = {
    ...d1,
    cancellation: { activityId: 'c-D1', eventId: 'cancel-D1', occurredAt: '2026-04-10T10:00:01Z' },
  };

  it('lets the commission stand and says so on the line', () => {
    const before = computeStatement(statementInput([d1]));
    const ledger = applyPostings(
      new Map<string, LedgerBalance>(),
      before.lines,
      planPostings(before.lines, new Map(), ctx),
    );
    const after = computeStatement(statementInput([late]));
    expect(after.total).toBe(before.total);
    const line = after.lines.find((l) => l.lineId === 'deal:D1');
    expect(line).toMatchObject({ status: 'stands', amount: '3000.00' });
    expect(line?.note).toContain('after the 90-day clawback window: the commission stands');
    expect(planPostings(after.lines, ledger, ctx)).toEqual([]);
  });

  it('still claws back on the last day of the window (90 days to the day)', () => {
    const onTheDay = {
      ...d1,
      cancellation: { activityId: 'c-D1', eventId: 'cancel-D1', occurredAt: '2026-04-10T10:00:00Z' },
    };
    expect(computeStatement(statementInput([onTheDay])).lines[0]?.status).toBe('clawed_back');
  });
});
