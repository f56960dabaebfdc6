import { useEffect, useState } from 'react';
import { errorMessage } from '../../engine/errors';

/** Loads `load()` again whenever `deps` change; keeps the last result while reloading. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): { value: T | undefined; error: string | null } {
  const [state, setState] = useState<{ value: T | undefined; error: string | null }>({ value: undefined, error: null });
  useEffect(() => {
    let alive = true;
    load().then(
      (value) => alive && setState({ value, error: null }),
      (error: unknown) => alive && setState((s) => ({ value: s.value, error: errorMessage(error) })),
    );
    return () => {
      alive = false;
    };
    // The caller lists what the loader depends on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return state;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
