import { implement } from '../../engine/node';
import type { Metrics, ModelSpec, TrainedModel, TrialResult } from '../../data/types';
import { mixSeed, seededRandom, shuffled } from '../../ml/random';
import { CancelledError, OPTIMIZERS, TrainingSession, buildArtifact, ensureBackendCanTrain, prepareTrainingData, type OptimizerName, type SessionOptions } from '../../ml/train';
import { tuneSearchSpec } from '../../catalog/tune/search';

/** Training settings a search may vary; every other key is a spec hyperparameter. */
const TRAINING_KEYS = ['learningRate', 'batchSize', 'optimizer'] as const;
const SPEC_KEYS: Record<ModelSpec['family'], string[]> = {
  linear: ['l2'],
  logistic: ['l2'],
  mlp: ['layers', 'activation', 'dropout', 'l2'],
  cnn: ['filters', 'kernel', 'pool', 'dense', 'activation', 'dropout', 'l2'],
};

export type SearchSpace = Record<string, unknown[]>;

/** Checks a search space against the spec family; throws a message naming the bad key. */
export function checkSearchSpace(space: unknown, family: ModelSpec['family']): SearchSpace {
  if (space === null || typeof space !== 'object' || Array.isArray(space)) {
    throw new Error('the search space must be a JSON object like {"learningRate": [0.001, 0.01], "layers": [[32], [64, 32]]}');
  }
  const allowed = [...TRAINING_KEYS, ...SPEC_KEYS[family]];
  const entries = Object.entries(space as Record<string, unknown>);
  if (entries.length === 0) throw new Error('the search space is empty: give at least one parameter with a list of values');
  for (const [key, values] of entries) {
    if (!allowed.includes(key)) throw new Error(`"${key}" cannot be searched for a ${family} model; choose from ${allowed.join(', ')}`);
    if (!Array.isArray(values) || values.length === 0) throw new Error(`"${key}" must be a non-empty list of values`);
    if (key === 'learningRate' && !values.every((v) => typeof v === 'number' && v > 0 && v <= 1)) throw new Error('every learningRate must be a number in (0, 1]');
    if (key === 'batchSize' && !values.every((v) => Number.isInteger(v) && (v as number) > 0)) throw new Error('every batchSize must be a positive whole number');
    if (key === 'optimizer' && !values.every((v) => OPTIMIZERS.includes(v as OptimizerName))) throw new Error(`every optimizer must be one of ${OPTIMIZERS.join(', ')}`);
  }
  return space as SearchSpace;
}

/** Every combination, in a stable order (first key varies slowest). */
export function gridOf(space: SearchSpace): Record<string, unknown>[] {
  let combos: Record<string, unknown>[] = [{}];
  for (const [key, values] of Object.entries(space)) combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  return combos;
}

/** Up to `count` distinct combinations: the whole grid when it fits, else a seeded sample of it. */
export function candidates(space: SearchSpace, strategy: 'grid' | 'random', count: number, seed: number): Record<string, unknown>[] {
  const grid = gridOf(space);
  if (grid.length <= count) return strategy === 'grid' ? grid : shuffled(grid, seededRandom(seed));
  if (strategy === 'grid') return grid.slice(0, count);
  return shuffled(grid, seededRandom(seed)).slice(0, count);
}

/** Epoch budgets per successive-halving rung, ending at `epochs` (e.g. 150 → [17, 50, 150]). */
export function rungBudgets(epochs: number, halving: boolean, eta = 3, rungs = 3): number[] {
  if (!halving) return [epochs];
  const budgets: number[] = [];
  for (let r = rungs - 1; r >= 0; r--) budgets.push(Math.max(1, Math.round(epochs / eta ** r)));
  return [...new Set(budgets)];
}

function describe(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
    .join(', ');
}

interface Trial {
  index: number;
  params: Record<string, unknown>;
  session: TrainingSession | null;
  status: TrialResult['status'];
  message?: string;
}

