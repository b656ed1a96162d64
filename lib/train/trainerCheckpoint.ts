/** Mapping the trainer's state to and from a checkpoint file (see checkpoint.ts for the file format). */
import { OptimizerState } from './optimizerBase';
import { TrainConfig } from './config';
import { CheckpointError, NamedArray, readCheckpoint, writeCheckpoint } from './checkpoint';

/** The trainer's full state. */
export interface TrainerSnapshot {
  config: TrainConfig;
  step: number;
  epoch: number;
  stepInEpoch: number;
  epochLossSum: number;
  /**
   * Losses read back since the last step log but not yet logged (a stop between two logs), so the first log
   * after a resume averages the same steps as an uninterrupted run. Absent in checkpoints written before it: 0.
   */
  logLossSum?: number;
  logLossCount?: number;
  /** Data-order RNG at the start of the current epoch (its permutation is replayed on resume). */
  dataRngEpochStart: [number, number, number, number];
  viewRng: [number, number, number, number];
  logTemperature: number | null;
  /** Model weights in `SimclrModel.weights` order (trainable and BN moving statistics). */
  weights: NamedArray[];
  /** Names of the optimised variables when saved, in order, to map optimiser slots onto a rebuilt model. */
  variableNames: string[];
  optimizer: OptimizerState;
  /** Whatever the trainer's owner stored with the run (the CLI: where the data came from); absent when none. */
  metadata?: Record<string, unknown>;
}

type Header = Omit<TrainerSnapshot, 'weights' | 'optimizer'> & { optimizer: Omit<OptimizerState, 'slots'>; weightCount: number };

/** Write a trainer snapshot atomically to `file` (synchronous: temporary file, fsync, rename; see checkpoint.ts). */
export function writeTrainerCheckpoint(file: string, s: TrainerSnapshot): void {
  const { weights, optimizer, ...rest } = s;
  const { slots, ...optimizerMeta } = optimizer;
  const header: Header = { ...rest, optimizer: optimizerMeta, weightCount: weights.length };
  writeCheckpoint<Header>(file, { header, arrays: [...weights, ...slots.map((slot) => ({ name: slot.name, shape: slot.shape, values: slot.values }))] });
}

/**
 * Read a trainer snapshot. Errors name the file: missing, not a checkpoint, truncated, damaged (checksum), not a
 * trainer checkpoint, or holding NaN/±Infinity in a weight or optimiser slot (a trainer never writes those: it
 * stops on a non-finite loss before checkpointing).
 */
export function readTrainerCheckpoint(file: string): TrainerSnapshot {
  const { header, arrays } = readCheckpoint<Header>(file);
  if (typeof header?.weightCount !== 'number' || !header.config || !header.optimizer) {
    throw new CheckpointError(file, `readTrainerCheckpoint: ${file} is a checkpoint but not a trainer checkpoint (no config/optimizer/weights)`);
  }
  for (const a of arrays) {
    const bad = a.values.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) throw new CheckpointError(file, `readTrainerCheckpoint: ${file} is damaged: '${a.name}' holds ${a.values[bad]} at index ${bad}; it cannot be used`);
  }
  const { weightCount, optimizer, ...rest } = header;
  return {
    ...rest,
    weights: arrays.slice(0, weightCount),
    optimizer: { ...optimizer, slots: arrays.slice(weightCount) },
  };
}
