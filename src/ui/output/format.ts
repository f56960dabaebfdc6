/** Numbers as the output views show them: whole numbers as they are, 4 significant-ish decimals, exponents for the very small or large. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e6) ? value.toExponential(2) : value.toFixed(abs < 10 ? 4 : 2);
}
