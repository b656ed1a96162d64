/**
 * Training runs that are paid for once: a SimCLR run is stored under a key made from its whole config and
 * its data's fingerprint, and reloaded (verified) the next time any notebook or script asks for the same run.
 * A run interrupted part-way (a notebook stopped, a kernel restarted) resumes from its last epoch checkpoint.
 *
 * Files, in the cache folder: `simclr-<key>.ckpt` (a trainer checkpoint, see lib/train/checkpoint.ts) and
 * `simclr-<key>.json` (the run's step and epoch logs and training time, for its curves).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ImageDataset, datasetFingerprint } from '../data/dataset';
import { SimclrModel } from '../models/simclrModel';
import { EpochLog, StepLog, TrainCallbacks, combineCallbacks } from '../train/callbacks';
import { CHECKPOINT_VERSION } from '../train/checkpoint';
import { writeFileAtomic } from '../train/atomicFile';
import { TrainConfig, validateConfig } from '../train/config';
import { loadModelFromCheckpoint, modelFromSnapshot } from '../train/loadModel';
import { SimclrTrainer } from '../train/trainer';
import { readTrainerCheckpoint } from '../train/trainerCheckpoint';

export interface CachedRunOptions {
  config: TrainConfig;
  /** Training images (labels unused). */
  dataset: ImageDataset;
  /**
   * Folder of cached runs. Default: $SIMCLR_CACHE_DIR, else `out/cache` in the project folder (the nearest folder
   * at or above the working folder that holds a package.json; the working folder when there is none).
   */
  cacheDir?: string;
  /** Listeners for a run that trains (not called when the run is loaded from the cache). */
  callbacks?: TrainCallbacks;
}

/** A trained model and the record of its training (the same whether it was trained now or loaded). */
export interface CachedRun {
  model: SimclrModel;
  config: TrainConfig;
  /** The checkpoint file holding the run. */
  file: string;
  /** True when nothing was trained now: the finished run was in the cache. */
  cached: boolean;
  /** Epochs trained in this call (0 when cached). */
  epochsTrainedNow: number;
  steps: StepLog[];
  epochs: EpochLog[];
  /** Seconds of training the run took in total (over every call that trained part of it). */
  trainSeconds: number;
}

interface RunLog {
  config: TrainConfig;
  steps: StepLog[];
  epochs: EpochLog[];
  trainSeconds: number;
}

/** The default cache folder: $SIMCLR_CACHE_DIR, else <project>/out/cache. */
export function defaultCacheDir(): string {
  if (process.env.SIMCLR_CACHE_DIR) return path.resolve(process.env.SIMCLR_CACHE_DIR);
  let dir = process.cwd();
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'out', 'cache');
    const parent = path.dirname(dir);
    if (parent === dir) return path.join(process.cwd(), 'out', 'cache');
    dir = parent;
  }
}

/** JSON with every object's keys sorted: the same value gives the same text whatever order its keys were written in. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));
}

/**
 * The key of a run: SHA-256 of its config, its data's fingerprint and the checkpoint format (16 hex digits).
 * Key order does not matter (`{ kind: 'mlp', layers: 2 }` and `{ layers: 2, kind: 'mlp' }` are one run), so two
 * notebooks that build the same config differently share the cached run.
 */
export function runKey(config: TrainConfig, dataset: ImageDataset): string {
  return createHash('sha256').update(canonicalJson({ config, data: datasetFingerprint(dataset), format: CHECKPOINT_VERSION })).digest('hex').slice(0, 16);
}

function readLog(file: string): RunLog | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as RunLog;
  } catch {
    return null;
  }
}

/**
 * Train a SimCLR run once and reuse it: when the cache holds the finished run (same config, same images), load
 * its model (the checkpoint is verified: a damaged file is an error naming it, never silently retrained); when it
 * holds part of it (checkpoints follow `config.checkpointEveryEpochs`), resume; otherwise train from the start.
 * The caller disposes `model`.
 */
export async function trainCached(options: CachedRunOptions): Promise<CachedRun> {
  const config = validateConfig(options.config);
  const { dataset, callbacks } = options;
  const dir = options.cacheDir ?? defaultCacheDir();
  const key = runKey(config, dataset);
  const file = path.join(dir, `simclr-${key}.ckpt`);
  const logFile = path.join(dir, `simclr-${key}.json`);
  const previous = fs.existsSync(file) ? readTrainerCheckpoint(file) : null; // verified: a damaged file throws
  const log: RunLog = (previous && readLog(logFile)) || { config, steps: [], epochs: [], trainSeconds: 0 };
  if (previous && previous.epoch >= config.epochs) {
    const model = modelFromSnapshot(previous, file); // the file was read and verified once, above
    return { model, config, file, cached: true, epochsTrainedNow: 0, steps: log.steps, epochs: log.epochs, trainSeconds: log.trainSeconds };
  }
  // Keep only the records up to the checkpoint (an interrupted epoch is trained again).
  const resumeStep = previous?.step ?? 0;
  log.steps = log.steps.filter((s) => s.step <= resumeStep);
  log.epochs = log.epochs.filter((e) => e.step <= resumeStep);
  const started = performance.now();
  const recorder: TrainCallbacks = {
    onStep: (s) => { log.steps.push(s); },
    onEpochEnd: (e) => { log.epochs.push(e); },
    onCheckpoint: () => {
      writeFileAtomic(logFile, [JSON.stringify({ ...log, trainSeconds: log.trainSeconds + (performance.now() - started) / 1000 })]);
    },
  };
  const trainerOptions = { dataset, checkpointPath: file, callbacks: combineCallbacks(recorder, callbacks) };
  const trainer = previous ? SimclrTrainer.fromCheckpoint(file, trainerOptions) : new SimclrTrainer({ ...trainerOptions, config });
  const epochsBefore = trainer.epoch;
  try {
    const result = await trainer.fit();
    log.trainSeconds += result.seconds;
    writeFileAtomic(logFile, [JSON.stringify(log)]);
  } finally {
    trainer.dispose();
  }
  const { model } = loadModelFromCheckpoint(file);
  return { model, config, file, cached: false, epochsTrainedNow: config.epochs - epochsBefore, steps: log.steps, epochs: log.epochs, trainSeconds: log.trainSeconds };
}
