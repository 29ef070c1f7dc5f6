import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { chartTable, plotOptions, type ChartSpec } from './chart-options';

export { CHART_COLORS, type ChartAxis, type ChartSeries, type ChartSpec } from './chart-options';

/**
 * A uPlot chart that follows its container's width. The canvas is an image to assistive technology
 * (named by `label`); a visually hidden table beside it carries the same numbers for screen readers.
 */
export function Chart({ spec, label, height = 280, testId }: { spec: ChartSpec; label: string; height?: number; testId?: string }) {
  const host = useRef<HTMLDivElement>(null);
  // Screens build a new spec on every render (a live KPI event, the board's 5 s refresh): the plot is
  // rebuilt only when what it shows changed. The formatters drop out of the JSON, but they follow the
  // language and zone that the labels and categories already carry.
  const key = JSON.stringify(spec);
  const shown = useMemo(() => spec, [key]);
  const table = useMemo(() => chartTable(shown), [shown]);

  // A changed spec rebuilds the plot: series, axes and stacks may all differ, and rebuilding a few
  // dozen points costs less than working out which of them did.
  useEffect(() => {
    const el = host.current;
    if (!el) return undefined;
    const width = () => Math.max(120, Math.floor(el.clientWidth));
    const { options, data } = plotOptions(shown, width(), height);
    const plot = new uPlot(options, data, el);
    const observer = new ResizeObserver(() => {
      if (width() !== plot.width) plot.setSize({ width: width(), height });
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [shown, height]);

  return (
    <figure className="chart" data-testid={testId} style={{ margin: 0 }}>
      <div ref={host} role="img" aria-label={label} style={{ minHeight: height }} />
      <table className="sr-only">
        <caption>{label}</caption>
        <thead>
          <tr>
            {table.head.map((h, i) => (
              <th key={i} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map(([category, ...cells], r) => (
            <tr key={r}>
              <th scope="row">{category}</th>
              {cells.map((c, i) => (
                <td key={i}>{c}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
