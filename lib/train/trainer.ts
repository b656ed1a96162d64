/**
 * The SimCLR training loop (Chen et al. 2020, arXiv 2002.05709, Algorithm 1), readable top to bottom:
 * for each mini-batch of N images: two views → one pass of encoder + head over the 2N views → contrastive
 * loss → one optimiser step; the loss is read back only every `logEvery` steps.
 */
import * as tf from '@tensorflow/tfjs';
import { ImageDataset } from '../data/dataset';
import { imagesToTensor } from '../data/batches';
import { infoNCE } from '../losses/infoNCE';
import { ntXent } from '../losses/ntXent';
import { SimclrModel } from '../models/simclrModel';
import { Rng } from '../rng';
import { twoViews } from '../views/pipeline';
import { EpochLog, StepLog, TrainCallbacks } from './callbacks';
import { TrainConfig, validateConfig } from './config';
import { setModelWeights } from './loadModel';
import { buildModel } from '../models/registry';
import { StatefulOptimizer, createOptimizer } from './optimizers';
import { learningRateAt, scaledLearningRate } from './schedule';
import { TrainerSnapshot, readTrainerCheckpoint, writeTrainerCheckpoint } from './trainerCheckpoint';
import { simpleTableHtml, withSelfDisplay } from '../richDisplay/selfDisplay';

/**
 * Thrown when the loss becomes NaN or ±Infinity; names the step. The last checkpoint file is left as it was;
 * the message names it (and its step) only when this run wrote or resumed from one.
 */
export class TrainingDivergedError extends Error {
  constructor(readonly step: number, readonly loss: number, checkpoint: { file: string; step: number } | null, checkpointPath: string | undefined) {
    const saved = checkpoint
      ? `; the last good checkpoint ${checkpoint.file} (step ${checkpoint.step}) is intact`
      : checkpointPath ? '; no checkpoint of this run was written yet, so nothing was saved' : '; no checkpoint was configured';
    super(`training diverged: loss is ${loss} at step ${step}${saved}. Lower the learning rate or raise the temperature.`);
    this.name = 'TrainingDivergedError';
  }
}

/** A run that cannot train as configured (no step in an epoch, a warmup as long as the run); thrown before anything is built. */
export class TrainingPlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrainingPlanError';
  }
}

/** Options for `SimclrTrainer`. */
export interface TrainerOptions {
  /** Run settings (see TrainConfig and the presets). */
  config: TrainConfig;
  /** Training images; labels are not used. */
  dataset: ImageDataset;
  /** Live listeners (notebook plots, progress bar, JSONL). */
  callbacks?: TrainCallbacks;
  /** Checkpoint file, written atomically every `checkpointEveryEpochs`, at the end, and when stopped. */
  checkpointPath?: string;
  /** Stop at the next step boundary (then checkpoint and return `stopped: true`). */
  signal?: AbortSignal;
  /** Called at each epoch end with the model, e.g. an online kNN accuracy; numbers go into EpochLog.metrics. */
  evaluate?: (model: SimclrModel, epoch: number) => Promise<Record<string, number>> | Record<string, number>;
  /** JSON stored as-is in every checkpoint (the CLI stores where the data came from); default: the resumed checkpoint's. */
  metadata?: Record<string, unknown>;
}

/** What `fit` returns. */
export interface TrainResult {
  epochs: EpochLog[];
  steps: StepLog[];
  /** True when stopped by the signal before the last epoch finished. */
  stopped: boolean;
  step: number;
  seconds: number;
}

/** SimCLR pretraining state (model, optimiser, RNG streams, step) and the loop over it. */
export class SimclrTrainer {
  readonly config: TrainConfig;
  readonly model: SimclrModel;
  readonly optimizer: StatefulOptimizer;
  /** log τ when the temperature is learned, else null. */
  readonly logTemperature: tf.Variable | null;
  /** Optimiser steps done. */
  step = 0;
  /** Completed epochs, and batches done in the current one. */
  epoch = 0;
  stepInEpoch = 0;
  private readonly dataRng: Rng;
  private readonly viewRng: Rng;
  private epochStartDataState: [number, number, number, number];
  private epochLossSum = 0;
  /** Losses read back since the last step log (kept in checkpoints so a stop between logs loses none). */
  private logLossSum = 0;
  private logLossCount = 0;
  /** The checkpoint this run last wrote or resumed from, for the divergence message. */
  private lastCheckpoint: { file: string; step: number } | null = null;
  private metadata: Record<string, unknown> | undefined;
  private options: TrainerOptions;

