import { memo } from 'react';
import { thinPoints } from './thin';

const WIDTH = 190;
const HEIGHT = 24;
/** At most one point per two pixels: a long training run still draws a small SVG. */
export const MAX_SPARK_POINTS = WIDTH / 2;

/** A tiny SVG line of the latest values (live training loss on train nodes). */
function SparklineView({ values, label }: { values: number[]; label: string }) {
  const points = thinPoints(values, MAX_SPARK_POINTS).filter((p) => Number.isFinite(p.value));
  if (points.length < 2) return null;
  let min = Infinity;
  let max = -Infinity;
  for (const p of points) {
    if (p.value < min) min = p.value;
    if (p.value > max) max = p.value;
  }
  const span = max - min || 1;
  const step = WIDTH / (values.length - 1);
  const polyline = points.map((p) => `${(p.index * step).toFixed(1)},${(HEIGHT - 2 - ((p.value - min) / span) * (HEIGHT - 4)).toFixed(1)}`).join(' ');
  const last = points[points.length - 1].value;
  return (
    <svg className="sparkline" width={WIDTH} height={HEIGHT} role="img" aria-label={`${label}: ${last.toPrecision(3)}`} data-testid="sparkline">
      <polyline points={polyline} fill="none" stroke="var(--stage-train)" strokeWidth="1.5" />
    </svg>
  );
}

export const Sparkline = memo(SparklineView);
