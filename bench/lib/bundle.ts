/**
 * Chunk sizes of a Vite build: the main entry (what index.html loads before the editor
 * shows) and the engine worker (loaded when the app starts its worker), each with the chunks
 * it pulls in statically and, separately, lazily (tfjs backends, wasm binaries).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface ChunkSize {
  file: string;
  raw: number;
  gzip: number;
}

export interface ChunkGroup {
  entry: ChunkSize;
  /** Entry plus every chunk reachable through static imports. */
  initial: { files: number; raw: number; gzip: number };
  /** Reachable only through dynamic import() or asset URLs (.wasm), on top of `initial`. */
  lazy: { files: number; raw: number; gzip: number };
}

function sizeOf(directory: string, file: string): ChunkSize {
  const content = readFileSync(join(directory, file));
  return { file, raw: content.length, gzip: gzipSync(content, { level: 9 }).length };
}

/** References from one chunk to sibling assets, split by how they load. */
export function chunkReferences(code: string, assets: readonly string[]): { static: string[]; lazy: string[] } {
  const statics = new Set<string>();
  const lazy = new Set<string>();
  for (const match of code.matchAll(/(?:import|export)\s*(?:[\w${},*\s]*from\s*)?["']\.\/([^"']+)["']/g)) statics.add(match[1]);
  for (const asset of assets) {
    if (!statics.has(asset) && code.includes(asset)) lazy.add(asset);
  }
  return { static: [...statics].filter((f) => assets.includes(f)), lazy: [...lazy] };
}

function group(directory: string, entry: string, assets: string[], exclude: (file: string) => boolean): ChunkGroup {
  const codeOf = (file: string) => (file.endsWith('.js') ? readFileSync(join(directory, file), 'utf8') : '');
  const initial = new Set<string>([entry]);
  const queue = [entry];
  const lazyCandidates = new Set<string>();
  while (queue.length > 0) {
    const file = queue.pop()!;
    const refs = chunkReferences(codeOf(file), assets);
    for (const next of refs.static) {
      if (initial.has(next)) continue;
      initial.add(next);
      queue.push(next);
    }
    for (const next of refs.lazy) lazyCandidates.add(next);
  }
  // Everything lazily reachable (transitively), minus what is already initial or belongs elsewhere.
  const lazy = new Set<string>();
  const lazyQueue = [...lazyCandidates];
  while (lazyQueue.length > 0) {
    const file = lazyQueue.pop()!;
    if (initial.has(file) || lazy.has(file) || exclude(file)) continue;
    lazy.add(file);
    const refs = chunkReferences(codeOf(file), assets);
    lazyQueue.push(...refs.static, ...refs.lazy);
  }
  const total = (files: Set<string>) => {
    const sizes = [...files].map((f) => sizeOf(directory, f));
    return { files: sizes.length, raw: sizes.reduce((s, c) => s + c.raw, 0), gzip: sizes.reduce((s, c) => s + c.gzip, 0) };
  };
  return { entry: sizeOf(directory, entry), initial: total(initial), lazy: total(lazy) };
}

export interface BundleReport {
  main: ChunkGroup;
  worker: ChunkGroup;
  css: ChunkSize[];
}

export function analyseBuild(outDir: string): BundleReport {
  const assetsDir = join(outDir, 'assets');
  const assets = readdirSync(assetsDir).filter((f) => !f.endsWith('.map'));
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const mainEntry = /<script[^>]+src="[^"]*assets\/([^"]+\.js)"/.exec(html)?.[1];
  if (!mainEntry) throw new Error('index.html has no module script in assets/');
  const workerEntry = assets.find((f) => /^engine\.worker-.*\.js$/.test(f));
  if (!workerEntry) throw new Error('no engine.worker-*.js chunk in the build');
  const css = [...html.matchAll(/href="[^"]*assets\/([^"]+\.css)"/g)].map((m) => sizeOf(assetsDir, m[1]));
  return {
    // The worker's chunks are counted with the worker, not as lazy main-thread code.
    main: group(assetsDir, mainEntry, assets, (f) => f === workerEntry),
    worker: group(assetsDir, workerEntry, assets, () => false),
    css,
  };
}
