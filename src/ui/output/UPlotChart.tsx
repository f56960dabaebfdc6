/** uPlot line chart sized to its container; data updates without re-creating the chart. */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export const CHART_COLOURS = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#0891b2', '#be185d', '#4b5563'];

interface Props {
  title?: string;
  xLabel: string;
  names: string[];
  /** [xs, ys1, ys2, …] as uPlot expects. */
  data: (number | null)[][];
  height?: number;
  /** x as a value axis (ROC) rather than time. */
  square?: boolean;
  testId?: string;
  /** One stroke per series (defaults to CHART_COLOURS in order). */
  colours?: string[];
  /** Widest the chart grows to fill its container. */
  maxWidth?: number;
  /** How each series is drawn (default: lines). */
  kinds?: ('line' | 'points' | 'bars')[];
  /** The y axis' label. */
  yLabel?: string;
  /** Fixed ranges (a scatter with both axes on the same scale, a probability axis). */
  xRange?: [number, number];
  yRange?: [number, number];
}

function seriesStyle(kind: 'line' | 'points' | 'bars', colour: string): Partial<uPlot.Series> {
  switch (kind) {
    case 'points':
      return { stroke: colour, fill: colour, width: 0, paths: () => null, points: { show: true, size: 5, stroke: colour, fill: colour } };
    case 'bars':
      return { stroke: colour, fill: `${colour}99`, width: 1, paths: uPlot.paths.bars!({ size: [0.92, Infinity] }), points: { show: false } };
    case 'line':
      return { stroke: colour, width: 1.5, spanGaps: true, points: { show: false } };
  }
}

export function UPlotChart({ title, xLabel, names, data, height = 170, square, testId, colours, maxWidth = 520, kinds, yLabel, xRange, yRange }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const latest = useRef(data);
  const shape = `${names.join('|')}|${colours?.join('|') ?? ''}|${square ? 's' : ''}|${title ?? ''}|${kinds?.join('|') ?? ''}|${yLabel ?? ''}|${xRange?.join(',') ?? ''}|${yRange?.join(',') ?? ''}`;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    // Built in a task of its own, after React's commit: creating a chart (DOM, canvas, axes)
    // is the costliest step of showing one, and must not lengthen the render that mounts it.
    const timer = setTimeout(() => {
      const width = Math.max(240, Math.min(el.clientWidth || 360, maxWidth));
      const options: uPlot.Options = {
        title,
        width: square ? Math.min(width, height + 60) : width,
        height,
        scales: square ? { x: { time: false, range: xRange ?? [0, 1] }, y: { range: yRange ?? [0, 1] } } : { x: { time: false, ...(xRange ? { range: xRange } : {}) }, y: yRange ? { range: yRange } : {} },
        axes: [{ label: xLabel, size: 36 }, yLabel ? { label: yLabel, size: 56 } : { size: 44 }],
        legend: { show: true },
        series: [{ label: xLabel }, ...names.map((name, i) => ({ label: name, ...seriesStyle(kinds?.[i] ?? 'line', colours?.[i] ?? CHART_COLOURS[i % CHART_COLOURS.length]) }))],
      };
      chart.current = new uPlot(options, latest.current as uPlot.AlignedData, el);
    }, 0);
    return () => {
      clearTimeout(timer);
      chart.current?.destroy();
      chart.current = null;
    };
    // Re-created only when the series set changes; data flows through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shape]);

  useEffect(() => {
    latest.current = data;
    chart.current?.setData(data as uPlot.AlignedData);
  }, [data]);

  return <div ref={box} data-testid={testId ?? 'chart'} style={{ minHeight: height }} />;
}
