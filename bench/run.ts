/**
 * `npm run bench`: measures Pipeline Studio against baselines in the same run, prints a
 * table with the machine and backend facts, and writes bench/results.json.
 *
 *   npm run bench                 everything (about 9–12 minutes on 2 cores)
 *   npm run bench -- --only 1,6   some figures (numbers as in the table)
 *   npm run bench -- --only 5 --canvas-baseline <dist> [--merge]
 *                                 figure 5 also measures another build (e.g. `git worktree` of the
 *                                 commit before a canvas change, built with `vite build`) in the
 *                                 same run; --merge writes the figures measured into results.json
 *
 * Never part of `npm test`: timings are reported, not asserted.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { PreviewServer } from 'vite';
import { ingestFigure, servingFigure } from './figures/children';
import {
  CHROMIUM_PATH,
  backendsFigure,
  browserIngest,
  buildApp,
  bundleFigure,
  canvasFigure,
  launchChromium,
  responsivenessFigure,
  servePreview,
} from './figures/browser';
import { REPO, accuracyFigure, cacheFigure, services, shippedExamples, startNodeBackend, tensorsInUse, trainingOverheadNode } from './figures/node';
import { largeTrainingFigure } from './figures/large-training';
import { trainingLoopFigure } from './figures/training-loop';
import { tunePoolFigure } from './figures/tune-pool';
import { type Figure, markdownTable, runFigure, textTable, withNumbers } from './lib/report';
import { ms } from './lib/stats';

const TITLES: Record<number, string> = {
  1: 'Training overhead',
  2: 'Backends (Chromium, digits MLP)',
  3: 'Ingest 1,000,000 × 10 CSV',
  4: 'Responsiveness while training',
  5: 'Canvas, 500 nodes / 600 edges',
  6: 'Cache after a late param change',
  7: 'Bundle (production build)',
  8: 'Shipped examples: quality and time',
  9: 'Serving (CLI serve, loopback)',
  10: 'Training loop',
  11: 'Tune on a pool of workers',
  12: 'Training on large tables (20 features, MLP 64→64, 1 epoch, batch 1024)',
};

function parseOnly(argv: string[]): Set<number> {
  const index = argv.indexOf('--only');
  if (index < 0) return new Set(Object.keys(TITLES).map(Number));
  const ids = (argv[index + 1] ?? '').split(',').map(Number);
  if (ids.some((id) => !TITLES[id])) throw new Error(`--only takes figure numbers 1–12 separated by commas, got "${argv[index + 1] ?? ''}"`);
  return new Set(ids);
}

/** The value after `flag` on the command line, or null. */
function option(argv: string[], flag: string): string | null {
  const index = argv.indexOf(flag);
  return index < 0 ? null : (argv[index + 1] ?? null);
}

