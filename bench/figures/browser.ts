/**
 * Figures measured in headless Chromium against the production build: the bench page
 * (bench/browser, its own worker with the app's engine and backend code) for training and
 * ingest, and the real editor for responsiveness and the canvas.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { serializeGraph } from '../../src/engine/graph-file';
import type { Graph } from '../../src/engine/graph';
import { validateGraph } from '../../src/engine/validate';
import { createRegistry } from '../../src/nodes';
import type { BackendName } from '../../src/runtime/protocol';
import type { BenchRequest, BenchResult, IngestResult, TrainResult } from '../browser/protocol';
import { analyseBuild } from '../lib/bundle';
import { bigCanvasGraph } from '../lib/canvas-graph';
import type { Figure, RowNumbers } from '../lib/report';
import { bytes, ms, percentile, ratio, round } from '../lib/stats';
import { DIGITS_MLP, digitsTrainingGraph } from '../lib/training';
import { REPO } from './node';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const BENCH_BASE = '/bench-page/';

/** Production build of the app (the repo's vite.config.ts), plus the bench page beside it. */
export async function buildApp(outDir: string): Promise<number> {
  const started = performance.now();
  await build({ root: REPO, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  await build({
    configFile: false,
    root: join(REPO, 'bench', 'browser'),
    base: BENCH_BASE,
    publicDir: false,
    logLevel: 'warn',
    worker: { format: 'es' },
    build: { outDir: join(outDir, 'bench-page'), emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 8000 },
  });
  return performance.now() - started;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** `vite preview` of the build on a free loopback port, with the app's CSP headers. */
export async function servePreview(outDir: string): Promise<{ url: string; server: PreviewServer }> {
  const port = await freePort();
  const server = await preview({ root: REPO, logLevel: 'warn', build: { outDir }, preview: { port, strictPort: true, host: '127.0.0.1', open: false } });
  return { url: `http://127.0.0.1:${port}`, server };
}

export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

async function openBenchPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (error) => process.stderr.write(`[bench page] ${error.message}\n`));
  await page.goto(`${url}${BENCH_BASE}index.html`);
  await page.waitForFunction(() => (globalThis as { pipelineBench?: { ready: boolean } }).pipelineBench?.ready === true);
  return page;
}

async function benchRequest<T extends BenchResult>(page: Page, request: BenchRequest): Promise<T> {
  const result = await page.evaluate((r) => (globalThis as unknown as { pipelineBench: { run(r: unknown): Promise<unknown> } }).pipelineBench.run(r), request);
  const typed = result as BenchResult;
  if (typed.kind === 'error') throw new Error(typed.message);
  return typed as T;
}

export interface BackendRun {
  preference: BackendName | 'auto';
  epochsRun: number;
  result: TrainResult | null;
  /** Train node time scaled to the full epoch count (equal to the measurement when not scaled). */
  fullEpochsMs: number;
  error?: string;
}

/** Software-rendered GPU backends run far slower: fewer epochs, scaled per epoch. */
const SHORT_EPOCHS = 3;
/** cpu is ~4× slower than wasm here: 20 epochs, scaled, keeps the whole bench under 10 minutes. */
const CPU_EPOCHS = 20;

/**
 * Figures 1 (browser row) and 2: every backend in a fresh bench worker, digits MLP(64,32),
 * batch 32, 50 epochs (3 for WebGL/WebGPU, scaled), then "auto" from a cold worker.
 */
export async function backendsFigure(overhead: Figure, backends: Figure, url: string): Promise<BackendRun[]> {
  const runs: BackendRun[] = [];
  const plan: { preference: BackendName | 'auto'; epochs: number; webgpuFlag: boolean }[] = [
    { preference: 'wasm', epochs: DIGITS_MLP.epochs, webgpuFlag: false },
    { preference: 'cpu', epochs: CPU_EPOCHS, webgpuFlag: false },
    { preference: 'webgl', epochs: SHORT_EPOCHS, webgpuFlag: false },
    { preference: 'webgpu', epochs: SHORT_EPOCHS, webgpuFlag: true },
    { preference: 'auto', epochs: DIGITS_MLP.epochs, webgpuFlag: false },
  ];
  let plain: Browser | null = null;
  let webgpu: Browser | null = null;
  try {
    for (const step of plan) {
      const run: BackendRun = { preference: step.preference, epochsRun: step.epochs, result: null, fullEpochsMs: Number.NaN };
      runs.push(run);
      try {
        const browser = step.webgpuFlag ? (webgpu ??= await launchChromium(['--enable-unsafe-webgpu'])) : (plain ??= await launchChromium());
        const page = await openBenchPage(browser, url);
        try {
          process.stderr.write(`[bench] backend ${step.preference}, ${step.epochs} epochs…\n`);
          const result = await benchRequest<TrainResult>(page, { kind: 'train', preference: step.preference, epochs: step.epochs, withBaseline: step.preference === 'wasm' });
          run.result = result;
          if (result.unavailable) run.error = `not available: ${result.unavailable}`;
          else run.fullEpochsMs = (result.pipelineTrainNodeMs! / step.epochs) * DIGITS_MLP.epochs;
        } finally {
          await page.close();
        }
      } catch (error) {
        run.error = error instanceof Error ? error.message.split('\n')[0] : String(error);
      }
    }
  } finally {
    await plain?.close();
    await webgpu?.close();
  }

  const wasm = runs.find((r) => r.preference === 'wasm');
  const comparison = wasm?.result?.comparison;
  if (comparison) {
    overhead.rows.push({
      measure: `Chromium worker (${comparison.backend}): Train node vs hand-written model.fit`,
      product: ms(comparison.pipelineTrainNodeMs),
      baseline: ms(comparison.handWrittenMs),
      ratio: ratio(comparison.ratio),
      note: `same rows/model/batch/epochs; final train acc ${round(comparison.pipelineAccuracy, 3)} vs ${round(comparison.handWrittenAccuracy, 3)}`,
    });
  } else {
    overhead.rows.push({ measure: 'Chromium worker (wasm): Train node vs hand-written model.fit', product: 'ERROR', note: wasm?.error ?? 'no result' });
  }

  const measured = runs.filter((r) => r.preference !== 'auto' && Number.isFinite(r.fullEpochsMs));
  const best = measured.reduce<BackendRun | null>((b, r) => (!b || r.fullEpochsMs < b.fullEpochsMs ? r : b), null);
  for (const run of runs.filter((r) => r.preference !== 'auto')) {
    const candidate = run.result?.backend.candidates.find((c) => c.name === run.preference);
    const software = candidate?.software ? `software (${candidate.note ?? ''})` : (candidate?.note ?? '');
    if (!Number.isFinite(run.fullEpochsMs)) {
      backends.rows.push({ measure: run.preference, product: 'n/a', note: run.error ?? 'no result' });
      continue;
    }
    const scaled = run.epochsRun !== DIGITS_MLP.epochs;
    backends.rows.push({
      measure: `${run.preference}: Train node, ${DIGITS_MLP.epochs} epochs${scaled ? ` (measured ${run.epochsRun}, scaled per epoch)` : ''}`,
      product: ms(run.fullEpochsMs),
      baseline: best ? `${best.preference} ${ms(best.fullEpochsMs)}` : undefined,
      ratio: best ? ratio(run.fullEpochsMs / best.fullEpochsMs) : undefined,
      note: [scaled ? `${ms(run.result!.pipelineTrainNodeMs)} for ${run.epochsRun} epochs after a 1-epoch warm-up` : 'after a 1-epoch warm-up', software].filter(Boolean).join('; '),
    });
  }
  const auto = runs.find((r) => r.preference === 'auto');
  if (auto?.result && best) {
    const total = auto.fullEpochsMs + auto.result.initMs;
    backends.rows.push({
      measure: `auto → ${auto.result.backend.name} (fresh worker: detect + probe ${ms(auto.result.initMs)} + training)`,
      product: ms(total),
      baseline: `best: ${best.preference} ${ms(best.fullEpochsMs)}`,
      ratio: ratio(total / best.fullEpochsMs),
      note: auto.result.backend.reason,
    });
  } else {
    backends.rows.push({ measure: 'auto', product: 'ERROR', note: auto?.error ?? 'no best backend measured' });
  }
  backends.data = runs.map((r) => ({ ...r, result: r.result ? { ...r.result, comparison: undefined } : null }));
  overhead.data = { ...(overhead.data as object), browser: comparison ?? null };
  return runs;
}

/** Resident memory of a process now and its peak since the last reset (Linux /proc), in bytes. */
function processMemory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** The page's renderer processes (the workers run in them), through the browser's DevTools protocol. */
async function rendererPids(browser: Browser): Promise<number[]> {
  const session = await browser.newBrowserCDPSession();
  try {
    const info = (await session.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
    return info.processInfo.filter((p) => p.type === 'renderer').map((p) => p.id);
  } finally {
    await session.detach();
  }
}

/**
 * Runs one ingest request and measures the renderer's peak resident memory above where it
 * stood before (the peak mark is reset first: /proc/<pid>/clear_refs).
 */
async function ingestWithMemory(browser: Browser, page: Page, request: Extract<BenchRequest, { kind: 'ingest' }>): Promise<{ result: IngestResult; peakBytes: number }> {
  const pids = await rendererPids(browser);
  const before = new Map<number, number>();
  for (const pid of pids) {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    before.set(pid, processMemory(pid).rss);
  }
  const result = await benchRequest<IngestResult>(page, request);
  let peakBytes = 0;
  for (const pid of pids) peakBytes = Math.max(peakBytes, processMemory(pid).peak - before.get(pid)!);
  return { result, peakBytes };
}

/** One ingest in a browser of its own, so the renderer starts idle and no earlier run's garbage counts. */
async function ingestInFreshBrowser(url: string, rows: number, mode: 'papaparse' | 'ours'): Promise<{ fileBytes: number; result: IngestResult; peakBytes: number }> {
  const browser = await launchChromium();
  try {
    const page = await openBenchPage(browser, url);
    const fileBytes = await page.evaluate((n) => (globalThis as unknown as { pipelineBench: { prepareIngest(n: number): number } }).pipelineBench.prepareIngest(n), rows);
    return { fileBytes, ...(await ingestWithMemory(browser, page, { kind: 'ingest', rows, mode })) };
  } finally {
    await browser.close();
  }
}

/**
 * Figure 3, browser rows: the data.file node's load of a picked file (streamed parse with the
 * hash and the IndexedDB store of its row groups on the same pass) vs PapaParse alone (the file's text →
 * row arrays), on the same generated file, each run in a fresh browser; run twice, alternating,
 * the faster of each kept for time. Peak memory: the renderer's resident memory above where it
 * stood before the load, the highest of the runs (a peak is a worst case, not a best one).
 */
export async function browserIngest(figure: Figure, url: string, rows: number, repeats = 2): Promise<void> {
  const runs: { mode: string; result: IngestResult; peakBytes: number }[] = [];
  let fileBytes = 0;
  for (let i = 0; i < repeats; i++) {
    for (const mode of ['papaparse', 'ours'] as const) {
      const run = await ingestInFreshBrowser(url, rows, mode);
      fileBytes = run.fileBytes;
      runs.push({ mode, result: run.result, peakBytes: run.peakBytes });
      process.stderr.write(`[bench] ingest ${mode}: ${ms(run.result.totalMs)}, peak +${bytes(run.peakBytes)}\n`);
    }
  }
  const of = (mode: string) => runs.filter((r) => r.mode === mode);
  const fastest = (mode: string) => of(mode).reduce((a, b) => (b.result.totalMs < a.result.totalMs ? b : a));
  const highestPeak = (mode: string) => Math.max(...of(mode).map((r) => r.peakBytes));
  const ours = fastest('ours');
  const papa = fastest('papaparse');
  const oursPeak = highestPeak('ours');
  const papaPeak = highestPeak('papaparse');
  const megabytes = fileBytes / 2 ** 20;
  figure.data = { ...(figure.data as object), browser: { fileBytes, runs } };
  figure.rows.push({
    measure: `Chromium worker: data.file load of a ${megabytes.toFixed(1)} MB CSV (streamed parse + sha-256 + IndexedDB store of the row groups as they are parsed) vs PapaParse alone (file text → row arrays)`,
    product: ms(ours.result.totalMs),
    baseline: ms(papa.result.totalMs),
    ratio: ratio(ours.result.totalMs / papa.result.totalMs),
    note: `parse + hash + store ${ms(ours.result.parseMs)}, then listing the entry ${ms(ours.result.storeMs)}; best of ${repeats} each, alternating, a fresh browser each; ${ours.result.storedRows.toLocaleString('en')} rows stored; target ≤ 1.3×`,
    numbers: { value: Math.round(ours.result.totalMs), unit: 'ms', baseline: 'PapaParse alone', baselineValue: Math.round(papa.result.totalMs), ratio: round(ours.result.totalMs / papa.result.totalMs, 3) },
  });
  const peakMB = oursPeak / 2 ** 20;
  figure.rows.push({
    measure: 'Chromium: peak renderer memory above idle during that load, vs the file size',
    product: `${peakMB.toFixed(0)} MB`,
    baseline: `${megabytes.toFixed(1)} MB (file)`,
    ratio: ratio(oursPeak / fileBytes),
    note: `highest of ${repeats} runs (${of('ours').map((r) => `+${(r.peakBytes / 2 ** 20).toFixed(0)}`).join(', ')} MB); PapaParse alone peaked at +${(papaPeak / 2 ** 20).toFixed(0)} MB (${ratio(papaPeak / fileBytes)} the file); resident set high-water mark (VmHWM) of the renderer process; target ≤ 3×`,
    numbers: { value: Math.round(peakMB), unit: 'MB', baseline: 'file size', baselineValue: round(megabytes, 1), ratio: round(oursPeak / fileBytes, 3) },
  });
}

async function importGraph(page: Page, graph: Graph, expectedNodes: number): Promise<number> {
  const text = serializeGraph(graph, createRegistry());
  const started = Date.now();
  await page.getByTestId('import-file').setInputFiles({ name: `${graph.id}.json`, mimeType: 'application/json', buffer: Buffer.from(text) });
  // The graph is open when the status bar counts its nodes and they are drawn: all of them, or
  // (a canvas that renders only what is on screen) at least one, with none still unmeasured.
  await page.getByText(`${expectedNodes} nodes`, { exact: true }).waitFor({ timeout: 60_000 });
  await page.waitForFunction(
    (n) => {
      const drawn = document.querySelectorAll('.react-flow__node');
      const pending = document.querySelectorAll('.react-flow__node[style*="visibility: hidden"]');
      return drawn.length > 0 && drawn.length <= n && pending.length === 0;
    },
    expectedNodes,
    { timeout: 60_000 },
  );
  // One more frame so the imported nodes have painted.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  return Date.now() - started;
}

async function openEditor(browser: Browser, url: string, search = ''): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (error) => process.stderr.write(`[app] ${error.message}\n`));
  await page.goto(`${url}/${search}`);
  await page.getByTestId('canvas').waitFor({ state: 'visible', timeout: 60_000 });
  return page;
}

