/**
 * Evenly thins `values` to at most `max` points, always keeping the first and last, so a
 * drawn line keeps its shape and its latest value while its cost stays constant.
 */
export function thinPoints(values: readonly number[], max: number): { index: number; value: number }[] {
  if (!Number.isInteger(max) || max < 2) throw new RangeError(`thinPoints needs max ≥ 2, got ${max}`);
  const n = values.length;
  if (n <= max) return values.map((value, index) => ({ index, value }));
  const picked: { index: number; value: number }[] = [];
  for (let k = 0; k < max; k++) {
    const index = Math.round((k * (n - 1)) / (max - 1));
    picked.push({ index, value: values[index] });
  }
  return picked;
}
