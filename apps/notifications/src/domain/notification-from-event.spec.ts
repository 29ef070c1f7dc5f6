import { composeNotification, InboundEvent, notifiableFact } from './notification-from-event';

function event(type: string, data: Record<string, unknown>): InboundEvent {
  return { id: 'e1', type, time: '2026-12-03T10:00:00Z', recordedtime: '2026-12-03T10:00:01Z', tenantid: 't1', data };
}

describe('notifications from events', () => {
  const roster = { repName: 'Ada Lovelace', teams: [{ id: 'team-a', name: 'Hunters' }] };

  it('a deal won: who, how much, read at the deal time', () => {
    const fact = notifiableFact(event('pacer.activity.deal_won.v1', { repId: 'r1', amount: '12500', currency: 'EUR', dealId: 'd1', occurredAt: '2026-12-01T09:00:00Z' }));
    expect(fact?.at).toBe('2026-12-01T09:00:00Z');
    const n = composeNotification(fact!, roster);
    expect(n.title).toBe('Ada Lovelace won a deal: 12,500.00 EUR');
    expect(n.facts).toContainEqual({ label: 'Team', value: 'Hunters' });
    expect(n.data).toMatchObject({ dealId: 'd1', amount: '12500', currency: 'EUR' });
  });

  it('commission events are read by type and field name, extra fields tolerated', () => {
    const paid = notifiableFact(event('pacer.commission.payout.v1', { repId: 'r1', total: '3210.5', currency: 'USD', periodKey: '2026-11', somethingNew: [1] }));
    expect(composeNotification(paid!, { teams: [] }).title).toBe('r1 was paid 3,210.50 USD for 2026-11');
    const dispute = notifiableFact(event('pacer.commission.dispute_opened.v1', { repId: 'r1', periodKey: '2026-11', comment: 'x'.repeat(400), disputeId: 'q' }));
    const n = composeNotification(dispute!, roster);
    expect(n.title).toBe('Ada Lovelace disputed a line of the 2026-11 statement');
    expect(n.facts.find((f) => f.label === 'Comment')?.value).toHaveLength(300);
    expect(composeNotification(notifiableFact(event('pacer.commission.statement_approved.v1', { repId: 'r1', total: '10', currency: 'USD', periodKey: '2026-11' }))!, roster).title).toBe(
      "Ada Lovelace's 2026-11 statement was approved: 10.00 USD",
    );
    expect(composeNotification(notifiableFact(event('pacer.commission.deal_pending_approval.v1', { repId: 'r1', amount: '99', currency: 'USD', dealId: 'd' }))!, roster).title).toBe(
      "Ada Lovelace's deal of 99.00 USD awaits approval",
    );
  });

  it('announces a SPIFF award but not its reversal', () => {
    expect(notifiableFact(event('pacer.commission.spiff_awarded.v1', { repId: 'r1', amount: '500.00', currency: 'USD' }))?.type).toBe('spiff_awarded');
    expect(notifiableFact(event('pacer.commission.spiff_awarded.v1', { repId: 'r1', amount: '-500.00', currency: 'USD' }))).toBeUndefined();
  });

  it('ignores other events and events without a rep', () => {
    expect(notifiableFact(event('pacer.activity.call_logged.v1', { repId: 'r1' }))).toBeUndefined();
    expect(notifiableFact(event('pacer.commission.payout.v1', { total: '1' }))).toBeUndefined();
  });
});
