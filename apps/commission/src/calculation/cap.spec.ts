import { deal, planVersion, statementInput } from '../../test/calculation-fixtures';
import { computeStatement } from './statement-calculator';

describe('a capped plan', () => {
  const deals = () => [
    deal('D1', '60000.00', { occurredAt: '2026-01-10T10:00:00Z' }),
    deal('D2', '50000.00', { occurredAt: '2026-02-10T10:00:00Z' }),
    deal('D3', '50000.00', { occurredAt: '2026-03-10T10:00:00Z' }),
  ];

  it('limits lines plus SPIFFs to the cap with one negative cap line', () => {
    const statement = computeStatement(statementInput(deals(), { plan: planVersion({ cap: '8000.00' }) }));
    const cap = statement.lines[statement.lines.length - 1];
    expect(cap).toMatchObject({
      lineId: 'cap',
      kind: 'cap',
      cap: '8000.00',
      subtotal: '11000.00',
      amount: '-3000.00',
    });
    expect(cap?.note).toContain('3000.00 is held back');
    expect(statement.total).toBe('8000.00');
  });

  it('shows the cap line at zero while the period is under it', () => {
    const statement = computeStatement(statementInput(deals(), { plan: planVersion({ cap: '20000.00' }) }));
    expect(statement.lines.find((l) => l.kind === 'cap')?.amount).toBe('0.00');
    expect(statement.total).toBe('11000.00');
  });
});
