/**
 * The SimCLR training loop (Chen et al. 2020, arXiv 2002.05709, Algorithm 1), readable top to bottom:
 * for each mini-batch of N images: two views → one pass of encoder + head over the 2N views → contrastive
 * loss → one optimiser step; the loss is read back only every `logEvery` steps. What it trains is built in
 * trainerParts.ts, the step counts come from trainingPlan.ts, checkpoints map through trainerState.ts.
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
import { StatefulOptimizer } from './optimizers';
import { learningRateAt, scaledLearningRate } from './schedule';
import { TrainerSnapshot, readTrainerCheckpoint, writeTrainerCheckpoint } from './trainerCheckpoint';
import { TrainerParts, buildTrainerParts, checkDatasetFitsModel, clampLogTemperature, optimizedVariables, temperatureOf } from './trainerParts';
import { TrainerProgress, restoreSnapshot, takeSnapshot } from './trainerState';
import { TrainingPlan, checkTrainingPlan } from './trainingPlan';
import { TrainResult, displayableTrainResult } from './trainResult';

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
  private readonly parts: TrainerParts;
  private readonly plan: TrainingPlan;
  private readonly dataRng: Rng;
  private readonly viewRng: Rng;
  private epochStartDataState: [number, number, number, number];
  private epochLossSum = 0;
  /** Losses read back since the last step log (kept in checkpoints so a stop between logs loses none). */
  private logLossSum = 0;
  private logLossCount = 0;
  /** The checkpoint this run last wrote or resumed from, for the divergence message. */
  private lastCheckpoint: { file: string; step: number } | null = null;
  private readonly metadata: Record<string, unknown> | undefined;
  private readonly options: TrainerOptions;

  constructor(options: TrainerOptions, snapshot?: TrainerSnapshot) {
    this.options = options;
    this.config = validateConfig(options.config);
    checkDatasetFitsModel(this.config, options.dataset);
    this.plan = checkTrainingPlan(this.config, options.dataset.shape[0]);
    this.metadata = options.metadata ?? snapshot?.metadata;
    this.parts = buildTrainerParts(this.config);
    this.model = this.parts.model;
    this.optimizer = this.parts.optimizer;
    this.logTemperature = this.parts.logTemperature;
    this.dataRng = new Rng(this.config.seed + 1000);
    this.viewRng = new Rng(this.config.seed + 2000);
    this.epochStartDataState = this.dataRng.getState();
    if (snapshot) {
      try {
        this.setProgress(restoreSnapshot(this.parts, snapshot));
      } catch (err) {
        this.dispose();
        throw err;
      }
    }
  }

  /** Steps in one epoch: ⌊n/N⌋ with dropLast, else ⌈n/N⌉ (a last batch of one image is skipped: the loss needs 2). */
  get stepsPerEpoch(): number {
    return this.plan.stepsPerEpoch;
  }

  get totalSteps(): number {
    return this.plan.totalSteps;
  }

  /** Learning rate for the next step: scaled base rate through the warmup/cosine schedule (a pure function of the step). */
  learningRateAt(step: number): number {
    const base = scaledLearningRate(this.config.learningRate, this.config.batchSize, this.config.learningRateScaling);
    const { warmupSteps, totalSteps } = this.plan;
    return learningRateAt(step, { baseLearningRate: base, warmupSteps, totalSteps: Math.max(totalSteps, warmupSteps + 1), schedule: this.config.schedule });
  }

  /** Current τ as a number (a device read when learned). */
  currentTemperature(): number {
    if (!this.logTemperature) return this.config.temperature;
    return tf.tidy(() => (temperatureOf(this.parts, this.config) as tf.Scalar).dataSync()[0]);
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
    const variables = optimizedVariables(this.parts);
    const lossFn = this.config.loss === 'infoNCE' ? infoNCE : ntXent;
    const loss = tf.tidy(() => {
      const [view1, view2] = twoViews(images, this.config.views, this.viewRng); // (N, H, W, C) each
      const both = tf.concat([view1, view2], 0) as tf.Tensor4D; // (2N, H, W, C)
      return this.optimizer.minimize(() => {
        const { z } = this.model.embed(both, { training: true }); // (2N, D)
        const z1 = tf.slice(z, [0, 0], [n, -1]) as tf.Tensor2D; // (N, D)
        const z2 = tf.slice(z, [n, 0], [n, -1]) as tf.Tensor2D; // (N, D)
        return lossFn(z1, z2, { temperature: temperatureOf(this.parts, this.config) });
      }, true, variables) as tf.Scalar;
    });
    clampLogTemperature(this.parts, this.config);
    this.step += 1;
    return loss;
  }

  /** Run from the current state to `config.epochs`; see TrainerOptions for callbacks, checkpoints and stopping. */
  async fit(): Promise<TrainResult> {
    const { dataset, callbacks = {}, checkpointPath, signal, evaluate } = this.options;
    const { batchSize, epochs, logEvery, checkpointEveryEpochs } = this.config;
    const n = dataset.shape[0];
    const startStep = this.step;
    const result: TrainResult = { epochs: [], steps: [], stopped: false, step: this.step, seconds: 0 };
    const started = performance.now();
    const pending = new PendingLosses(); // losses not yet read back
    let lastLogTime = started;
    let imagesSinceLog = 0;

    // Read back the pending losses (one device sync), refuse a non-finite one, add them to the epoch's and the log's sums.
    const settleLosses = async (): Promise<void> => {
      const read = await pending.drain(this.step);
      if (!read) return;
      this.throwIfDiverged(read, checkpointPath);
      this.addLosses(read.values);
    };

    try {
      while (this.epoch < epochs) {
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
          const start = this.stepInEpoch * batchSize;
          const indices = order.subarray(start, Math.min(n, start + batchSize));
          const images = imagesToTensor(dataset, indices); // (N, H, W, C) in [0, 1]
          pending.push(this.trainStep(images));
          images.dispose();
          this.stepInEpoch += 1;
          imagesSinceLog += indices.length;
          // ── log: the only device sync ──
          if (this.step % logEvery === 0 || this.stepInEpoch === this.stepsPerEpoch) {
            await settleLosses();
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
        await settleLosses();
        const seconds = (performance.now() - epochStarted) / 1000;
        const epochLog: EpochLog = {
          epoch: this.epoch + 1, step: this.step, loss: this.epochLossSum / this.stepsPerEpoch,
          learningRate: this.optimizer.learningRate, temperature: this.currentTemperature(),
          imagesPerSecond: (stepsThisRun * batchSize) / Math.max(1e-9, seconds), epochSeconds: seconds,
          metrics: evaluate ? await evaluate(this.model, this.epoch + 1) : {},
        };
        this.epoch += 1;
        this.stepInEpoch = 0;
        this.epochLossSum = 0;
        this.epochStartDataState = this.dataRng.getState();
        result.epochs.push(epochLog);
        await callbacks.onEpochEnd?.(epochLog);
        const periodic = checkpointEveryEpochs > 0 && this.epoch % checkpointEveryEpochs === 0;
        if (checkpointPath && (periodic || this.epoch === epochs)) await this.checkpoint(checkpointPath, callbacks);
      }
      if (result.stopped) {
        await settleLosses();
        if (checkpointPath) await this.checkpoint(checkpointPath, callbacks);
      }
    } finally {
      pending.dispose();
    }
    result.step = this.step;
    result.seconds = (performance.now() - started) / 1000;
    return displayableTrainResult(result);
  }

  /** @throws TrainingDivergedError at the first NaN or ±Infinity among losses read back (steps firstStep, firstStep + 1, …). */
  private throwIfDiverged({ values, firstStep }: ReadLosses, checkpointPath: string | undefined): void {
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new TrainingDivergedError(firstStep + bad, values[bad], this.lastCheckpoint, checkpointPath);
  }

  /** Add losses read back to the current epoch's sum and to the next step log's. */
  private addLosses(values: Float32Array): void {
    for (const value of values) {
      this.epochLossSum += value;
      this.logLossSum += value;
      this.logLossCount += 1;
    }
  }

  private async checkpoint(file: string, callbacks: TrainCallbacks): Promise<void> {
    writeTrainerCheckpoint(file, await this.snapshot());
    this.lastCheckpoint = { file, step: this.step };
    await callbacks.onCheckpoint?.(file, this.step);
  }

  /** Everything needed to continue exactly: weights, optimiser slots, RNG states, counters, config. */
  async snapshot(): Promise<TrainerSnapshot> {
    return takeSnapshot(this.config, this.parts, this.progress(), this.metadata);
  }

  private progress(): TrainerProgress {
    const { step, epoch, stepInEpoch, epochLossSum, logLossSum, logLossCount } = this;
    return { step, epoch, stepInEpoch, epochLossSum, logLossSum, logLossCount, dataRngEpochStart: this.epochStartDataState, viewRng: this.viewRng.getState() };
  }

  private setProgress(p: TrainerProgress): void {
    ({ step: this.step, epoch: this.epoch, stepInEpoch: this.stepInEpoch, epochLossSum: this.epochLossSum, logLossSum: this.logLossSum, logLossCount: this.logLossCount } = p);
    this.epochStartDataState = p.dataRngEpochStart;
    this.viewRng.setState(p.viewRng);
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

/** Losses read back in one sync: the values and the step of the first. */
interface ReadLosses {
  values: Float32Array;
  firstStep: number;
}

/** Loss tensors of steps not yet read back; `drain` reads them all in one device sync. */
class PendingLosses {
  private tensors: tf.Scalar[] = [];

  push(loss: tf.Scalar): void {
    this.tensors.push(loss);
  }

  /** Read back and free the pending losses, the last of which is step `lastStep`; null when none is pending. */
  async drain(lastStep: number): Promise<ReadLosses | null> {
    if (this.tensors.length === 0) return null;
    const stacked = tf.stack(this.tensors);
    const values = (await stacked.data()) as Float32Array;
    stacked.dispose();
    this.dispose();
    return { values, firstStep: lastStep - values.length + 1 };
  }

  /** Free what is still pending (after an error). */
  dispose(): void {
    this.tensors.forEach((t) => t.dispose());
    this.tensors = [];
  }
}
