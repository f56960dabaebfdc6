/**
 * The default run-history size, apart from storage/runs so that settings (first load) can
 * name it without pulling the run store, its record schemas and zod into the first load.
 */
export const RUNS_KEPT_PER_GRAPH = 50;