  constructor(options: TrainerOptions, snapshot?: TrainerSnapshot) {
    this.options = options;
    this.config = validateConfig(options.config);
    const [, h, w, c] = options.dataset.shape;
    const [mh, mw, mc] = this.config.model.inputShape;
    const crop = this.config.views.crop;
    const viewSize = crop ? (Array.isArray(crop.size) ? crop.size : [crop.size, crop.size]) : [h, w];
    if (c !== mc || viewSize[0] !== mh || viewSize[1] !== mw) {
      throw new Error(`SimclrTrainer: views give ${viewSize[0]}×${viewSize[1]}×${c} images but the model takes ${mh}×${mw}×${mc} (dataset ${options.dataset.name} is ${h}×${w}×${c})`);
    }
    if (options.dataset.shape[0] < 2) throw new Error(`SimclrTrainer: the dataset has ${options.dataset.shape[0]} images; contrastive training needs at least 2`);
    this.checkPlan();
    this.metadata = options.metadata ?? snapshot?.metadata;
    const seed = this.config.seed;
    this.model = buildModel(this.config.model, seed);
    this.dataRng = new Rng(seed + 1000);
    this.viewRng = new Rng(seed + 2000);
    this.epochStartDataState = this.dataRng.getState();
    const { learningRate, learningRateScaling, batchSize, optimizer, weightDecay, momentum } = this.config;
    this.optimizer = createOptimizer({ kind: optimizer, learningRate: scaledLearningRate(learningRate, batchSize, learningRateScaling), weightDecay, momentum });
    this.logTemperature = this.config.learnableTemperature ? tf.tidy(() => tf.variable(tf.scalar(Math.log(this.config.temperature)), true)) : null;
    if (snapshot) {
      try {
        this.restore(snapshot);
      } catch (err) {
        this.dispose();
        throw err;
      }
    }
  }

  /** Steps in one epoch: ⌊n/N⌋ with dropLast, else ⌈n/N⌉ (a last batch of one image is skipped: the loss needs 2). */
  get stepsPerEpoch(): number {
    const n = this.options.dataset.shape[0];
    const N = this.config.batchSize;
    return this.config.dropLast || n % N === 1 ? Math.floor(n / N) : Math.ceil(n / N);
  }

  get totalSteps(): number {
    return this.stepsPerEpoch * this.config.epochs;
  }

  /** Refuse a run that cannot train as configured: no step in an epoch, or a warmup as long as the whole run. */
  private checkPlan(): void {
    const n = this.options.dataset.shape[0];
    const { batchSize, dropLast, schedule, warmupEpochs, epochs } = this.config;
    if (this.stepsPerEpoch < 1) {
      throw new TrainingPlanError(`SimclrTrainer: batchSize ${batchSize} is larger than the ${n} training images${dropLast ? ' (dropLast)' : ''}, so an epoch would have no step; use a batch size of at most ${n} or more images`);
    }
    const warmupSteps = Math.round(warmupEpochs * this.stepsPerEpoch);
    if (schedule === 'warmupCosine' && warmupSteps >= this.totalSteps) {
      throw new TrainingPlanError(`SimclrTrainer: warmupEpochs ${warmupEpochs} (${warmupSteps} steps) is not shorter than the whole run (${epochs} epochs = ${this.totalSteps} steps), so the cosine decay would never run; train longer or warm up less`);
    }
  }

