/** What a SimCLR trainer trains, built from its config: the model (from the registry), the optimiser and τ. */
import * as tf from '@tensorflow/tfjs';
import { ImageDataset } from '../data/dataset';
import { buildModel } from '../models/registry';
import { SimclrModel } from '../models/simclrModel';
import { TrainConfig } from './config';
import { StatefulOptimizer, createOptimizer } from './optimizers';
import { scaledLearningRate } from './schedule';

/** The trained objects of a run. */
export interface TrainerParts {
  model: SimclrModel;
  optimizer: StatefulOptimizer;
  /** log τ when the temperature is learned (CLIP-style), else null. */
  logTemperature: tf.Variable | null;
}

/**
 * Throw unless the views of `dataset`'s images have the shape the config's model takes, and there are at least
 * two images (each image's negatives are the others).
 */
export function checkDatasetFitsModel(config: TrainConfig, dataset: ImageDataset): void {
  const [, h, w, c] = dataset.shape;
  const [mh, mw, mc] = config.model.inputShape;
  const crop = config.views.crop;
  const viewSize = crop ? (Array.isArray(crop.size) ? crop.size : [crop.size, crop.size]) : [h, w];
  if (c !== mc || viewSize[0] !== mh || viewSize[1] !== mw) {
    throw new Error(`SimclrTrainer: views give ${viewSize[0]}×${viewSize[1]}×${c} images but the model takes ${mh}×${mw}×${mc} (dataset ${dataset.name} is ${h}×${w}×${c})`);
  }
  if (dataset.shape[0] < 2) throw new Error(`SimclrTrainer: the dataset has ${dataset.shape[0]} images; contrastive training needs at least 2`);
}

/**
 * Build the model (weights from `config.seed`), the optimiser at the batch-scaled base learning rate, and log τ
 * when learnable; in that order, so the same config gives the same initial state.
 */
export function buildTrainerParts(config: TrainConfig): TrainerParts {
  const model = buildModel(config.model, config.seed);
  const { learningRate, learningRateScaling, batchSize, optimizer: kind, weightDecay, momentum } = config;
  const optimizer = createOptimizer({ kind, learningRate: scaledLearningRate(learningRate, batchSize, learningRateScaling), weightDecay, momentum });
  const logTemperature = config.learnableTemperature ? tf.tidy(() => tf.variable(tf.scalar(Math.log(config.temperature)), true)) : null;
  return { model, optimizer, logTemperature };
}

/** The variables the optimiser updates, in order: the model's trainable weights, then log τ when learned. */
export function optimizedVariables(parts: TrainerParts): tf.Variable[] {
  return [...parts.model.trainableVariables(), ...(parts.logTemperature ? [parts.logTemperature] : [])];
}

/** τ as a tensor (learned: exp of log τ clamped to `temperatureRange`) or a number (fixed). */
export function temperatureOf(parts: TrainerParts, config: TrainConfig): number | tf.Scalar {
  if (!parts.logTemperature) return config.temperature;
  const [low, high] = config.temperatureRange;
  return tf.exp(tf.clipByValue(parts.logTemperature, Math.log(low), Math.log(high))) as tf.Scalar;
}

/** Clamp a learned log τ back into `temperatureRange` after an update (no-op for a fixed τ). */
export function clampLogTemperature(parts: TrainerParts, config: TrainConfig): void {
  const logTemperature = parts.logTemperature;
  if (!logTemperature) return;
  const [low, high] = config.temperatureRange;
  tf.tidy(() => logTemperature.assign(tf.clipByValue(logTemperature, Math.log(low), Math.log(high))));
}
