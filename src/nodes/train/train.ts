import { implement } from '../../engine/node';
import type { TrainedModel } from '../../data/types';
import { trainingReference } from '../../serving/train-reference';
import { TrainingSession, buildArtifact, prepareTrainingData } from '../../ml/train';
import { trainSpec } from '../../catalog/train/train';

/** From this many training rows the summary says the time to the first epoch. */
const LARGE_TABLE_ROWS = 100_000;

function fmt(x: number | undefined): string {
  return x === undefined || Number.isNaN(x) ? '–' : x < 0.001 ? x.toExponential(2) : x.toFixed(4);
}

export const train = implement(trainSpec, {
  run: async (ctx) => {
    const { params, inputs, signal } = ctx;
    const startedAt = performance.now();
    const seed = params.seed === 0 ? ctx.seed : params.seed;
    const data = prepareTrainingData(inputs.data, {
      task: params.task,
      validationFraction: params.validationFraction,
      classWeights: params.classWeights,
      seed,
      batchSize: params.batchSize,
    });
    if (data.storage === 'columns') {
      ctx.progress({ fraction: 0, message: `${data.trainCount.toLocaleString('en')} rows: batches built from the columns (about ${Math.round(data.dataBytes / 2 ** 20)} MB)` });
    }
    let session: TrainingSession | null = null;
    try {
      session = new TrainingSession(data, {
        spec: inputs.spec,
        optimizer: params.optimizer,
        learningRate: params.learningRate,
        batchSize: params.batchSize,
        patience: params.earlyStopping ? params.patience : 0,
        monitor: params.monitor,
        tolerance: params.tolerance,
        restoreBest: params.restoreBest,
        seed,
        signal,
        startedAt,
        onEpoch: (point) => {
          const metrics: Record<string, number> = {};
          for (const [k, v] of Object.entries(point)) if (Number.isFinite(v)) metrics[k] = v;
          ctx.progress({
            fraction: point.epoch / params.epochs,
            message: `epoch ${point.epoch}/${params.epochs} loss ${fmt(point.loss)}${point.val_loss !== undefined ? ` val_loss ${fmt(point.val_loss)}` : ''}`,
            metrics,
          });
        },
        onBatch: (epoch, batch, batches) =>
          ctx.progress({ fraction: (epoch - 1 + batch / batches) / params.epochs, message: `epoch ${epoch}, batch ${batch}/${batches}` }),
      });
      await session.run(params.epochs);
      session.finish();
      const name = params.modelName.trim() || `${inputs.data.source.name.replace(/\.[a-z]+$/i, '')} → ${data.target.name}`;
      const artifact = await buildArtifact(session, {
        name,
        dataset: inputs.data,
        spec: inputs.spec,
        trainParams: {
          task: data.task,
          optimizer: params.optimizer,
          learningRate: params.learningRate,
          epochs: params.epochs,
          batchSize: params.batchSize,
          earlyStopping: params.earlyStopping,
          patience: params.patience,
          monitor: session.monitorName,
          tolerance: params.tolerance,
          restoreBest: params.restoreBest,
          classWeights: params.classWeights,
          seed,
        },
        graphId: ctx.graphId,
        nodeId: ctx.nodeId,
        backend: ctx.services.backend,
      });
      // Raw training distributions, for drift monitoring once the model is deployed.
      artifact.reference = trainingReference(inputs.data);
      const best = session.history.find((h) => h.epoch === session!.bestEpoch);
      if (best) artifact.metrics = Object.fromEntries(Object.entries(best).filter(([k]) => k !== 'epoch'));
      const network = session.network;
      const model: TrainedModel = { artifact, network, dispose: () => network.dispose() };
      if (params.saveToRegistry) {
        const store = ctx.services.models;
        if (!store) {
          throw new Error('saving to the model registry is not available here (no model store)');
        }
        model.registryId = (await store.save(artifact)).id;
      }
      return { model };
    } catch (error) {
      session?.dispose();
      throw error;
    } finally {
      data.dispose();
    }
  },
  summarize: ({ model }) => {
    const a = model.artifact;
    const epochs = Number(a.trainParams.epochsRun);
    const monitor = String(a.trainParams.monitor);
    const best = a.metrics?.[monitor];
    const stopped = a.trainParams.stoppedEarly ? ', stopped early' : '';
    // Models trained before wasm had conv gradients say they were trained on cpu.
    const note = typeof a.trainParams.backendNote === 'string' ? ` · ${a.trainParams.backendNote}` : '';
    // Memory and time to first epoch: what a big table costs (models from before these were recorded show none).
    // The time is said only for large tables (decided by size, not by the clock): on small ones it is
    // a fraction of a second that varies with the machine's load, and a summary must read the same
    // for the same graph and seed (run and run-compiled are compared by it).
    const fromColumns = a.trainParams.batches === 'built from columns';
    const large = fromColumns || Number(a.trainParams.trainRows) >= LARGE_TABLE_ROWS;
    const first = large && typeof a.trainParams.firstEpochSeconds === 'number' ? ` · first epoch ${a.trainParams.firstEpochSeconds} s` : '';
    const peak = typeof a.trainParams.peakTensorMB === 'number' ? `, peak tensors ${a.trainParams.peakTensorMB} MB${fromColumns ? ' (batches from columns)' : ''}` : '';
    return {
      text: `${epochs} epochs${stopped}, ${monitor} ${fmt(best)}${model.registryId ? ' · saved' : ''}${note}${first}${peak}`,
      metrics: a.metrics,
    };
  },
});
