/**
 * `simclr train`: pretrain on a dataset, with checkpoints, metrics, resume and Ctrl-C handling.
 *
 * A run lives in one folder (`--out`). A fresh run never overwrites another: starting where a run exists is a
 * usage error unless `--overwrite` says to start over. `--resume` continues the saved run exactly: the data
 * (source, folder, limit, image size, checked by fingerprint), preset, batch size, seed, optimiser, schedule and
 * the rest of the config come from the checkpoint; a flag that disagrees is refused by name. Raising
 * `--epochs` is the one change allowed, and only with a constant learning rate (a cosine schedule is planned
 * for the run's length).
 */
import * as fs from 'fs';
import * as path from 'path';
import { initBackend, formatBackendReport } from '../backend';
import { ImageDataset, datasetFingerprint, describe } from '../data/dataset';
import { PRESETS, PresetName, TrainConfig, fitConfigToData, makeConfig, validateConfig } from '../train/config';
import { combineCallbacks, jsonlMetrics, progressBar } from '../train/callbacks';
import { writeFileAtomic } from '../train/atomicFile';
import { RUN_FILES, clearRun, rewindMetrics, runFilesIn } from '../train/runFolder';
import { SimclrTrainer } from '../train/trainer';
import { TrainingPlanError } from '../train/trainingPlan';
import { TrainerSnapshot, readTrainerCheckpoint } from '../train/trainerCheckpoint';
import { UsageError, choiceOption, intOption, parseCommand, positiveOption, SEED_MAX } from './args';
import { DATA_SOURCES, DataSource, loadDataSource } from '../data/sources';

export const TRAIN_USAGE = `Usage: simclr train [options]

Pretrain a SimCLR encoder. Writes <out>/checkpoint.ckpt, <out>/metrics.jsonl and <out>/config.json.

  --data <source>        ${DATA_SOURCES.join(' | ')} (default: default = Fashion-MNIST, else shapes)
  --data-dir <dir>       folder of the data (folder: required; fashion-mnist/cifar10: optional)
  --limit <n>            use only the first n training images
  --image-size <px>      image side for folder/shapes/fake (default 32)
  --preset <name>        ${Object.keys(PRESETS).join(' | ')} (default fashionMnistCpu)
  --epochs <n>           override the preset's epochs
  --batch-size <n>       images per step N (the loss sees 2N views)
  --lr <x>               base learning rate
  --temperature <x>      softmax temperature τ
  --learnable-temperature  learn τ
  --loss <name>          ntXent | infoNCE
  --optimizer <name>     adam | sgd | lars
  --seed <n>             seed for weights, order and views (0 to ${SEED_MAX})
  --log-every <n>        read the loss back every n steps
  --backend <name>       auto | tensorflow | webgpu | wasm | cpu (default auto, or $SIMCLR_BACKEND;
                         on --resume, the run's)
  --out <dir>            run folder (default out/train)
  --resume               continue the run in <out> exactly where its checkpoint stopped; its data and
                         settings come from the run (a flag that disagrees is refused; --epochs may be
                         raised when the learning rate is constant)
  --overwrite            start a fresh run in <out>, deleting the run already there
  -h, --help             this help

Ctrl-C stops at the next step, writes a final checkpoint, and exits; run again with --resume to continue.`;

const SPEC = {
  data: { type: 'string' }, 'data-dir': { type: 'string' }, limit: { type: 'string' }, 'image-size': { type: 'string' },
  preset: { type: 'string' }, epochs: { type: 'string' }, 'batch-size': { type: 'string' }, lr: { type: 'string' },
  temperature: { type: 'string' }, 'learnable-temperature': { type: 'boolean' }, loss: { type: 'string' }, optimizer: { type: 'string' },
  seed: { type: 'string' }, 'log-every': { type: 'string' }, backend: { type: 'string' }, out: { type: 'string' },
  resume: { type: 'boolean' }, overwrite: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
} as const;

const BACKENDS = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
type BackendChoice = (typeof BACKENDS)[number];

/** Where a run's training data came from; stored in its checkpoints so `--resume` reloads the same images. */
export interface RunData {
  source: DataSource;
  /** `--data-dir` as given, and resolved against the working folder at the start of the run. */
  dir: string | null;
  resolvedDir: string | null;
  limit: number | null;
  imageSize: number | null;
  /** `datasetFingerprint` of the images trained on, and their shape. */
  fingerprint: string;
  shape: [number, number, number, number];
}