interface LongTasks {
  count: number;
  totalMs: number;
  maxMs: number;
}

/** Counts main-thread long tasks (> 50 ms) for `seconds`, through PerformanceObserver('longtask'). */
function observeLongTasks(page: Page, seconds: number): Promise<LongTasks> {
  return page.evaluate(
    (duration) =>
      new Promise<LongTasks>((resolve) => {
        const tasks: number[] = [];
        const observer = new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) tasks.push(entry.duration);
        });
        observer.observe({ type: 'longtask' });
        setTimeout(() => {
          for (const entry of observer.takeRecords()) tasks.push(entry.duration);
          observer.disconnect();
          resolve({ count: tasks.length, totalMs: tasks.reduce((s, d) => s + d, 0), maxMs: Math.max(0, ...tasks) });
        }, duration * 1000);
      }),
    seconds,
  );
}

/** Figure 4: long tasks on the main thread while the app trains for ~20 s, vs the same editor idle. */
export async function responsivenessFigure(figure: Figure, url: string, seconds: number): Promise<void> {
  const browser = await launchChromium();
  try {
    const page = await openEditor(browser, url);
    // Many epochs so training outlasts the window; cancelled afterwards.
    const graph = digitsTrainingGraph({ ...DIGITS_MLP, epochs: 5000 });
    await importGraph(page, graph, graph.nodes.length);
    const idle = await observeLongTasks(page, 5);
    await page.getByTestId('run').click();
    const train = page.locator('[data-node-type="train.fit"]').getByTestId('node-status');
    await train.and(page.locator('[data-status="running"]')).waitFor({ timeout: 60_000 });
    const training = await observeLongTasks(page, seconds);
    const stillRunning = await train.getAttribute('data-status');
    // A window the run did not outlast reads as a different figure: say why instead of timing out on Cancel.
    if (stillRunning === 'running') await page.getByTestId('cancel').click();
    else process.stderr.write(`[bench] 4: training ended inside the window (${stillRunning}): ${await page.getByTestId('run-status').textContent()}\n`);
    figure.data = { idle, training, windowSeconds: seconds, trainStatusAtEnd: stillRunning };
    figure.rows.push({
      measure: `long tasks (> 50 ms) on the main thread while training ${seconds} s (digits MLP, worker)`,
      product: `${training.count} (total ${ms(training.totalMs)}, max ${ms(training.maxMs)})`,
      baseline: `idle editor, 5 s: ${idle.count}`,
      note: `train node status at the end of the window: ${stillRunning}`,
    });
  } finally {
    await browser.close();
  }
}

