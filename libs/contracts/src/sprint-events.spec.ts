import { EVENT_EXAMPLES } from './event-examples';
import type { EventType } from './event-registry';
import { validateEventData, type ValidationMode } from './event-validator';

function check(type: EventType, patch: Record<string, unknown>, mode: ValidationMode = 'producer') {
  return validateEventData(type, { ...EVENT_EXAMPLES[type], ...patch }, { tenantId: 'acme', mode });
}

describe('sprint events', () => {
  it('key commitment targets by KPI metric name', () => {
    expect(check('pacer.sprint.commitment_set.v1', { targets: {} })).toEqual([]);
    expect(check('pacer.sprint.commitment_set.v1', { targets: { dealsWon: 2, winRate: 0.4 } })).toEqual([]);
    expect(check('pacer.sprint.commitment_set.v1', { targets: { calls: -1 } })[0].path).toBe(
      '/targets/calls',
    );
    expect(check('pacer.sprint.commitment_set.v1', { targets: { calls: '40' } })[0].path).toBe(
      '/targets/calls',
    );
  });

  it('reject a target for an unknown metric from a producer, and let a consumer read one from a newer producer', () => {
    expect(check('pacer.sprint.commitment_set.v1', { targets: { demos: 3 } })).toEqual([
      { path: '/targets/demos', message: 'is not a field of this type' },
    ]);
    expect(check('pacer.sprint.commitment_set.v1', { targets: { demos: 3 } }, 'consumer')).toEqual([]);
  });

  it.each([
    ['pacer.sprint.planned.v1', { lengthDays: 0 }, '/lengthDays'],
    ['pacer.sprint.planned.v1', { startDate: '2026-11-31' }, '/startDate'],
    ['pacer.sprint.planned.v1', { timezone: 'not a zone' }, '/timezone'],
    ['pacer.sprint.commitment_set.v1', { items: [{ itemId: 'i' }] }, '/items/0/title'],
    [
      'pacer.sprint.commitment_set.v1',
      { items: [{ itemId: 'i', title: 't', dueDate: 'friday' }] },
      '/items/0/dueDate',
    ],
    ['pacer.sprint.item_status_changed.v1', { status: 'blocked' }, '/status'],
    ['pacer.sprint.items_carried_over.v1', { itemIds: [] }, '/itemIds'],
    ['pacer.sprint.report_published.v1', { team: { targets: [] } }, '/team/completionRatio'],
  ] as [EventType, Record<string, unknown>, string][])('%s rejects %j', (type, patch, path) => {
    expect(check(type, patch)[0].path).toBe(path);
  });

  it('allow a sprint without a snapshot of the time zone', () => {
    const { timezone: _tz, ...planned } = EVENT_EXAMPLES['pacer.sprint.planned.v1'];
    expect(
      validateEventData('pacer.sprint.planned.v1', planned, { tenantId: 'acme', mode: 'producer' }),
    ).toEqual([]);
  });
});
