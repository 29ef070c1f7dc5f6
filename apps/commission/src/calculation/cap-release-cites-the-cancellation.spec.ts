import { deal, planVersion, statementInput } from '../../test/calculation-fixtures';
import { applyPostings, LedgerBalance, planPostings } from './ledger-postings';
import { computeStatement } from './statement-calculator';

describe('a cap released by a cancellation', () => {
  const ctx = {
    currency: 'USD',
    voided: new Map<string, string>(),
    fallbackSourceIds: ['plan-ae-v1'],
    leftReason: 'test',
  };
  const plan = planVersion({ cap: '4000.00', spiffs: [] });
  const d1 = deal('D1', '60000.00', { occurredAt: '2026-01-10T10:00:00Z' });
  const d2 = deal('D2', '50000.00', { occurredAt: '2026-02-10T10:00:00Z' });

  it('cites the cancellation that moved it, not only the plan version', () => {
    const first = computeStatement(statementInput([d1, d2], { plan }));
    let ledger = new Map<string, LedgerBalance>();
    const posted = planPostings(first.lines, ledger, ctx);
    expect(posted.find((p) => p.kind === 'cap')?.amount).toBe('-1800.00');
    ledger = applyPostings(ledger, first.lines, posted);

    const cancelled = {
      ...d2,
      cancellation: { activityId: 'c-D2', eventId: 'cancel-D2', occurredAt: '2026-02-20T10:00:00Z' },
    };
    const after = computeStatement(statementInput([d1, cancelled], { plan }));
    const release = planPostings(after.lines, ledger, ctx).find((p) => p.kind === 'cap');
    expect(release).toMatchObject({ amount: '1800.00', type: 'pacer.commission.cap_applied.v1' });
    expect(release?.sourceEventIds).toContain('cancel-D2');
    expect(release?.sourceEventIds).toContain('plan-ae-v1');
  });

  it('cites the void that moved it', () => {
    const first = computeStatement(statementInput([d1, d2], { plan }));
    const ledger = applyPostings(new Map(), first.lines, planPostings(first.lines, new Map(), ctx));
    const after = computeStatement(statementInput([d1], { plan }));
    const release = planPostings(after.lines, ledger, { ...ctx, voided: new Map([['D2', 'void-D2']]) }).find(
      (p) => p.kind === 'cap',
    );
    expect(release?.sourceEventIds).toEqual(['void-D2', 'plan-ae-v1']);
  });
});