/** Records requestAnimationFrame intervals while `action` runs. */
async function frameTimes(page: Page, action: () => Promise<void>): Promise<number[]> {
  // A string, not a function: tsx's name helpers (__name) do not exist in the page.
  await page.evaluate(`(() => {
    const state = globalThis;
    state.benchFrames = [];
    state.benchFramesOn = true;
    let last = 0;
    const tick = (now) => {
      state.benchFrames.push(now - last);
      last = now;
      if (state.benchFramesOn) requestAnimationFrame(tick);
    };
    requestAnimationFrame((now) => {
      last = now;
      requestAnimationFrame(tick);
    });
  })()`);
  await action();
  return page.evaluate(() => {
    const state = globalThis as unknown as { benchFrames: number[]; benchFramesOn: boolean };
    state.benchFramesOn = false;
    return state.benchFrames;
  });
}

/** A point on the empty pane (not a node, edge or control) inside the canvas. */
async function emptyPanePoint(page: Page): Promise<{ x: number; y: number }> {
  const point = await page.evaluate(() => {
    const pane = document.querySelector('.react-flow__pane');
    if (!pane) return null;
    const box = pane.getBoundingClientRect();
    for (let fy = 0.1; fy < 0.95; fy += 0.05) {
      for (let fx = 0.1; fx < 0.95; fx += 0.05) {
        const x = box.left + box.width * fx;
        const y = box.top + box.height * fy;
        if (document.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) return { x, y };
      }
    }
    return null;
  });
  if (!point) throw new Error('no empty spot on the pane to pan from');
  return point;
}