  /** Learning rate for the next step: scaled base rate through the warmup/cosine schedule (a pure function of the step). */
  learningRateAt(step: number): number {
    const base = scaledLearningRate(this.config.learningRate, this.config.batchSize, this.config.learningRateScaling);
    const warmupSteps = Math.round(this.config.warmupEpochs * this.stepsPerEpoch);
    return learningRateAt(step, { baseLearningRate: base, warmupSteps, totalSteps: Math.max(this.totalSteps, warmupSteps + 1), schedule: this.config.schedule });
  }

  /** τ as a tensor (learned: exp of the clamped log τ) or a number (fixed). */
  private temperature(): number | tf.Scalar {
    if (!this.logTemperature) return this.config.temperature;
    const [low, high] = this.config.temperatureRange;
    return tf.exp(tf.clipByValue(this.logTemperature, Math.log(low), Math.log(high))) as tf.Scalar;
  }

  /** Current τ as a number (a device read when learned). */
  currentTemperature(): number {
    if (!this.logTemperature) return this.config.temperature;
    return tf.tidy(() => (this.temperature() as tf.Scalar).dataSync()[0]);
  }

  /**
   * One SimCLR step on a batch `(N, H, W, C)` in [0, 1]: views (x̃ᵢ, x̃ⱼ) → z = g(f(x̃)) for all 2N views in one
   * pass (batch-norm statistics over 2N, as SimCLR) → loss → update. Returns the loss as a scalar tensor the
   * caller disposes; nothing is read back here.
   */
  trainStep(images: tf.Tensor4D): tf.Scalar {
    const n = images.shape[0];
    if (n < 2) throw new Error(`trainStep: a batch needs at least 2 images (got ${n}): each image's negatives are the others`);
    this.optimizer.setLearningRate(this.learningRateAt(this.step));
    const variables = this.model.trainableVariables();
    if (this.logTemperature) variables.push(this.logTemperature);
    const loss = tf.tidy(() => {
      const [view1, view2] = twoViews(images, this.config.views, this.viewRng); // (N, H, W, C) each
      const both = tf.concat([view1, view2], 0) as tf.Tensor4D; // (2N, H, W, C)
      return this.optimizer.minimize(() => {
        const { z } = this.model.embed(both, { training: true }); // (2N, D)
        const z1 = tf.slice(z, [0, 0], [n, -1]) as tf.Tensor2D; // (N, D)
        const z2 = tf.slice(z, [n, 0], [n, -1]) as tf.Tensor2D; // (N, D)
        const lossFn = this.config.loss === 'infoNCE' ? infoNCE : ntXent;
        return lossFn(z1, z2, { temperature: this.temperature() });
      }, true, variables) as tf.Scalar;
    });
    if (this.logTemperature) {
      const [low, high] = this.config.temperatureRange;
      tf.tidy(() => this.logTemperature!.assign(tf.clipByValue(this.logTemperature!, Math.log(low), Math.log(high))));
    }
    this.step += 1;
    return loss;
  }