/** What `simclr train` stores in every checkpoint besides the trainer state (TrainerOptions.metadata). */
export interface RunRecord {
  command: 'simclr train';
  data: RunData;
  preset: PresetName;
  backend: BackendChoice;
}

/** The flags a fresh run turns into config fields, with the field each sets (for conflict messages on resume). */
const CONFIG_FLAGS: { flag: string; field: keyof TrainConfig; label: string }[] = [
  { flag: 'batch-size', field: 'batchSize', label: 'batch size' },
  { flag: 'lr', field: 'learningRate', label: 'base learning rate' },
  { flag: 'temperature', field: 'temperature', label: 'temperature' },
  { flag: 'learnable-temperature', field: 'learnableTemperature', label: 'learnable temperature' },
  { flag: 'loss', field: 'loss', label: 'loss' },
  { flag: 'optimizer', field: 'optimizer', label: 'optimizer' },
  { flag: 'seed', field: 'seed', label: 'seed' },
  { flag: 'log-every', field: 'logEvery', label: 'log period' },
];

/** Read the config-field flags (undefined when absent). */
function readOverrides(v: Record<string, string | boolean | undefined>): Partial<TrainConfig> {
  const overrides: Partial<TrainConfig> = {};
  const set = <K extends keyof TrainConfig>(key: K, value: TrainConfig[K] | undefined) => { if (value !== undefined) overrides[key] = value; };
  set('epochs', intOption(v, 'epochs'));
  set('batchSize', intOption(v, 'batch-size', 2));
  set('learningRate', positiveOption(v, 'lr'));
  set('temperature', positiveOption(v, 'temperature'));
  set('seed', intOption(v, 'seed', 0, SEED_MAX));
  set('logEvery', intOption(v, 'log-every'));
  if (v['learnable-temperature']) overrides.learnableTemperature = true;
  if (v.loss !== undefined) overrides.loss = choiceOption(v, 'loss', ['ntXent', 'infoNCE'] as const, 'ntXent');
  if (v.optimizer !== undefined) overrides.optimizer = choiceOption(v, 'optimizer', ['adam', 'sgd', 'lars'] as const, 'adam');
  return overrides;
}

/** Load the training images the data flags name, and describe them for the run record. */
async function loadRunData(v: Record<string, string | boolean | undefined>): Promise<{ dataset: ImageDataset; data: RunData }> {
  const source = choiceOption(v, 'data', DATA_SOURCES, 'default');
  const dir = v['data-dir'] as string | undefined;
  const limit = intOption(v, 'limit');
  const imageSize = intOption(v, 'image-size');
  const dataset = await loadDataSource({ source, split: 'train', dir, limit, imageSize });
  const data: RunData = {
    source, dir: dir ?? null, resolvedDir: dir ? path.resolve(dir) : null, limit: limit ?? null, imageSize: imageSize ?? null,
    fingerprint: datasetFingerprint(dataset), shape: dataset.shape,
  };
  return { dataset, data };
}

/** `--out` must be a folder (created when missing). */
function checkOutFolder(out: string): void {
  if (fs.existsSync(out) && !fs.statSync(out).isDirectory()) {
    throw new UsageError(`--out ${out} is a file; it must be a folder (created when missing)`);
  }
}

/** The refusal for a fresh run where a run exists: names what is there and the two ways on. */
function existingRunError(out: string, files: string[]): UsageError {
  const hasCheckpoint = files.includes(RUN_FILES.checkpoint);
  const next = hasCheckpoint
    ? `continue it with 'simclr train --out ${out} --resume', start over with --overwrite (deletes it), or choose another --out`
    : `it has no checkpoint to resume (it stopped before its first one): start over with --overwrite (deletes it), or choose another --out`;
  return new UsageError(`${out} already holds a run (${files.join(', ')}); ${next}`);
}