async function sweep(page: Page, from: { x: number; y: number }, steps: number): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  for (let i = 1; i <= steps; i++) {
    // A slow circle-ish path: the pointer keeps moving every frame or so.
    await page.mouse.move(from.x + 120 * Math.sin(i / 15), from.y + 80 * Math.sin(i / 23));
  }
  await page.mouse.up();
}

/** The canvas zoom, from React Flow's viewport transform. */
function canvasZoom(page: Page): Promise<number> {
  return page.locator('.react-flow__viewport').evaluate((el) => new DOMMatrixReadOnly(getComputedStyle(el).transform).a);
}

/** The zoom the canvas is measured at: node details drawn (above the semantic-zoom threshold, 0.45), as a user editing would see them. */
const CANVAS_BENCH_ZOOM = 0.5;

/**
 * A node wholly inside the canvas, nearest its centre, and the centre of its header: the
 * node dragged. (Not a fixed index: which nodes are on screen depends on the opening viewport.)
 */
async function nodeToDrag(page: Page): Promise<{ id: string; x: number; y: number }> {
  const found = await page.evaluate(() => {
    const pane = document.querySelector('.react-flow__pane')!.getBoundingClientRect();
    const cx = pane.left + pane.width / 2;
    const cy = pane.top + pane.height / 2;
    let best: { id: string; x: number; y: number; d: number } | null = null;
    for (const node of document.querySelectorAll<HTMLElement>('.react-flow__node')) {
      const box = node.getBoundingClientRect();
      if (box.left < pane.left || box.top < pane.top || box.right > pane.right || box.bottom > pane.bottom) continue;
      const x = box.left + box.width / 2;
      const y = box.top + Math.min(12, box.height / 4);
      if (!node.contains(document.elementFromPoint(x, y))) continue;
      const d = Math.hypot(x - cx, y - cy);
      if (!best || d < best.d) best = { id: node.dataset.id ?? '', x, y, d };
    }
    return best;
  });
  if (!found) throw new Error('no node wholly on screen to drag');
  return found;
}

