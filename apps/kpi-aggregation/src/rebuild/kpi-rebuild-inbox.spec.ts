import { KpiEventBuilder } from '../../test/support/kpi-event.builder';
import { toKpiInput } from '../domain/kpi-input';
import { decodeInput, encodeInput } from './kpi-rebuild-inbox';

// Parked inputs go through Postgres as text: every kind must come back exactly as it went in,
// cents (bigints) included.
describe('the rebuild inbox encoding', () => {
  const b = new KpiEventBuilder('acme', '2026-11-27T12:00:00Z');

  it('round-trips every kind of input, bigints included', () => {
    const events = [
      b.call('ann', '2026-11-26T10:00:00Z'),
      b.opportunity('ann', '2026-11-20T10:00:00Z', 'opp-1', '1250.50'),
      b.dealWon('ann', '2026-11-25T10:00:00Z', {
        dealId: 'deal-1',
        opportunityId: 'opp-1',
        amount: '99999999999.99',
      }),
      b.settings('Europe/Berlin', 1, 2),
      b.joined('hunters', 'ann', '2026-01-01T00:00:00Z'),
      b.sprint('s-1', 'hunters', '2026-11-16', 14),
      b.quota('ann', '2026-11', '10000'),
    ];
    for (const event of events) {
      const input = toKpiInput(event);
      expect(input).toBeDefined();
      if (!input) continue;
      expect(decodeInput(encodeInput(input))).toEqual(input);
    }
  });

  it('keeps an object that merely has a $bigint key among others as it is', () => {
    const text = JSON.stringify({
      type: 'facts',
      tenantId: 't',
      rows: [{ note: { $bigint: '1', other: true } }],
    });
    expect(decodeInput(text)).toEqual(JSON.parse(text));
  });
});