/** Run `simclr train`; resolves to the process exit code. */
export async function trainCommand(argv: string[]): Promise<number> {
  const v = parseCommand(argv, SPEC);
  if (v.help) {
    console.log(TRAIN_USAGE);
    return 0;
  }
  const out = (v.out as string | undefined) ?? path.join('out', 'train');
  checkOutFolder(out);
  if (v.resume && v.overwrite) throw new UsageError('--resume continues the run in --out and --overwrite deletes it: give one of them');
  // Every flag is read (and checked) before anything is loaded or written.
  const overrides = readOverrides(v);
  intOption(v, 'limit'); // the data flags are checked here and read by loadRunData once training is planned
  intOption(v, 'image-size');
  choiceOption(v, 'data', DATA_SOURCES, 'default');
  const preset = choiceOption(v, 'preset', Object.keys(PRESETS) as PresetName[], 'fashionMnistCpu');
  const backend = choiceOption(v, 'backend', BACKENDS, 'auto');
  const checkpointPath = path.join(out, RUN_FILES.checkpoint);

  let plan: { config: TrainConfig; run: RunRecord; snapshot?: TrainerSnapshot; dataset: ImageDataset; backendReport: string };
  if (v.resume) {
    plan = await planResume(v, out, checkpointPath, overrides);
  } else {
    const existing = runFilesIn(out);
    if (existing.length > 0 && !v.overwrite) throw existingRunError(out, existing);
    const backendReport = formatBackendReport(await initBackend({ backend }));
    const { dataset, data } = await loadRunData(v);
    const config = validateConfig(fitConfigToData(makeConfig(overrides, preset), dataset));
    plan = { config, run: { command: 'simclr train', data, preset, backend }, dataset, backendReport };
  }
  console.error(plan.backendReport);
  console.error(describe(plan.dataset));
  if (plan.snapshot && plan.snapshot.epoch >= plan.config.epochs) {
    console.error(`${checkpointPath} already finished its ${plan.config.epochs} epochs at step ${plan.snapshot.step}; nothing to do (raise --epochs to train longer)`);
    return 0;
  }

  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130); // a second Ctrl-C: give up at once
    console.error('\nstopping at the next step; writing a checkpoint (Ctrl-C again to quit without it)…');
    controller.abort();
  };
  const metricsPath = path.join(out, RUN_FILES.metrics);
  const callbacks = combineCallbacks(progressBar(), jsonlMetrics(metricsPath)); // the metrics file is created at its first record
  const options = { dataset: plan.dataset, callbacks, checkpointPath, signal: controller.signal, metadata: plan.run as unknown as Record<string, unknown> };
  // Build the trainer first: an impossible plan (batch larger than the data, warmup as long as the run) fails here,
  // before anything in the folder is touched.
  let trainer: SimclrTrainer;
  try {
    trainer = plan.snapshot ? new SimclrTrainer({ ...options, config: plan.config }, plan.snapshot) : new SimclrTrainer({ ...options, config: plan.config });
  } catch (err) {
    if (err instanceof TrainingPlanError) throw new UsageError(planMessage(err.message, plan.dataset));
    throw err;
  }
  try {
    if (plan.snapshot) {
      const { dropped } = rewindMetrics(metricsPath, plan.snapshot.step);
      if (dropped > 0) console.error(`metrics.jsonl: dropped ${dropped} record(s) written after the checkpoint's step ${plan.snapshot.step}`);
      console.error(`resuming from ${checkpointPath} at step ${trainer.step} (epoch ${trainer.epoch + 1} of ${trainer.config.epochs})`);
    } else if (v.overwrite) {
      const removed = clearRun(out);
      if (removed.length > 0) console.error(`--overwrite: deleted the previous run (${removed.map((f) => path.basename(f)).join(', ')})`);
    }
    fs.mkdirSync(out, { recursive: true });
    writeFileAtomic(path.join(out, RUN_FILES.config), [`${JSON.stringify(trainer.config, null, 2)}\n`]);
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigint);
    const result = await trainer.fit();
    console.error(`${result.stopped ? 'stopped' : 'finished'} at step ${result.step} after ${result.seconds.toFixed(1)} s; checkpoint: ${checkpointPath}`);
    return result.stopped ? 130 : 0;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    trainer.dispose();
  }
}

/** The trainer's refusal of an impossible plan, in the CLI's words (flags instead of config fields). */
function planMessage(message: string, dataset: ImageDataset): string {
  return message
    .replace(/^SimclrTrainer: /, '')
    .replace(/^batchSize (\d+) is larger than the (\d+) training images( \(dropLast\))?/, `--batch-size $1 is larger than the $2 training images of ${dataset.name}`)
    .replace(/use a batch size of at most (\d+) or more images/, 'use --batch-size $1 or less, or more images (--limit)');
}