interface CanvasRun {
  loadMs: number;
  zoom: number;
  idleFrames: number[];
  drag: number[];
  pan: number[];
}

/** Opens the editor at `url`, imports the big graph, zooms to CANVAS_BENCH_ZOOM, then drags one node and pans. */
async function measureCanvas(browser: Browser, url: string, graph: Graph): Promise<CanvasRun> {
  const page = await openEditor(browser, url);
  const idleFrames = await frameTimes(page, () => page.waitForTimeout(1500));
  const loadMs = await importGraph(page, graph, graph.nodes.length);
  // The same zoom in every build measured, whatever zoom a build opens a big graph at.
  const zoomIn = page.getByRole('button', { name: 'Zoom In' });
  const zoomOut = page.getByRole('button', { name: 'Zoom Out' });
  for (let i = 0; i < 10 && Math.abs((await canvasZoom(page)) - CANVAS_BENCH_ZOOM) > 0.05; i++) {
    await ((await canvasZoom(page)) < CANVAS_BENCH_ZOOM ? zoomIn : zoomOut).click();
    await page.waitForTimeout(300);
  }
  const zoom = await canvasZoom(page);
  await page.waitForTimeout(500);
  const target = await nodeToDrag(page);
  const dragged = page.locator(`.react-flow__node[data-id="${target.id}"]`);
  const before = await dragged.boundingBox();
  const drag = await frameTimes(page, () => sweep(page, target, 240));
  const after = await dragged.boundingBox();
  // The sweep ends away from where it started, so a dragged node must have moved.
  if (!before || !after || (Math.abs(after.x - before.x) < 2 && Math.abs(after.y - before.y) < 2)) throw new Error('the node did not move while dragging');
  const pan = await frameTimes(page, async () => sweep(page, await emptyPanePoint(page), 240));
  await page.close();
  return { loadMs, zoom, idleFrames, drag, pan };
}

