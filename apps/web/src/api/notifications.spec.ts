import { deliveriesBusy, type DeliveryList } from './notifications';

const list = (items: DeliveryList['items'], status: Partial<DeliveryList['status']> = {}): DeliveryList => ({
  destinationId: 'd',
  status: { breaker: { state: 'closed', consecutiveFailures: 0, openUntil: null }, lastSuccessAt: null, lastFailureAt: null, lastFailure: null, pending: 0, failed: 0, ...status },
  items,
});
const delivery = (status: 'pending' | 'delivered' | 'failed') => ({
  deliveryId: '1',
  type: 'test',
  title: 'Test',
  sourceEventId: 'e',
  status,
  attempts: status === 'pending' ? 0 : 1,
  nextAttemptAt: null,
  lastError: null,
  lastStatusCode: null,
  createdAt: '2026-12-07T00:00:00Z',
  deliveredAt: null,
});

describe('when the deliveries screen keeps asking', () => {
  it('while a delivery shows pending, even when the status (read a moment later) counts none', () => {
    expect(deliveriesBusy(list([delivery('pending')], { pending: 0 }))).toBe(true);
  });

  it('while there is a backlog or the breaker is not closed', () => {
    expect(deliveriesBusy(list([], { pending: 2 }))).toBe(true);
    expect(deliveriesBusy(list([delivery('failed')], { breaker: { state: 'open', consecutiveFailures: 5, openUntil: null } }))).toBe(true);
  });

  it('not once everything is delivered or given up', () => {
    expect(deliveriesBusy(list([delivery('delivered'), delivery('failed')]))).toBe(false);
  });
});
