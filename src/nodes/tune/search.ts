import { errorMessage } from '../../engine/errors';
import { implement } from '../../engine/node';
import type { Metrics, ModelSpec, TrainedModel, TrialResult } from '../../data/types';
import { mixSeed, seededRandom, shuffled } from '../../data/random';
import {
  CancelledError,
  OPTIMIZERS,
  TrainingSession,
  buildArtifact,
  ensureBackendCanTrain,
  prepareTrainingArrays,
  preparedFromArrays,
  type OptimizerName,
  type PreparedData,
  type SessionCheckpoint,
} from '../../ml/train';
import { crossValidate, recipeOf } from '../evaluate/cv';
import { inProcessTrialRunner, type TrialEpoch, type TrialSessionOptions, type TuneTrialBatch, type TuneTrialRunner } from './trials';
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
  options: TrialSessionOptions | null;
  /** Where the trial stands after its last rung (null before its first, or once it failed). */
  checkpoint: SessionCheckpoint | null;
  status: TrialResult['status'];
  message?: string;
  cv?: TrialResult['cv'];
}

/** Per-epoch progress is said at most this often (per node); the end of each trial's rung always. */
const PROGRESS_EVERY_MS = 250;

export const tuneSearch = implement(tuneSearchSpec, {
  run: async (ctx) => {
    const { params, inputs, signal } = ctx;
    const started = Date.now();
    const seed = params.seed === 0 ? ctx.seed : params.seed;
    const space = checkSearchSpace(params.searchSpace, inputs.spec.family);
    ensureBackendCanTrain(inputs.spec);
    const configs = candidates(space, params.strategy, params.maxTrials, mixSeed(seed, 31));
    const arrays = prepareTrainingArrays(inputs.data, { task: params.task, validationFraction: params.validationFraction, classWeights: 'none', seed });
    if (arrays.valCount === 0) throw new Error('tuning needs validation rows: add a validation partition in the split, or raise the validation share');
    if (params.metric === 'val_accuracy' && arrays.task === 'regression') throw new Error('val_accuracy needs a classification target: optimise val_loss');
    const trials: Trial[] = configs.map((c, index) => ({ index: index + 1, params: c, options: null, checkpoint: null, status: 'done' }));
    const budgets = rungBudgets(params.epochs, params.halving);
    const totalWork = budgets.reduce((sum, b, r) => sum + b * Math.max(1, Math.ceil(trials.length / 3 ** r)), 0);
    let doneWork = 0;
    let lastProgress = 0;
    const outOfTime = () => (Date.now() - started) / 1000 > params.maxSeconds;
    const scoreOf = (checkpoint: SessionCheckpoint) => (params.metric === 'val_accuracy' ? -checkpoint.bestScore : checkpoint.bestScore);
    const onEpoch = ({ trial, point }: TrialEpoch) => {
      doneWork++;
      const now = Date.now();
      if (now - lastProgress < PROGRESS_EVERY_MS) return;
      lastProgress = now;
      ctx.progress({
        fraction: Math.min(1, doneWork / totalWork),
        message: `trial ${trial}/${trials.length}: epoch ${point.epoch}`,
        metrics: { trial, ...point },
      });
    };

    // A pool that cannot start (no workers in this browser, a crashed worker thread) leaves the search to this thread.
    const pooled = ctx.services.trialRunner as TuneTrialRunner | undefined;
    const openOptions = { backend: ctx.services.backend, signal, onProgress: onEpoch };
    let runner: TuneTrialRunner = pooled && (!pooled.backends || pooled.backends.includes(ctx.services.backend)) ? pooled : inProcessTrialRunner;
    let batch: TuneTrialBatch;
    try {
      batch = await runner.open(arrays, openOptions);
    } catch (error) {
      if (signal.aborted || runner === inProcessTrialRunner) throw error;
      ctx.progress({ fraction: 0, message: `trials run one after another: the worker pool did not start (${errorMessage(error)})` });
      runner = inProcessTrialRunner;
      batch = await runner.open(arrays, openOptions);
    }
    let data: PreparedData | null = null;
    let best: Trial | undefined;
    let finished: Trial[] = [];
    try {
      let alive = trials;
      for (let rung = 0; rung < budgets.length; rung++) {
        const target = budgets[rung];
        // `runner.size` lanes take the rung's trials in order; each trial's numbers depend only on its own job.
        let next = 0;
        const lane = async () => {
          while (next < alive.length) {
            const trial = alive[next++];
            if (signal.aborted) throw new CancelledError();
            if (outOfTime()) {
              if (!trial.checkpoint) trial.status = 'skipped';
              continue;
            }
            try {
              if (!trial.options) {
                const hyper = { ...inputs.spec.hyper };
                for (const [k, v] of Object.entries(trial.params)) if (!TRAINING_KEYS.includes(k as never)) hyper[k] = v;
                trial.options = {
                  spec: { ...inputs.spec, hyper },
                  optimizer: (trial.params.optimizer as OptimizerName) ?? params.optimizer,
                  learningRate: (trial.params.learningRate as number) ?? params.learningRate,
                  batchSize: (trial.params.batchSize as number) ?? params.batchSize,
                  patience: params.patience,
                  monitor: params.metric,
                  restoreBest: true,
                  seed,
                };
              }
              const outcome = await batch.run({ trial: trial.index, options: trial.options, target, checkpoint: trial.checkpoint });
              trial.checkpoint = outcome.checkpoint;
            } catch (error) {
              if (signal.aborted) throw new CancelledError();
              trial.checkpoint = null;
              trial.status = 'failed';
              trial.message = errorMessage(error);
            }
            const c = trial.checkpoint;
            // Epochs a failed rung ran were counted as they came; a stopped-early trial's unused budget is counted here.
            if (c) doneWork += Math.max(0, target - c.epoch);
            ctx.progress({
              fraction: Math.min(1, doneWork / totalWork),
              message: `trial ${trial.index}/${trials.length} (${describe(trial.params)}): ${c ? `${params.metric} ${scoreOf(c).toFixed(4)} after ${c.epoch} epochs` : `failed: ${trial.message}`}`,
              metrics: c ? { trial: trial.index, rung, score: scoreOf(c), epochs: c.epoch } : { trial: trial.index, rung },
            });
          }
        };
        const lanes = await Promise.allSettled(Array.from({ length: Math.min(runner.size, alive.length) }, lane));
        const failed = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
        if (failed) throw failed.reason;
        const ranked = alive.filter((t) => t.checkpoint).sort((a, b) => a.checkpoint!.bestScore - b.checkpoint!.bestScore || a.index - b.index);
        if (rung < budgets.length - 1) {
          // Ranking by CV needs candidates to compare: halving then keeps at least two.
          const keep = Math.max(params.score === 'cv' ? 2 : 1, Math.ceil(ranked.length / 3));
          for (const loser of ranked.slice(keep)) {
            loser.status = 'pruned';
            loser.message = `stopped after ${loser.checkpoint!.epoch} epochs`;
          }
          alive = ranked.slice(0, keep);
        } else {
          alive = ranked;
        }
      }

      finished = trials.filter((t) => t.checkpoint && t.status !== 'pruned');
      finished.sort((a, b) => a.checkpoint!.bestScore - b.checkpoint!.bestScore || a.index - b.index);
      best = finished[0];
    } finally {
      await batch.close();
    }
    if (!best) throw new Error(`no trial finished: ${trials.find((t) => t.message)?.message ?? 'the time budget ran out before the first trial'}`);

    // Ranking by CV: each finished trial's recipe is cross-validated here, in the engine, one after another
    // (seeded by the node's seed alone, so the ranking does not depend on the pool), the same way evaluate.cv would.
    const cvMetric = arrays.task === 'classification' ? 'accuracy' : 'r2';
    if (params.score === 'cv') {
      for (const [i, trial] of finished.entries()) {
        const o = trial.options!;
        const recipe = recipeOf(o.spec, {
          task: arrays.task,
          optimizer: o.optimizer,
          learningRate: o.learningRate,
          batchSize: o.batchSize,
          epochs: params.epochs,
          patience: params.patience,
          monitor: o.monitor,
          restoreBest: true,
          seed,
        });
        const cv = await crossValidate(inputs.data, recipe, {
          folds: params.folds,
          repeats: 1,
          stratify: true,
          refit: true,
          seed,
          signal,
          onFold: (done, total) =>
            ctx.progress({ fraction: 1, message: `cross-validating trial ${trial.index} (${i + 1}/${finished.length}): fold ${done}/${total}` }),
        });
        const s = cv.cv!.scalars[cvMetric];
        trial.cv = { metric: cvMetric, folds: params.folds, mean: s.mean, sd: s.sd };
      }
      finished.sort((a, b) => b.cv!.mean - a.cv!.mean || a.index - b.index);
      best = finished[0];
    }
    best.status = 'best';

    // The winner's network is rebuilt here from its checkpoint (exact weights), wherever it trained.
    data = preparedFromArrays(arrays);
    let session: TrainingSession | null = null;
    try {
      session = new TrainingSession(data, { ...best.options!, signal });
      session.restore(best.checkpoint!);
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
      const bestPoint = session.history.find((h) => h.epoch === session!.bestEpoch);
      if (bestPoint) artifact.metrics = Object.fromEntries(Object.entries(bestPoint).filter(([k]) => k !== 'epoch'));
      const network = session.network;
      session = null; // now owned by the model
      const model: TrainedModel = { artifact, network, dispose: () => network.dispose() };

      const results: TrialResult[] = trials.map((t) => {
        const score = t.checkpoint ? scoreOf(t.checkpoint) : NaN;
        return {
          trial: t.index,
          params: t.params,
          score,
          epochs: t.checkpoint?.epoch ?? 0,
          status: t.status,
          ...(t.message ? { message: t.message } : {}),
          ...(t.cv ? { cv: t.cv } : {}),
        };
      });
      const order = (r: TrialResult) => (r.status === 'best' ? 0 : r.status === 'done' ? 1 : r.status === 'pruned' ? 2 : 3);
      results.sort(
        (a, b) =>
          order(a) - order(b) ||
          (a.cv && b.cv ? b.cv.mean - a.cv.mean : 0) ||
          (params.metric === 'val_accuracy' ? b.score - a.score : a.score - b.score) ||
          a.trial - b.trial,
      );
      const bestCv = results[0].cv;
      const cvName = `cv_${cvMetric}`;
      const metrics: Metrics = {
        task: data.task,
        partition: 'validation',
        scalars: {
          ...(bestCv ? { [cvName]: bestCv.mean } : {}),
          [params.metric]: results[0].score,
          trials: trials.length,
          finished: finished.length,
          seconds: (Date.now() - started) / 1000,
          workers: runner.size,
        },
        trials: results,
        ...(bestCv
          ? {
              cv: {
                folds: params.folds,
                scalars: { [cvName]: { mean: bestCv.mean, sd: bestCv.sd } },
                note: `Ranked by ${params.folds}-fold CV on the non-test rows: each of the ${finished.length} trials that finished was cross-validated in the engine, every fitted step and the model learned again per fold; the kept model is the best trial as trained on the train rows.`,
              },
            }
          : {}),
      };
      return { model, metrics };
    } finally {
      session?.dispose();
      data.dispose();
    }
  },
  summarize: ({ metrics }) => {
    const best = metrics.trials?.[0];
    const metric = Object.keys(metrics.scalars)[0];
    const score = best?.cv
      ? `${best.cv.folds}-fold CV ${best.cv.metric === 'r2' ? 'R²' : best.cv.metric} ${best.cv.mean.toFixed(3)} ± ${best.cv.sd.toFixed(3)}`
      : `${metric} ${best?.score.toFixed(4)}`;
    return {
      text: best ? `best of ${metrics.scalars.trials}: ${describe(best.params)} (${score})${best.cv ? `; ranked by ${best.cv.folds}-fold CV on the non-test rows` : ''}` : 'no trials',
      metrics: metrics.scalars,
    };
  },
});