/**
 * Intervals that missed at least one display frame: over 1.5 times the idle editor's median
 * interval (the display's frame). On-time intervals jitter around it by tenths of a millisecond.
 */
function missedFrames(frames: number[], idle: number[]): number {
  const frame = percentile(idle, 0.5);
  return frames.filter((f) => f > 1.5 * frame).length;
}

/** A frame-time row as numbers: the p95 after, against the p95 of the baseline build when there is one (else the idle editor's p50). */
function frameNumbers(after: number[], before: number[] | null, idle: number[], baselineName: string): RowNumbers {
  const value = Math.round(percentile(after, 0.95) * 10) / 10;
  if (!before) return { value, unit: 'ms', baseline: 'idle editor p50', baselineValue: Math.round(percentile(idle, 0.5) * 10) / 10 };
  const baselineValue = Math.round(percentile(before, 0.95) * 10) / 10;
  return { value, unit: 'ms', baseline: `${baselineName} p95`, baselineValue, ratio: Math.round((value / baselineValue) * 100) / 100 };
}

/**
 * Figure 5: load, drag and pan a 500-node / 600-edge graph in the real editor, at zoom 0.5.
 * With `baseline` (another build's dist, e.g. the commit before a canvas change), the same
 * steps run on it in the same bench run, and each row compares p95 with it.
 */