  /** Run from the current state to `config.epochs`; see TrainerOptions for callbacks, checkpoints and stopping. */
  async fit(): Promise<TrainResult> {
    const { dataset, callbacks = {}, checkpointPath, signal, evaluate } = this.options;
    const config = this.config;
    const n = dataset.shape[0];
    const startStep = this.step;
    const result: TrainResult = { epochs: [], steps: [], stopped: false, step: this.step, seconds: 0 };
    const started = performance.now();
    let pending: tf.Scalar[] = []; // losses not yet read back
    let lastLogTime = started;
    let imagesSinceLog = 0;

    // Read back pending losses (one device sync), check them, and add them to the epoch's and the next log's sums.
    const drain = async (): Promise<void> => {
      if (pending.length === 0) return;
      const stacked = tf.stack(pending);
      const values = await stacked.data();
      stacked.dispose();
      pending.forEach((t) => t.dispose());
      const firstStep = this.step - pending.length + 1;
      pending = [];
      for (let i = 0; i < values.length; i++) {
        if (!Number.isFinite(values[i])) throw new TrainingDivergedError(firstStep + i, values[i], this.lastCheckpoint, checkpointPath);
        this.epochLossSum += values[i];
        this.logLossSum += values[i];
        this.logLossCount += 1;
      }
    };

    try {
      while (this.epoch < config.epochs) {
        // ── epoch start: one permutation from the data stream (kept so a resume can replay it) ──
        this.dataRng.setState(this.epochStartDataState);
        const order = this.dataRng.permutation(n);
        const epochStarted = performance.now();
        const stepsThisRun = this.stepsPerEpoch - this.stepInEpoch;
        while (this.stepInEpoch < this.stepsPerEpoch) {
          if (signal?.aborted) {
            result.stopped = true;
            break;
          }
          // ── batch → views → embed → loss → step ──
          const start = this.stepInEpoch * config.batchSize;
          const indices = order.subarray(start, Math.min(n, start + config.batchSize));
          const images = imagesToTensor(dataset, indices); // (N, H, W, C) in [0, 1]
          pending.push(this.trainStep(images));
          images.dispose();
          this.stepInEpoch += 1;
          imagesSinceLog += indices.length;
          // ── log: the only device sync ──
          if (this.step % config.logEvery === 0 || this.stepInEpoch === this.stepsPerEpoch) {
            await drain();
            const loss = this.logLossSum / this.logLossCount; // mean since the previous log, across a stop and resume
            this.logLossSum = 0;
            this.logLossCount = 0;
            const now = performance.now();
            const log: StepLog = {
              step: this.step, epoch: this.epoch + 1, stepInEpoch: this.stepInEpoch, stepsPerEpoch: this.stepsPerEpoch, totalSteps: this.totalSteps,
              loss, learningRate: this.optimizer.learningRate, temperature: this.currentTemperature(),
              imagesPerSecond: (1000 * imagesSinceLog) / Math.max(1e-9, now - lastLogTime), elapsedSeconds: (now - started) / 1000, startStep,
            };
            lastLogTime = now;
            imagesSinceLog = 0;
            result.steps.push(log);
            await callbacks.onStep?.(log);
          }
          await new Promise((resolve) => setImmediate(resolve)); // let signals and UI events through
        }
        if (result.stopped) break;
        // ── epoch end: mean loss, optional evaluation, checkpoint ──
        await drain();
        const seconds = (performance.now() - epochStarted) / 1000;
        const epochLog: EpochLog = {
          epoch: this.epoch + 1, step: this.step, loss: this.epochLossSum / this.stepsPerEpoch,
          learningRate: this.optimizer.learningRate, temperature: this.currentTemperature(),
          imagesPerSecond: (stepsThisRun * config.batchSize) / Math.max(1e-9, seconds), epochSeconds: seconds,
          metrics: evaluate ? await evaluate(this.model, this.epoch + 1) : {},
        };
        this.epoch += 1;
        this.stepInEpoch = 0;
        this.epochLossSum = 0;
        this.epochStartDataState = this.dataRng.getState();
        result.epochs.push(epochLog);
        await callbacks.onEpochEnd?.(epochLog);
        const periodic = config.checkpointEveryEpochs > 0 && this.epoch % config.checkpointEveryEpochs === 0;
        if (checkpointPath && (periodic || this.epoch === config.epochs)) await this.checkpoint(checkpointPath, callbacks);
      }
      if (result.stopped) {
        await drain();
        if (checkpointPath) await this.checkpoint(checkpointPath, callbacks);
      }
    } finally {
      pending.forEach((t) => t.dispose());
    }
    result.step = this.step;
    result.seconds = (performance.now() - started) / 1000;
    return withSelfDisplay(result, formatTrainResult, trainResultHtml);
  }

  private async checkpoint(file: string, callbacks: TrainCallbacks): Promise<void> {
    await writeTrainerCheckpoint(file, await this.snapshot());
    this.lastCheckpoint = { file, step: this.step };
    await callbacks.onCheckpoint?.(file, this.step);
  }

