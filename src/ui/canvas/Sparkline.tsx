import { memo } from 'react';

const WIDTH = 190;
const HEIGHT = 24;

/** A tiny SVG line of the latest values (live training loss on train nodes). */
function SparklineView({ values, label }: { values: number[]; label: string }) {
  const finite = values.filter(Number.isFinite);
  if (finite.length < 2) return null;
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const span = max - min || 1;
  const step = WIDTH / (values.length - 1);
  const points = values
    .map((v, i) => (Number.isFinite(v) ? `${(i * step).toFixed(1)},${(HEIGHT - 2 - ((v - min) / span) * (HEIGHT - 4)).toFixed(1)}` : null))
    .filter(Boolean)
    .join(' ');
  const last = finite[finite.length - 1];
  return (
    <svg className="sparkline" width={WIDTH} height={HEIGHT} role="img" aria-label={`${label}: ${last.toPrecision(3)}`} data-testid="sparkline">
      <polyline points={points} fill="none" stroke="var(--stage-train)" strokeWidth="1.5" />
    </svg>
  );
}

export const Sparkline = memo(SparklineView);
