/** Loading a trained model from a trainer checkpoint, without a trainer, an optimiser or a dataset. */
import * as tf from '@tensorflow/tfjs';
import { SimclrModel } from '../models/simclrModel';
import { NamedArray } from './checkpoint';
import { buildModel } from '../models/registry';
import { TrainerSnapshot, readTrainerCheckpoint } from './trainerCheckpoint';

/**
 * Copy saved weights into a model, in `SimclrModel.weights` order (trainable weights and batch-norm moving
 * statistics). @throws when the count or a shape differs (the checkpoint belongs to another architecture).
 */
export function setModelWeights(model: SimclrModel, saved: NamedArray[]): void {
  const weights = model.weights;
  if (saved.length !== weights.length) throw new Error(`checkpoint has ${saved.length} weights, the model has ${weights.length}`);
  saved.forEach((w, i) => {
    if (w.shape.join() !== (weights[i].shape as number[]).join()) {
      throw new Error(`weight ${w.name} has shape [${w.shape}], the model's ${weights[i].originalName} has [${weights[i].shape}]`);
    }
  });
  const tensors = saved.map((w) => tf.tensor(w.values, w.shape));
  model.setWeights(tensors);
  tensors.forEach((t) => t.dispose());
}

/** Build the model a trainer snapshot describes and copy its weights in (`source` names it in errors). The caller disposes it. */
export function modelFromSnapshot(snapshot: TrainerSnapshot, source: string): SimclrModel {
  const model = buildModel(snapshot.config.model, snapshot.config.seed);
  try {
    setModelWeights(model, snapshot.weights);
  } catch (err) {
    model.dispose();
    throw new Error(`loadModelFromCheckpoint: ${source}: ${(err as Error).message}`);
  }
  return model;
}

/**
 * Rebuild the model a trainer checkpoint holds (its `config.model`, its weights) for inference: embedding,
 * probing, export. The file is verified first (checksum, finite values): a damaged file is refused with an
 * error naming it. The caller disposes `model`.
 */
export function loadModelFromCheckpoint(file: string): { model: SimclrModel; snapshot: TrainerSnapshot } {
  const snapshot = readTrainerCheckpoint(file);
  return { model: modelFromSnapshot(snapshot, file), snapshot };
}