/** A flag given with --resume that disagrees with the run: refused, naming the flag, both values and the way on. */
function conflict(flag: string, given: unknown, label: string, saved: unknown, out: string): UsageError {
  return new UsageError(
    `--${flag} ${given} conflicts with the run in ${out} (its ${label} is ${saved}); a resumed run keeps its settings. ` +
    `Leave the flag out (or repeat the run's value), or start a new run in another --out (or with --overwrite) to change it`,
  );
}

/**
 * Work out a resume: read and verify the checkpoint, refuse flags that disagree with the run, reload the run's
 * data and check it is the same, and return the config (the run's, with --epochs raised if asked).
 */
async function planResume(v: Record<string, string | boolean | undefined>, out: string, checkpointPath: string, overrides: Partial<TrainConfig>) {
  if (!fs.existsSync(checkpointPath)) {
    const files = runFilesIn(out);
    if (files.length > 0) throw new UsageError(`--resume: ${out} holds a run (${files.join(', ')}) but no checkpoint to resume (it stopped before its first one); start over with --overwrite`);
    throw new UsageError(`--resume: no checkpoint at ${checkpointPath}`);
  }
  const snapshot = readTrainerCheckpoint(checkpointPath); // verified: a damaged file is refused here
  const saved = snapshot.config;
  for (const { flag, field, label } of CONFIG_FLAGS) {
    const given = overrides[field];
    if (given !== undefined && given !== saved[field]) throw conflict(flag, v[flag], label, saved[field], out);
  }
  const run = snapshot.metadata as RunRecord | undefined;
  const config: TrainConfig = { ...saved };
  if (overrides.epochs !== undefined && overrides.epochs !== saved.epochs) {
    if (overrides.epochs < saved.epochs) throw conflict('epochs', overrides.epochs, 'length', `${saved.epochs} epochs (it may be raised, not lowered)`, out);
    if (saved.schedule !== 'constant') {
      throw new UsageError(`--epochs ${overrides.epochs}: the run's learning rate follows a ${saved.schedule} schedule planned for ${saved.epochs} epochs; lengthening it would change the rate of steps already planned. Start a new run with --epochs ${overrides.epochs} instead`);
    }
    config.epochs = overrides.epochs;
  }
  if (run?.command === 'simclr train') {
    const d = run.data;
    const checks: [string, unknown, unknown, string][] = [
      ['data', v.data, d.source, 'data source'],
      ['limit', v.limit === undefined ? undefined : Number(v.limit), d.limit ?? 'all images', 'image limit'],
      ['image-size', v['image-size'] === undefined ? undefined : Number(v['image-size']), d.imageSize ?? 'the default', 'image size'],
      ['preset', v.preset, run.preset, 'preset'],
    ];
    for (const [flag, given, savedValue, label] of checks) {
      if (given !== undefined && given !== savedValue) throw conflict(flag, v[flag], label, savedValue, out);
    }
    const givenDir = v['data-dir'] as string | undefined;
    if (givenDir !== undefined && path.resolve(givenDir) !== d.resolvedDir) throw conflict('data-dir', givenDir, 'data folder', d.resolvedDir ?? 'the default lookup', out);
    const backend = (v.backend as BackendChoice | undefined) ?? run.backend;
    const backendReport = formatBackendReport(await initBackend({ backend }));
    const dataset = await loadDataSource({ source: d.source, split: 'train', dir: d.resolvedDir ?? undefined, limit: d.limit ?? undefined, imageSize: d.imageSize ?? undefined });
    const fingerprint = datasetFingerprint(dataset);
    if (fingerprint !== d.fingerprint) {
      throw new Error(`--resume: the training data is not the run's: ${describe(dataset).split('\n')[0]} (shape ${dataset.shape.join('×')}, fingerprint ${fingerprint.slice(0, 12)}) differs from what the run trained on (shape ${d.shape.join('×')}, fingerprint ${d.fingerprint.slice(0, 12)}); resuming on other images would be a different experiment`);
    }
    return { config, run, snapshot, dataset, backendReport };
  }
  // A checkpoint from before runs were recorded (or written by a script): the data flags are used as given.
  console.error(`note: ${checkpointPath} does not record its data; using the data flags as given`);
  const backend = (v.backend as BackendChoice | undefined) ?? 'auto';
  const backendReport = formatBackendReport(await initBackend({ backend }));
  const { dataset, data } = await loadRunData(v);
  const preset = choiceOption(v, 'preset', Object.keys(PRESETS) as PresetName[], 'fashionMnistCpu');
  return { config, run: { command: 'simclr train' as const, data, preset, backend }, snapshot, dataset, backendReport };
}
