import uPlot from 'uplot';
import { axisExtent, chartTable, plotOptions, restingIndex, stackedBars, type ChartSpec } from './chart-options';

const money = (v: number) => `$${v.toFixed(2)}`;

// The rep screen's KPI trend: three stacked activity bars and revenue on a second axis.
const trend: ChartSpec = {
  categories: ['W47', 'W48', 'W49'],
  categoryLabel: 'Week',
  left: { label: 'Activities', tick: String, integer: true },
  right: { label: 'Revenue won', tick: (v) => `$${Math.round(v / 1000)}K`, value: money },
  series: [
    { kind: 'bar', label: 'Calls', color: '#111111', stack: true, values: [3, 0, 5] },
    { kind: 'bar', label: 'Emails', color: '#222222', stack: true, values: [2, 1, null] },
    { kind: 'bar', label: 'Meetings', color: '#333333', stack: true, values: [1, 0, 2] },
    { kind: 'line', label: 'Revenue won', color: '#444444', axis: 'right', values: [1500, 0, 12000] },
  ],
};

// A running sprint's burnup: actuals stop today, the committed and ideal lines run to the end.
const burnup: ChartSpec = {
  categories: ['Sun 1', 'Mon 2', 'Tue 3', 'Wed 4'],
  categoryLabel: 'Day',
  left: { tick: String, integer: true },
  series: [
    { kind: 'line', label: 'Actual', color: '#111111', values: [2, 5, null, null] },
    { kind: 'line', label: 'Committed', color: '#222222', values: [20, 20, 20, 20] },
    { kind: 'line', label: 'Ideal', color: '#333333', values: [5, 10, 15, 20] },
  ],
};

describe('chart options', () => {
  it('stacks each bar on the ones before it, a missing value adding nothing', () => {
    const stacks = stackedBars(trend);
    expect(stacks.get(0)).toEqual({ bottom: [0, 0, 0], top: [3, 0, 5] });
    expect(stacks.get(1)).toEqual({ bottom: [3, 0, 5], top: [5, 1, 5] });
    expect(stacks.get(2)).toEqual({ bottom: [5, 1, 5], top: [6, 1, 7] });
    expect(stacks.has(3)).toBe(false);
  });

  it('sizes each axis to the top of its stacks and its own series, from zero', () => {
    expect(axisExtent(trend, 'left')).toEqual([0, 7]);
    expect(axisExtent(trend, 'right')).toEqual([0, 12000]);
  });

  it('reaches an axis minimum such as a completion ratio of 100 %, and never collapses an empty axis', () => {
    const velocity: ChartSpec = {
      categories: ['Nov 1'],
      categoryLabel: 'Sprint',
      left: { tick: String, atLeast: 1 },
      series: [{ kind: 'bar', label: 'Completion', color: '#111111', values: [0.4] }],
    };
    expect(axisExtent(velocity, 'left')).toEqual([0, 1]);
    expect(axisExtent({ ...burnup, series: [] }, 'left')).toEqual([0, 1]);
  });

  it('rests the legend on the last category the first series reached', () => {
    expect(restingIndex(burnup)).toBe(1);
    expect(restingIndex(trend)).toBe(2);
    expect(restingIndex({ ...burnup, series: [] })).toBe(3);
  });

  it("gives screen readers every value in full, with the right axis's format for its series", () => {
    expect(chartTable(trend)).toEqual({
      head: ['Week', 'Calls', 'Emails', 'Meetings', 'Revenue won'],
      rows: [
        ['W47', '3', '2', '1', '$1500.00'],
        ['W48', '0', '1', '0', '$0.00'],
        ['W49', '5', '—', '2', '$12000.00'],
      ],
    });
    expect(chartTable(burnup).rows[3]).toEqual(['Wed 4', '—', '20', '20']);
  });

  it('plots categories by index, with a second scale only when a series uses it', () => {
    const { options, data } = plotOptions(trend, 600, 260);
    expect(data[0]).toEqual([0, 1, 2]);
    expect(data[4]).toEqual([1500, 0, 12000]);
    expect(options.series.map((s) => s.scale)).toEqual([undefined, 'y', 'y', 'y', 'y2']);
    expect(options.axes?.map((a) => a.scale)).toEqual(['x', 'y', 'y2']);

    const single = plotOptions(burnup, 600, 260).options;
    expect(Object.keys(single.scales ?? {})).toEqual(['x', 'y']);
    expect(single.axes).toHaveLength(2);
  });

  it('labels only whole-number ticks with their category, so the axis never reads between two weeks', () => {
    const { options } = plotOptions(trend, 600, 260);
    const values = options.axes?.[0]?.values;
    if (typeof values !== 'function') throw new Error('the category axis formats its own ticks');
    expect(values({} as uPlot, [0, 0.5, 1, 2], 0, 1, 1)).toEqual(['W47', '', 'W48', 'W49']);
  });

  it('shows the resting category in the legend while nothing is hovered, and the hovered one otherwise', () => {
    const { options } = plotOptions(burnup, 600, 260);
    const value = (si: number, raw: number | null, idx: number | null): string | number | undefined => {
      const v = options.series[si]?.value;
      return typeof v === 'function' ? v({} as uPlot, raw as number, si, idx) : v;
    };
    expect(value(0, null, null)).toBe('Mon 2');
    expect(value(1, null, null)).toBe('5');
    expect(value(1, null, 3)).toBe('—');
    expect(value(3, 15, 2)).toBe('15');
  });

  it('pads the value range to round numbers and keeps it at zero below', () => {
    const { options } = plotOptions(trend, 600, 260);
    const range = options.scales?.['y']?.range;
    if (typeof range !== 'function') throw new Error('the value scale has its own range');
    const [min, max] = range({} as uPlot, 0, 7, 'y');
    expect(min).toBe(0);
    expect(max).toBeGreaterThanOrEqual(7);
  });
});
