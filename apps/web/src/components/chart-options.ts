import uPlot from 'uplot';

/** One value per category; `null` is a gap (a day that has not happened yet). */
export type ChartValues = readonly (number | null)[];

export interface ChartSeries {
  label: string;
  kind: 'bar' | 'line';
  values: ChartValues;
  color: string;
  /** Which value axis the series is read against; the right one exists only when a series uses it. */
  axis?: 'left' | 'right';
  /** Bars drawn on top of the earlier stacked bars of the same axis. */
  stack?: boolean;
  /** Canvas dash pattern of a line, in CSS pixels. */
  dash?: number[];
  /** A soft fill under a line. */
  area?: boolean;
  /** Dots on a line's values. */
  points?: boolean;
}

export interface ChartAxis {
  /** The axis title, drawn beside it. */
  label?: string;
  /** A tick label (may be compact: "$12K"). */
  tick: (v: number) => string;
  /** A value in full, for the legend and the screen readers' table; the tick format when absent. */
  value?: (v: number) => string;
  /** Ticks on whole numbers only (counts). */
  integer?: boolean;
  /** The axis reaches at least this value (a completion ratio's 100 %). */
  atLeast?: number;
}

/** What a chart shows, already formatted for the reader: categories are tenant-zone labels. */
export interface ChartSpec {
  categories: readonly string[];
  /** The categories' column heading in the screen readers' table ("Week", "Day", "Sprint"). */
  categoryLabel: string;
  series: readonly ChartSeries[];
  left: ChartAxis;
  right?: ChartAxis;
}

export const CHART_COLORS = ['#4338ca', '#0d9488', '#d97706', '#db2777', '#64748b'];

// Canvas text cannot inherit the page's CSS, so the app's font and muted ink are repeated here.
const FONT_FAMILY = "Inter, ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
const AXIS_FONT = `12px ${FONT_FAMILY}`;
const AXIS_LABEL_FONT = `600 12px ${FONT_FAMILY}`;
const INK = '#4b5563';
const GRID = '#e5e7eb';

// Steps between category labels: every one, else every 2nd, 3rd, ... (a week of days, a fortnight).
const CATEGORY_STEPS = [1, 2, 3, 4, 5, 7, 10, 14, 20, 28, 50, 100];
const INTEGER_STEPS = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10].flatMap((m) => [m, 2 * m, 5 * m]);

function axisOf(spec: ChartSpec, s: ChartSeries): ChartAxis {
  return s.axis === 'right' && spec.right ? spec.right : spec.left;
}

/**
 * The bottom and top of each stacked bar: a stacked series starts where the stack of the same axis
 * below it ended. Non-stacked series are absent (they are drawn from zero).
 */
export function stackedBars(spec: ChartSpec): Map<number, { bottom: number[]; top: number[] }> {
  const result = new Map<number, { bottom: number[]; top: number[] }>();
  const running: Record<'left' | 'right', number[]> = { left: spec.categories.map(() => 0), right: spec.categories.map(() => 0) };
  spec.series.forEach((s, i) => {
    if (s.kind !== 'bar' || !s.stack) return;
    const base = running[s.axis ?? 'left'];
    const bottom = [...base];
    const top = bottom.map((b, k) => b + (s.values[k] ?? 0));
    running[s.axis ?? 'left'] = top;
    result.set(i, { bottom, top });
  });
  return result;
}