function chromiumVersion(): string {
  try {
    return execFileSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8', timeout: 20_000 }).trim();
  } catch (error) {
    return `unknown (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
  }
}

async function main(): Promise<void> {
  const only = parseOnly(process.argv.slice(2));
  const started = performance.now();
  const figures: Figure[] = [];
  const want = (id: number) => only.has(id);
  const figure = (id: number, timeoutMs: number, body: (f: Figure) => Promise<void>) => runFigure(id, TITLES[id], timeoutMs, body);

  const backends = await startNodeBackend();
  const nodeBackend = backends.active.name;
  const machine = {
    date: new Date().toISOString(),
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    chromium: chromiumVersion(),
    tfjs: (await import('@tensorflow/tfjs')).version.tfjs,
    nodeBackends: backends.auto.candidates.map((c) => `${c.name}${c.available ? '' : ' (unavailable)'}${c.probeMs !== undefined ? ` probe ${c.probeMs} ms` : ''}`),
    nodeAuto: `${backends.auto.name}: ${backends.auto.reason}`,
    nodeUsed: nodeBackend,
    browserBackends: [] as string[],
    browserAuto: '',
  };
  process.stderr.write(`[bench] ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGB} GB, Node ${machine.node}, ${machine.chromium}; Node backend ${nodeBackend}\n`);

  // Node: training overhead first (it shares figure 1 with the browser row below).
  const overhead = want(1) ? await figure(1, 240_000, (f) => trainingOverheadNode(f, nodeBackend)) : null;
  const ingest = want(3) ? await figure(3, 200_000, (f) => ingestFigure(f, 1_000_000, 180_000)) : null;
  const cache = want(6) ? await figure(6, 120_000, (f) => cacheFigure(f, nodeBackend)) : null;
  const accuracy = want(8) ? await figure(8, 240_000, (f) => accuracyFigure(f, nodeBackend, 60_000)) : null;
  const serving = want(9) ? await figure(9, 120_000, (f) => servingFigure(f, 20, 100_000)) : null;
  const loop = want(10)
    ? await figure(10, 1_200_000, (f) => {
        const graphs = new Map(shippedExamples().map((e) => [e.name, e.graph]));
        return trainingLoopFigure(f, { services: services(nodeBackend), examples: { cnn: graphs.get('digits-cnn')!, mlp: graphs.get('digits-mlp')! } });
      })
    : null;
  const tunePool = want(11)
    ? await figure(11, 900_000, (f) => {
        const example = shippedExamples().find((e) => e.name === 'digits-mlp')!.graph;
        return tunePoolFigure(f, { services: services(nodeBackend), example });
      })
    : null;
  const large = want(12) ? await figure(12, 1_800_000, (f) => largeTrainingFigure(f, [10_000, 100_000, 1_000_000])) : null;
  const leaked = tensorsInUse();

  // Browser: one production build (also measured for the bundle figure), served by vite preview.
  // Partial runs (--only) write the git-ignored results.raw.json, never the committed results.
  const browserWanted = [1, 2, 3, 4, 5, 7].some(want);
  const outDir = mkdtempSync(join(tmpdir(), 'pipeline-studio-bench-'));
  let server: PreviewServer | null = null;
  let url: string | null = null;
  let buildError: string | null = null;
  if (browserWanted) {
    try {
      process.stderr.write('[bench] building the app and the bench page…\n');
      const buildMs = await buildApp(outDir);
      process.stderr.write(`[bench] built in ${ms(buildMs)}\n`);
      ({ server, url } = await servePreview(outDir));
    } catch (error) {
      buildError = error instanceof Error ? error.message : String(error);
      process.stderr.write(`[bench] build/preview failed: ${buildError}\n`);
    }
  }
  const needUrl = async () => {
    if (!url) throw new Error(`no build to measure: ${buildError ?? 'not built'}`);
    // Chromium must start at all: a missing browser is one clear error per figure.
    const probe = await launchChromium();
    await probe.close();
    return url;
  };

  try {
    const bundle = want(7)
      ? await figure(7, 30_000, async (f) => {
          if (!url) throw new Error(`no build to measure: ${buildError ?? 'not built'}`);
          bundleFigure(f, outDir);
        })
      : null;
    let backendsResult: Figure | null = null;
    if (want(1) || want(2)) {
      const target = overhead ?? { id: 1, title: TITLES[1], rows: [], seconds: 0 };
      backendsResult = await figure(2, 330_000, async (f) => {
        const at = await needUrl();
        const runs = await backendsFigure(target, f, at);
        const auto = runs.find((r) => r.preference === 'auto')?.result?.backend;
        const seen = new Map<string, string>();
        for (const run of runs) {
          for (const c of run.result?.backend.candidates ?? []) {
            if (!seen.has(c.name) || c.available) seen.set(c.name, `${c.name}${c.available ? '' : ' (unavailable)'}${c.software ? ' (software)' : ''}${c.note ? `: ${c.note}` : ''}`);
          }
        }
        machine.browserBackends = [...seen.values()];
        machine.browserAuto = auto ? `${auto.name}: ${auto.reason}` : 'unknown';
      });
    }
    if (want(3)) {
      const target = ingest ?? { id: 3, title: TITLES[3], rows: [], seconds: 0 };
      const browserRows = await figure(3, 150_000, async () => browserIngest(target, await needUrl(), 1_000_000));
      if (browserRows.error) target.rows.push(...browserRows.rows.map((r) => ({ ...r, measure: `Chromium worker: ${r.measure}` })));
      if (!ingest) figures.push(target);
    }
    const responsiveness = want(4) ? await figure(4, 120_000, async (f) => responsivenessFigure(f, await needUrl(), 20)) : null;
    const canvas = want(5)
      ? await figure(5, 300_000, async (f) => {
          const at = await needUrl();
          const baselineDir = option(process.argv, '--canvas-baseline');
          if (!baselineDir) return canvasFigure(f, at);
          const baseline = await servePreview(resolve(baselineDir));
          try {
            await canvasFigure(f, at, { url: baseline.url, name: `baseline build (${basename(resolve(baselineDir))})` });
          } finally {
            await baseline.server.close();
          }
        })
      : null;
    if (overhead) figures.push(overhead);
    if (want(2) && backendsResult) figures.push(backendsResult);
    for (const f of [ingest, responsiveness, canvas, cache, bundle, accuracy, serving, loop, tunePool, large]) if (f) figures.push(f);
  } finally {
    await server?.close();
    rmSync(outDir, { recursive: true, force: true });
  }

  withNumbers(figures.sort((a, b) => a.id - b.id));
  const totalSeconds = Math.round((performance.now() - started) / 1000);
  const facts = [
    `Date: ${machine.date.slice(0, 10)} · total bench time ${totalSeconds} s`,
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGB} GB RAM, ${machine.platform}`,
    `Node ${machine.node}, tfjs ${machine.tfjs}; Node backends: ${machine.nodeBackends.join(', ')}; auto → ${machine.nodeAuto}; figures 1/6/8/10/11 ran on ${machine.nodeUsed}`,
    `Chromium: ${machine.chromium} (headless); backends: ${machine.browserBackends.join('; ') || 'not measured'}`,
    `Chromium auto → ${machine.browserAuto || 'not measured'}`,
    `Tensors left in the bench process after the Node figures: ${leaked}`,
  ];
  console.log(`\nPipeline Studio benchmarks\n${facts.join('\n')}\n`);
  console.log(textTable(figures));
  const errors = figures.filter((f) => f.error || f.rows.some((r) => r.product === 'ERROR'));
  if (errors.length > 0) console.log(`\n${errors.length} figure(s) reported errors: ${errors.map((f) => f.id).join(', ')}`);

  const results = { machine, totalSeconds, leakedTensors: leaked, figures, markdown: `${facts.map((f) => `- ${f}`).join('\n')}\n\n${markdownTable(figures)}\n` };
  const complete = only.size === Object.keys(TITLES).length;
  const file = join(REPO, 'bench', complete || process.argv.includes('--merge') ? 'results.json' : 'results.raw.json');
  if (!complete && process.argv.includes('--merge')) {
    // The figures measured now replace theirs in the committed results; the others stay as measured then.
    const kept = JSON.parse(readFileSync(file, 'utf8')) as typeof results & { figures: Figure[] };
    const merged = [...kept.figures.filter((f) => !only.has(f.id)), ...figures].sort((a, b) => a.id - b.id);
    const note = `- Figure(s) ${[...only].join(', ')} re-measured alone on ${machine.date.slice(0, 10)} (${machine.cpu}, ${machine.cores} cores)`;
    const facts = kept.markdown.split('\n\n')[0].split('\n').filter((line) => !line.startsWith('- Figure(s) '));
    writeFileSync(file, `${JSON.stringify({ ...kept, figures: merged, markdown: `${[...facts, note].join('\n')}\n\n${markdownTable(merged)}\n` }, null, 2)}\n`);
  } else {
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  }
  console.log(`\nwrote ${file}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