  /** Everything needed to continue exactly: weights, optimiser slots, RNG states, counters, config. */
  async snapshot(): Promise<TrainerSnapshot> {
    const weights = this.model.weights;
    const variables = [...this.model.trainableVariables(), ...(this.logTemperature ? [this.logTemperature] : [])];
    return {
      config: this.config,
      step: this.step,
      epoch: this.epoch,
      stepInEpoch: this.stepInEpoch,
      epochLossSum: this.epochLossSum,
      logLossSum: this.logLossSum,
      logLossCount: this.logLossCount,
      dataRngEpochStart: this.epochStartDataState,
      viewRng: this.viewRng.getState(),
      logTemperature: this.logTemperature ? (await this.logTemperature.data())[0] : null,
      weights: await Promise.all(weights.map(async (w) => ({ name: w.originalName, shape: w.shape as number[], values: Float32Array.from(await w.read().data()) }))),
      variableNames: variables.map((v) => v.name),
      optimizer: await this.optimizer.getState(),
      ...(this.metadata ? { metadata: this.metadata } : {}),
    };
  }

  private restore(s: TrainerSnapshot): void {
    try {
      setModelWeights(this.model, s.weights);
    } catch (err) {
      throw new Error(`resume: ${(err as Error).message}`);
    }
    if (this.logTemperature && s.logTemperature !== null) tf.tidy(() => this.logTemperature!.assign(tf.scalar(s.logTemperature!)));
    const names = [...this.model.trainableVariables(), ...(this.logTemperature ? [this.logTemperature] : [])].map((v) => v.name);
    this.optimizer.setState(s.optimizer, { renameVariable: (saved) => names[s.variableNames.indexOf(saved)] ?? saved });
    this.step = s.step;
    this.epoch = s.epoch;
    this.stepInEpoch = s.stepInEpoch;
    this.epochLossSum = s.epochLossSum;
    this.logLossSum = s.logLossSum ?? 0;
    this.logLossCount = s.logLossCount ?? 0;
    this.epochStartDataState = s.dataRngEpochStart;
    this.viewRng.setState(s.viewRng);
  }

  /** Rebuild a trainer from a checkpoint file and continue where it stopped (same dataset expected). */
  static fromCheckpoint(file: string, options: Omit<TrainerOptions, 'config'> & { config?: Partial<TrainConfig> }): SimclrTrainer {
    const snapshot = readTrainerCheckpoint(file);
    const config = { ...snapshot.config, ...(options.config ?? {}) } as TrainConfig;
    const trainer = new SimclrTrainer({ ...options, config }, snapshot);
    trainer.lastCheckpoint = { file, step: snapshot.step };
    return trainer;
  }

  /** Free model, optimiser slots and the temperature variable. */
  dispose(): void {
    this.model.dispose();
    this.optimizer.dispose();
    this.logTemperature?.dispose();
  }
}

function epochRows(result: TrainResult): (string | number)[][] {
  return result.epochs.map((e) => [e.epoch, e.step, e.loss.toFixed(4), e.learningRate.toExponential(2), e.temperature.toFixed(3), Math.round(e.imagesPerSecond), e.epochSeconds.toFixed(1), Object.entries(e.metrics).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ')]);
}

const EPOCH_HEADERS = ['epoch', 'step', 'loss', 'lr', 'τ', 'img/s', 's', 'metrics'];

/** One line per epoch plus a summary line: how a TrainResult prints. */
export function formatTrainResult(result: TrainResult): string {
  const lines = epochRows(result).map((r) => EPOCH_HEADERS.map((h, i) => `${h} ${r[i]}`).filter((t) => !t.endsWith(' ')).join('  '));
  lines.push(`${result.stopped ? 'stopped' : 'finished'} at step ${result.step} in ${result.seconds.toFixed(1)} s`);
  return lines.join('\n');
}

/** A TrainResult as an HTML table of its epochs (what a notebook shows for `await trainer.fit()`). */
export function trainResultHtml(result: TrainResult): string {
  return simpleTableHtml(EPOCH_HEADERS, epochRows(result), `${result.stopped ? 'stopped' : 'finished'} at step ${result.step} in ${result.seconds.toFixed(1)} s`);
}
