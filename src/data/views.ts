import type { Metrics } from './types';

/** What the output panel shows for a node; produced in the worker from cached outputs. */
export type OutputView =
  | {
      kind: 'table';
      title: string;
      rowCount: number;
      columns: { name: string; dtype: string; role?: 'feature' | 'target' }[];
      /** First rows only (≤ a few hundred), already formatted as cell values. */
      rows: (string | number | null)[][];
      partitions?: { train: number; validation: number; test: number };
    }
  | {
      kind: 'stats';
      title: string;
      columns: {
        name: string;
        dtype: string;
        count: number;
        missing: number;
        mean?: number;
        std?: number;
        min?: number;
        max?: number;
        distinct?: number;
        top?: { value: string; count: number }[];
        /** Histogram (numeric) or bar counts (categorical). */
        histogram?: { labels: string[]; counts: number[] };
        /** 25th, 50th and 75th percentiles (numeric), exact or from a sample: see `quantilesFrom`. */
        quartiles?: [number, number, number];
      }[];
      /** Where the quartiles come from: "all 344 rows", or "a 10,000-row sample" of a big table. */
      quantilesFrom?: string;
    }
  | { kind: 'series'; title: string; x: string; series: { name: string; points: [number, number][] }[] }
  | { kind: 'metrics'; title: string; metrics: Metrics }
  | { kind: 'keyvalue'; title: string; entries: [string, string | number][] }
  | { kind: 'transforms'; title: string; steps: { kind: string; fittedOn: string; summary: string }[] }
  | { kind: 'text'; title: string; text: string };