/** The value range an axis must show: zero, every value (stacks at their top) and its `atLeast`. */
export function axisExtent(spec: ChartSpec, side: 'left' | 'right'): [number, number] {
  const stacks = stackedBars(spec);
  let min = 0;
  let max = (side === 'left' ? spec.left : spec.right)?.atLeast ?? 0;
  spec.series.forEach((s, i) => {
    if ((s.axis ?? 'left') !== side) return;
    for (const v of stacks.get(i)?.top ?? s.values) {
      if (v === null) continue;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  });
  // An empty chart still gets a readable 0..1 axis rather than a collapsed one.
  return [min, max === min ? min + 1 : max];
}

/** The category the legend shows while no pointer is over the chart: the last one the first series reached. */
export function restingIndex(spec: ChartSpec): number {
  const first = spec.series[0]?.values ?? [];
  for (let i = Math.min(first.length, spec.categories.length) - 1; i >= 0; i -= 1) if (first[i] !== null && first[i] !== undefined) return i;
  return Math.max(0, spec.categories.length - 1);
}

/** The screen readers' table: one row per category, one formatted cell per series. */
export function chartTable(spec: ChartSpec): { head: string[]; rows: string[][] } {
  return {
    head: [spec.categoryLabel, ...spec.series.map((s) => s.label)],
    rows: spec.categories.map((c, i) => [
      c,
      ...spec.series.map((s) => {
        const v = s.values[i];
        const axis = axisOf(spec, s);
        return v === null || v === undefined ? '—' : (axis.value ?? axis.tick)(v);
      }),
    ]),
  };
}

// uPlot sizes an axis once for its widest label, so long localized money ticks are never clipped.
function axisSize(self: uPlot, values: string[] | null): number {
  const longest = (values ?? []).reduce((a, v) => (v.length > a.length ? v : a), '');
  self.ctx.font = AXIS_FONT;
  return Math.ceil(self.ctx.measureText(longest).width / uPlot.pxRatio) + 16;
}

function valueAxis(axis: ChartAxis, scale: string, side: 1 | 3): uPlot.Axis {
  return {
    scale,
    side,
    stroke: INK,
    font: AXIS_FONT,
    labelFont: AXIS_LABEL_FONT,
    label: axis.label,
    labelSize: axis.label ? 20 : 0,
    ticks: { show: false },
    grid: side === 3 ? { stroke: GRID, width: 1 } : { show: false },
    incrs: axis.integer ? INTEGER_STEPS : undefined,
    values: (_u, splits) => splits.map((v) => axis.tick(v)),
    size: axisSize,
    space: 32,
  };
}

/** uPlot's options and aligned data for a spec at a size; x values are the category indices. */
export function plotOptions(spec: ChartSpec, width: number, height: number): { options: uPlot.Options; data: uPlot.AlignedData } {
  const n = spec.categories.length;
  const stacks = stackedBars(spec);
  const rest = restingIndex(spec);
  const longestCategory = spec.categories.reduce((a, c) => Math.max(a, c.length), 0);
  const hasRight = spec.right !== undefined && spec.series.some((s) => s.axis === 'right');
  const range = (side: 'left' | 'right'): uPlot.Scale.Range => {
    const [min, max] = axisExtent(spec, side);
    return () => uPlot.rangeNum(min, max, 0.1, true);
  };

  const series: uPlot.Series[] = [
    {
      label: spec.categoryLabel,
      value: (_u, _v, _s, idx) => spec.categories[idx ?? rest] ?? '',
    },
    ...spec.series.map((s, i): uPlot.Series => {
      const axis = axisOf(spec, s);
      const stack = stacks.get(i);
      const common: uPlot.Series = {
        label: s.label,
        scale: s.axis === 'right' && hasRight ? 'y2' : 'y',
        // At rest the legend reads the resting category, so the figures are there without hovering.
        value: (_u, v, _s, idx) => {
          const shown = idx === null ? s.values[rest] : v;
          return shown === null || shown === undefined ? '—' : (axis.value ?? axis.tick)(shown);
        },
      };
      if (s.kind === 'bar') {
        return {
          ...common,
          fill: s.color,
          stroke: s.color,
          width: 0,
          points: { show: false },
          paths: uPlot.paths.bars?.({
            size: [0.6, 56],
            disp: stack
              ? {
                  y0: { unit: 1, values: () => stack.bottom },
                  y1: { unit: 1, values: () => stack.top },
                }
              : undefined,
          }),
        };
      }
      return {
        ...common,
        stroke: s.color,
        width: 2,
        dash: s.dash,
        fill: s.area ? `${s.color}1f` : undefined,
        spanGaps: false,
        points: { show: s.points === true, size: 6, fill: s.color },
      };
    }),
  ];

  const options: uPlot.Options = {
    width,
    height,
    series,
    legend: { show: true, live: true },
    cursor: {
      // A horizontal hair would read against one of two value axes only; the legend gives the values.
      y: false,
      drag: { x: false, y: false, setScale: false },
      // A hover dot on a stacked bar would sit at its own value, not at the top of its slice.
      points: { size: (_u, si) => (spec.series[si - 1]?.kind === 'bar' ? 0 : 8) },
    },
    scales: {
      x: { time: false, range: () => [-0.5, n - 0.5] },
      y: { range: range('left') },
      ...(hasRight ? { y2: { range: range('right') } } : {}),
    },
    axes: [
      {
        scale: 'x',
        stroke: INK,
        font: AXIS_FONT,
        grid: { show: false },
        ticks: { show: false },
        incrs: CATEGORY_STEPS,
        // Room for the longest label (about 7 px a character) before labels are skipped.
        space: longestCategory * 7 + 12,
        values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? (spec.categories[v] ?? '') : '')),
      },
      valueAxis(spec.left, 'y', 3),
      ...(hasRight && spec.right ? [valueAxis(spec.right, 'y2', 1)] : []),
    ],
  };

  const data: uPlot.AlignedData = [spec.categories.map((_, i) => i), ...spec.series.map((s) => spec.categories.map((_, i) => s.values[i] ?? null))];
  return { options, data };
}
