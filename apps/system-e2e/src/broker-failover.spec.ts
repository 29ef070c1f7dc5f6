import {
  firstProgressAfter,
  longestStandstill,
  metricSum,
  occurrences,
  resumedAfter,
  Sample,
} from './broker-failover';

const series = (...points: [number, number][]): Sample[] => points.map(([at, value]) => ({ at, value }));

describe('broker failover measurements', () => {
  it('sums a metric family over the series with the given labels, not over families sharing the prefix', () => {
    const page = [
      '# HELP pacer_outbox_published_total Outbox rows published to Kafka',
      'pacer_outbox_published_total{topic="pacer.activities.v1"} 40',
      'pacer_outbox_published_total{topic="pacer.kpi.v1"} 7',
      'pacer_outbox_published_total_other{topic="pacer.activities.v1"} 1000',
      'pacer_consumer_messages_total{group="g",topic="t",outcome="applied"} 5',
      'pacer_consumer_messages_total{group="g",topic="t",outcome="duplicate"} 2',
      'pacer_consumer_messages_total{group="h",topic="t",outcome="applied"} 100',
    ].join('\n');
    expect(metricSum(page, 'pacer_outbox_published_total', { topic: 'pacer.activities.v1' })).toBe(40);
    expect(metricSum(page, 'pacer_outbox_published_total')).toBe(47);
    expect(metricSum(page, 'pacer_consumer_messages_total', { group: 'g', topic: 't' })).toBe(7);
    expect(metricSum(page, 'pacer_missing_total')).toBe(0);
  });

  it('finds the longest time a counter did not move, and when it moved again', () => {
    const s = series([0, 1], [100, 2], [200, 2], [300, 2], [900, 2], [1000, 5], [1100, 6], [1200, 6]);
    expect(longestStandstill(s, 0, 1200)).toEqual({ ms: 900, endedAt: 1000 });
    expect(firstProgressAfter(s, 150)).toBe(1000);
    // Still standing at the end of the window: no end to report.
    expect(longestStandstill(series([0, 1], [100, 2], [2000, 2]), 0, 2000)).toEqual({ ms: 1900 });
  });

  it('does not mistake batches acknowledged just before the kill for recovery', () => {
    // Killed at 100; a batch in flight lands at 150, then nothing until 4000.
    const s = series([0, 10], [150, 20], [300, 20], [2000, 20], [4000, 30], [4200, 40]);
    expect(firstProgressAfter(s, 100)).toBe(150);
    expect(resumedAfter(s, 100, 5000)).toEqual({ at: 4000, standstillMs: 3850 });
    // A counter that never paused resumed at its first rise.
    expect(resumedAfter(series([0, 1], [200, 2], [400, 3]), 100, 500)).toEqual({
      at: 200,
      standstillMs: 200,
    });
  });

  it('counts duplicates as extra occurrences of an id', () => {
    expect(occurrences(['a', 'b', 'a', 'c', 'a'])).toEqual({ distinct: 3, duplicated: 2 });
  });
});
