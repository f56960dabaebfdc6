/**
 * Test builds only (`vite --mode test`; src/main.tsx installs it, production builds leave this
 * module out): a namespaced debug object to crash the engine worker as a real crash would
 * (the client must recover) and to read how often it was replaced. End-to-end tests do not
 * need it: they crash the real worker from outside (e2e/fixtures.ts, crashEngineWorker).
 */
import type { EngineClient } from '../runtime/protocol';
import { getEngine } from './engine';

export interface PipelineStudioDebug {
  crashWorker(): Promise<void>;
  workerRestarts(): Promise<number>;
}

export const debugHooks: PipelineStudioDebug = {
  crashWorker: async () => {
    const engine = await getEngine();
    if (!engine.crashForTest) throw new Error('This build has no crash hook (test builds only)');
    await engine.crashForTest();
  },
  workerRestarts: async () => ((await getEngine()) as EngineClient & { restarts?: number }).restarts ?? 0,
};

export function installDebugHooks(): void {
  (window as unknown as { __pipelineStudio?: PipelineStudioDebug }).__pipelineStudio = debugHooks;
}