export const tuneSearch = implement(tuneSearchSpec, {
  run: async (ctx) => {
    const { params, inputs, signal } = ctx;
    const started = Date.now();
    const seed = params.seed === 0 ? ctx.seed : params.seed;
    const space = checkSearchSpace(params.searchSpace, inputs.spec.family);
    ensureBackendCanTrain(inputs.spec);
    const configs = candidates(space, params.strategy, params.maxTrials, mixSeed(seed, 31));
    const data = prepareTrainingData(inputs.data, { task: params.task, validationFraction: params.validationFraction, classWeights: 'none', seed });
    const trials: Trial[] = configs.map((c, index) => ({ index: index + 1, params: c, session: null, status: 'done' }));
    const budgets = rungBudgets(params.epochs, params.halving);
    const totalWork = budgets.reduce((sum, b, r) => sum + b * Math.max(1, Math.ceil(trials.length / 3 ** r)), 0);
    let doneWork = 0;
    const outOfTime = () => (Date.now() - started) / 1000 > params.maxSeconds;
    try {
      if (!data.validation) throw new Error('tuning needs validation rows: add a validation partition in the split, or raise the validation share');
      if (params.metric === 'val_accuracy' && data.task === 'regression') throw new Error('val_accuracy needs a classification target: optimise val_loss');
      let alive = trials;
      for (let rung = 0; rung < budgets.length; rung++) {
        const target = budgets[rung];
        for (const trial of alive) {
          if (signal.aborted) throw new CancelledError();
          if (outOfTime()) {
            if (!trial.session) trial.status = 'skipped';
            continue;
          }
          try {
            if (!trial.session) {
              const hyper = { ...inputs.spec.hyper };
              for (const [k, v] of Object.entries(trial.params)) if (!TRAINING_KEYS.includes(k as never)) hyper[k] = v;
              const options: SessionOptions = {
                spec: { ...inputs.spec, hyper },
                optimizer: (trial.params.optimizer as OptimizerName) ?? params.optimizer,
                learningRate: (trial.params.learningRate as number) ?? params.learningRate,
                batchSize: (trial.params.batchSize as number) ?? params.batchSize,
                patience: params.patience,
                monitor: params.metric,
                restoreBest: true,
                seed,
                signal,
              };
              trial.session = new TrainingSession(data, options);
            }
            const before = trial.session.epoch;
            await trial.session.run(target - trial.session.epoch);
            doneWork += trial.session.epoch - before;
          } catch (error) {
            if (signal.aborted) throw error;
            trial.session?.dispose();
            trial.session = null;
            trial.status = 'failed';
            trial.message = (error as Error).message;
          }
          const s = trial.session;
          const score = s ? (params.metric === 'val_accuracy' ? -s.bestScore : s.bestScore) : NaN;
          ctx.progress({
            fraction: Math.min(1, doneWork / totalWork),
            message: `trial ${trial.index}/${trials.length} (${describe(trial.params)}): ${s ? `${params.metric} ${score.toFixed(4)} after ${s.epoch} epochs` : `failed: ${trial.message}`}`,
            metrics: s ? { trial: trial.index, rung, score, epochs: s.epoch } : { trial: trial.index, rung },
          });
        }
        const ranked = alive.filter((t) => t.session).sort((a, b) => a.session!.bestScore - b.session!.bestScore || a.index - b.index);
        if (rung < budgets.length - 1) {
          const keep = Math.max(1, Math.ceil(ranked.length / 3));
          for (const loser of ranked.slice(keep)) {
            loser.status = 'pruned';
            loser.session!.dispose();
            // The session object keeps its numbers for the report; its tensors are freed.
            loser.message = `stopped after ${loser.session!.epoch} epochs`;
          }
          alive = ranked.slice(0, keep);
        } else {
          alive = ranked;
        }
      }

      const finished = trials.filter((t) => t.session && t.status !== 'pruned');
      finished.sort((a, b) => a.session!.bestScore - b.session!.bestScore || a.index - b.index);
      const best = finished[0];
      if (!best) throw new Error(`no trial finished: ${trials.find((t) => t.message)?.message ?? 'the time budget ran out before the first trial'}`);
      best.status = 'best';
      const session = best.session!;
      session.finish();
      const artifact = await buildArtifact(session, {
        name: `${inputs.data.source.name.replace(/\.[a-z]+$/i, '')} → ${data.target.name} (tuned)`,
        dataset: inputs.data,
        spec: { ...inputs.spec, hyper: { ...session.options.spec.hyper } },
        trainParams: {
          task: data.task,
          optimizer: session.options.optimizer,
          learningRate: session.options.learningRate,
          batchSize: session.options.batchSize,
          epochs: params.epochs,
          patience: params.patience,
          monitor: session.monitorName,
          restoreBest: true,
          seed,
          tuned: best.params,
        },
        graphId: ctx.graphId,
        nodeId: ctx.nodeId,
        backend: ctx.services.backend,
      });
      const bestPoint = session.history.find((h) => h.epoch === session.bestEpoch);
      if (bestPoint) artifact.metrics = Object.fromEntries(Object.entries(bestPoint).filter(([k]) => k !== 'epoch'));
      const network = session.network;
      best.session = null; // now owned by the model
      const model: TrainedModel = { artifact, network, dispose: () => network.dispose() };

      const results: TrialResult[] = trials.map((t) => {
        const s = t.session ?? (t.status === 'best' ? session : null);
        const raw = t.status === 'best' ? session.bestScore : s?.bestScore;
        const score = raw === undefined ? NaN : params.metric === 'val_accuracy' ? -raw : raw;
        return { trial: t.index, params: t.params, score, epochs: t.status === 'best' ? session.epoch : (s?.epoch ?? 0), status: t.status, ...(t.message ? { message: t.message } : {}) };
      });
      const order = (r: TrialResult) => (r.status === 'best' ? 0 : r.status === 'done' ? 1 : r.status === 'pruned' ? 2 : 3);
      results.sort((a, b) => order(a) - order(b) || (params.metric === 'val_accuracy' ? b.score - a.score : a.score - b.score) || a.trial - b.trial);
      const metrics: Metrics = {
        task: data.task,
        partition: 'validation',
        scalars: { [params.metric]: results[0].score, trials: trials.length, finished: finished.length, seconds: (Date.now() - started) / 1000 },
        trials: results,
      };
      return { model, metrics };
    } finally {
      for (const t of trials) t.session?.dispose();
      data.dispose();
    }
  },
  summarize: ({ metrics }) => {
    const best = metrics.trials?.[0];
    const metric = Object.keys(metrics.scalars)[0];
    return {
      text: best ? `best of ${metrics.scalars.trials}: ${describe(best.params)} (${metric} ${best.score.toFixed(4)})` : 'no trials',
      metrics: metrics.scalars,
    };
  },
});
