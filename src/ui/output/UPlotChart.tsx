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
  /** The series legend under the chart: with values under the cursor (default), names only, or none. */
  legend?: boolean | 'names';
}

/**
 * A y axis as wide as its longest tick label (uPlot's fixed default clips long numbers into the
 * plot, where they overlap the lines). The canvas font is the axis's own, as uPlot draws it.
 */
function fitTickLabels(self: uPlot, values: string[] | null, axisIdx: number, cycleNum: number): number {
  const axis = self.axes[axisIdx] as uPlot.Axis & { _size?: number; font?: unknown };
  // uPlot asks again after laying out; the first answer stands (no resize loop).
  if (cycleNum > 1 && axis._size !== undefined) return axis._size;
  const longest = (values ?? []).reduce((a, v) => (v.length > a.length ? v : a), '');
  const font = Array.isArray(axis.font) ? String(axis.font[0]) : '12px system-ui';
  self.ctx.font = font;
  const text = longest ? self.ctx.measureText(longest).width / (window.devicePixelRatio || 1) : 0;
  return Math.ceil(Math.max(36, text + 18));
}

/** Dots only when a line has too few points to be seen (one window of traffic, one epoch). */
const fewPoints = (_self: uPlot, _series: number, first: number, last: number) => last - first < 2;

function seriesStyle(kind: 'line' | 'points' | 'bars', colour: string): Partial<uPlot.Series> {
  switch (kind) {
    case 'points':
      return { stroke: colour, fill: colour, width: 0, paths: () => null, points: { show: true, size: 5, stroke: colour, fill: colour } };
    case 'bars':
      return { stroke: colour, fill: `${colour}99`, width: 1, paths: uPlot.paths.bars!({ size: [0.92, Infinity] }), points: { show: false } };
    case 'line':
      return { stroke: colour, width: 1.5, spanGaps: true, points: { show: fewPoints } };
  }
}

export function UPlotChart({ title, xLabel, names, data, height = 170, square, testId, colours, maxWidth = 520, kinds, yLabel, xRange, yRange, legend = true }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const latest = useRef(data);
  const shape = `${names.join('|')}|${colours?.join('|') ?? ''}|${square ? 's' : ''}|${title ?? ''}|${kinds?.join('|') ?? ''}|${yLabel ?? ''}|${xRange?.join(',') ?? ''}|${yRange?.join(',') ?? ''}|${legend ? String(legend) : ''}`;

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
        axes: [{ label: xLabel, size: 40, labelSize: 18 }, yLabel ? { label: yLabel, size: fitTickLabels } : { size: fitTickLabels }],
        legend: { show: legend !== false, live: legend !== 'names' },
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
