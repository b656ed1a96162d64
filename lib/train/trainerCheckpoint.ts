/** Mapping the trainer's state to and from a checkpoint file (see checkpoint.ts for the file format). */
import { OptimizerState } from './optimizerBase';
import { TrainConfig } from './config';
import { NamedArray, readCheckpoint, writeCheckpoint } from './checkpoint';

/** The trainer's full state. */
export interface TrainerSnapshot {
  config: TrainConfig;
  step: number;
  epoch: number;
  stepInEpoch: number;
  epochLossSum: number;
  /** Data-order RNG at the start of the current epoch (its permutation is replayed on resume). */
  dataRngEpochStart: [number, number, number, number];
  viewRng: [number, number, number, number];
  logTemperature: number | null;
  /** Model weights in `SimclrModel.weights` order (trainable and BN moving statistics). */
  weights: NamedArray[];
  /** Names of the optimised variables when saved, in order, to map optimiser slots onto a rebuilt model. */
  variableNames: string[];
  optimizer: OptimizerState;
}

type Header = Omit<TrainerSnapshot, 'weights' | 'optimizer'> & { optimizer: Omit<OptimizerState, 'slots'>; weightCount: number };

/** Write a trainer snapshot atomically to `file`. */
export async function writeTrainerCheckpoint(file: string, s: TrainerSnapshot): Promise<void> {
  const { weights, optimizer, ...rest } = s;
  const { slots, ...optimizerMeta } = optimizer;
  const header: Header = { ...rest, optimizer: optimizerMeta, weightCount: weights.length };
  writeCheckpoint<Header>(file, { header, arrays: [...weights, ...slots.map((slot) => ({ name: slot.name, shape: slot.shape, values: slot.values }))] });
}

/** Read a trainer snapshot; errors name the file (missing, not a checkpoint, truncated). */
export function readTrainerCheckpoint(file: string): TrainerSnapshot {
  const { header, arrays } = readCheckpoint<Header>(file);
  if (typeof header?.weightCount !== 'number' || !header.config || !header.optimizer) {
    throw new Error(`readTrainerCheckpoint: ${file} is a checkpoint but not a trainer checkpoint (no config/optimizer/weights)`);
  }
  const { weightCount, optimizer, ...rest } = header;
  return {
    ...rest,
    weights: arrays.slice(0, weightCount),
    optimizer: { ...optimizer, slots: arrays.slice(weightCount) },
  };
}
