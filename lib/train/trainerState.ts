/** Mapping a trainer's state to a snapshot (what a checkpoint holds) and back; the file format is trainerCheckpoint.ts'. */
import * as tf from '@tensorflow/tfjs';
import { TrainConfig } from './config';
import { setModelWeights } from './loadModel';
import { TrainerParts, optimizedVariables } from './trainerParts';
import { TrainerSnapshot } from './trainerCheckpoint';

type RngState = [number, number, number, number];

/** A trainer's counters, loss sums and RNG states: everything of a run besides its model, optimiser and τ. */
export interface TrainerProgress {
  /** Optimiser steps done. */
  step: number;
  /** Completed epochs, and batches done in the current one. */
  epoch: number;
  stepInEpoch: number;
  /** Sum of the current epoch's losses read back so far. */
  epochLossSum: number;
  /** Losses read back since the last step log (kept so a stop between logs loses none). */
  logLossSum: number;
  logLossCount: number;
  /** Data-order RNG at the start of the current epoch (its permutation is replayed on resume). */
  dataRngEpochStart: RngState;
  viewRng: RngState;
}

/** Everything needed to continue exactly: weights, optimiser slots, log τ, RNG states, counters, config, metadata. */
export async function takeSnapshot(config: TrainConfig, parts: TrainerParts, progress: TrainerProgress, metadata: Record<string, unknown> | undefined): Promise<TrainerSnapshot> {
  const { model, optimizer, logTemperature } = parts;
  return {
    config,
    step: progress.step,
    epoch: progress.epoch,
    stepInEpoch: progress.stepInEpoch,
    epochLossSum: progress.epochLossSum,
    logLossSum: progress.logLossSum,
    logLossCount: progress.logLossCount,
    dataRngEpochStart: progress.dataRngEpochStart,
    viewRng: progress.viewRng,
    logTemperature: logTemperature ? (await logTemperature.data())[0] : null,
    weights: await Promise.all(model.weights.map(async (w) => ({ name: w.originalName, shape: w.shape as number[], values: Float32Array.from(await w.read().data()) }))),
    variableNames: optimizedVariables(parts).map((v) => v.name),
    optimizer: await optimizer.getState(),
    ...(metadata ? { metadata } : {}),
  };
}

/**
 * Copy a snapshot's weights, log τ and optimiser slots into freshly built parts (optimiser slots are matched to
 * the rebuilt variables by position, as variable names differ between processes) and return its progress.
 * Checkpoints written before the log-loss sums default them to 0.
 */
export function restoreSnapshot(parts: TrainerParts, s: TrainerSnapshot): TrainerProgress {
  try {
    setModelWeights(parts.model, s.weights);
  } catch (err) {
    throw new Error(`resume: ${(err as Error).message}`);
  }
  const logTemperature = parts.logTemperature;
  if (logTemperature && s.logTemperature !== null) tf.tidy(() => logTemperature.assign(tf.scalar(s.logTemperature!)));
  const names = optimizedVariables(parts).map((v) => v.name);
  parts.optimizer.setState(s.optimizer, { renameVariable: (saved) => names[s.variableNames.indexOf(saved)] ?? saved });
  return {
    step: s.step,
    epoch: s.epoch,
    stepInEpoch: s.stepInEpoch,
    epochLossSum: s.epochLossSum,
    logLossSum: s.logLossSum ?? 0,
    logLossCount: s.logLossCount ?? 0,
    dataRngEpochStart: s.dataRngEpochStart,
    viewRng: s.viewRng,
  };
}