export async function canvasFigure(figure: Figure, url: string, baseline?: { url: string; name: string }): Promise<void> {
  const graph = bigCanvasGraph();
  const problems = validateGraph(graph, createRegistry()).filter((p) => p.level === 'error' && /port|edge|cycle/i.test(p.message));
  if (problems.length > 0) throw new Error(`the generated graph has edge problems: ${problems[0].message}`);
  const browser = await launchChromium();
  try {
    // Baseline first, then this build, each in its own page (same browser, same machine load pattern).
    const before = baseline ? await measureCanvas(browser, baseline.url, graph) : null;
    const after = await measureCanvas(browser, url, graph);
    figure.data = { nodes: graph.nodes.length, edges: graph.edges.length, after, ...(before && baseline ? { baseline: { name: baseline.name, ...before } } : {}) };
    const name = baseline?.name ?? '';
    const p = (frames: number[]) => `p50 ${percentile(frames, 0.5).toFixed(1)} ms, p95 ${percentile(frames, 0.95).toFixed(1)} ms`;
    figure.rows.push({
      measure: `import + render ${graph.nodes.length} nodes / ${graph.edges.length} edges (file input → nodes in view painted)`,
      product: ms(after.loadMs),
      ...(before ? { baseline: `${name}: ${ms(before.loadMs)}`, ratio: ratio(after.loadMs / before.loadMs) } : {}),
      numbers: {
        value: Math.round(after.loadMs),
        unit: 'ms',
        ...(before ? { baseline: name, baselineValue: Math.round(before.loadMs), ratio: Math.round((after.loadMs / before.loadMs) * 100) / 100 } : {}),
      },
    });
    for (const [what, key] of [
      ['dragging a node', 'drag'],
      ['panning', 'pan'],
    ] as const) {
      const frames = after[key];
      figure.rows.push({
        measure: `frame times while ${what} (zoom ${after.zoom.toFixed(2)})`,
        product: p(frames),
        baseline: before ? `${name}: ${p(before[key])}` : `idle p50 ${percentile(after.idleFrames, 0.5).toFixed(1)} ms`,
        ratio: before ? ratio(percentile(frames, 0.95) / percentile(before[key], 0.95)) : ratio(percentile(frames, 0.5) / percentile(after.idleFrames, 0.5)),
        note: `${frames.length} frames; ${missedFrames(frames, after.idleFrames)} late (over 1.5 idle frames: a frame missed); max ${Math.max(...frames).toFixed(1)} ms; ${frames.filter((f) => f > 50).length} over 50 ms; goal p95 ≤ 16.7 ms (one 60 Hz frame: intervals on time read 16.6–16.8 ms)`,
        numbers: frameNumbers(frames, before?.[key] ?? null, after.idleFrames, name),
      });
    }
  } finally {
    await browser.close();
  }
}

/** Figure 7: chunk sizes of the production build. */
export function bundleFigure(figure: Figure, outDir: string): void {
  const report = analyseBuild(outDir);
  figure.data = report;
  const size = (s: { raw: number; gzip: number }) => `${bytes(s.raw)} (gzip ${bytes(s.gzip)})`;
  figure.rows.push({ measure: `main chunk ${report.main.entry.file.replace(/-[\w-]+\.js$/, '.js')}`, product: size(report.main.entry), note: `+ css ${report.css.map((c) => size(c)).join(', ')}; lazy main-thread chunks ${size(report.main.lazy)}` });
  figure.rows.push({
    measure: 'worker chunk engine.worker.js',
    product: size(report.worker.entry),
    note: `+ loaded on demand (tfjs, backends, wasm): ${report.worker.lazy.files} files, ${size(report.worker.lazy)}`,
  });
}
