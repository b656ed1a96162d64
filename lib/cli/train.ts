/** `simclr train`: pretrain on a dataset, with checkpoints, metrics, resume and Ctrl-C handling. */
import * as fs from 'fs';
import * as path from 'path';
import { initBackend, formatBackendReport } from '../backend';
import { describe } from '../data/dataset';
import { PRESETS, PresetName, TrainConfig, makeConfig, validateConfig } from '../train/config';
import { combineCallbacks, jsonlMetrics, progressBar } from '../train/callbacks';
import { SimclrTrainer } from '../train/trainer';
import { UsageError, choiceOption, intOption, parseCommand, positiveOption } from './args';
import { DATA_SOURCES, fitConfigToData, loadDataSource } from './dataSource';

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
  --seed <n>             seed for weights, order and views
  --log-every <n>        read the loss back every n steps
  --backend <name>       auto | tensorflow | webgpu | wasm | cpu (default auto, or $SIMCLR_BACKEND)
  --out <dir>            output folder (default out/train)
  --resume               continue from <out>/checkpoint.ckpt
  -h, --help             this help

Ctrl-C stops at the next step, writes a final checkpoint, and exits; run again with --resume to continue.`;

const SPEC = {
  data: { type: 'string' }, 'data-dir': { type: 'string' }, limit: { type: 'string' }, 'image-size': { type: 'string' },
  preset: { type: 'string' }, epochs: { type: 'string' }, 'batch-size': { type: 'string' }, lr: { type: 'string' },
  temperature: { type: 'string' }, 'learnable-temperature': { type: 'boolean' }, loss: { type: 'string' }, optimizer: { type: 'string' },
  seed: { type: 'string' }, 'log-every': { type: 'string' }, backend: { type: 'string' }, out: { type: 'string' },
  resume: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
} as const;

/** Run `simclr train`; resolves to the process exit code. */
export async function trainCommand(argv: string[]): Promise<number> {
  const v = parseCommand(argv, SPEC);
  if (v.help) {
    console.log(TRAIN_USAGE);
    return 0;
  }
  const source = choiceOption(v, 'data', DATA_SOURCES, 'default');
  const preset = choiceOption(v, 'preset', Object.keys(PRESETS) as PresetName[], 'fashionMnistCpu');
  const backendName = choiceOption(v, 'backend', ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const, 'auto');
  const out = (v.out as string | undefined) ?? path.join('out', 'train');
  const checkpointPath = path.join(out, 'checkpoint.ckpt');
  const overrides: Partial<TrainConfig> = {};
  const set = <K extends keyof TrainConfig>(key: K, value: TrainConfig[K] | undefined) => { if (value !== undefined) overrides[key] = value; };
  set('epochs', intOption(v, 'epochs'));
  set('batchSize', intOption(v, 'batch-size', 2));
  set('learningRate', positiveOption(v, 'lr'));
  set('temperature', positiveOption(v, 'temperature'));
  set('seed', intOption(v, 'seed', 0));
  set('logEvery', intOption(v, 'log-every'));
  if (v['learnable-temperature']) overrides.learnableTemperature = true;
  if (v.loss !== undefined) overrides.loss = choiceOption(v, 'loss', ['ntXent', 'infoNCE'] as const, 'ntXent');
  if (v.optimizer !== undefined) overrides.optimizer = choiceOption(v, 'optimizer', ['adam', 'sgd', 'lars'] as const, 'adam');
  if (v.resume && !fs.existsSync(checkpointPath)) throw new UsageError(`--resume: no checkpoint at ${checkpointPath}`);

  const report = await initBackend({ backend: backendName });
  console.error(formatBackendReport(report));
  const dataset = await loadDataSource({ source, split: 'train', dir: v['data-dir'] as string | undefined, limit: intOption(v, 'limit'), imageSize: intOption(v, 'image-size') });
  console.error(describe(dataset));

  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130); // a second Ctrl-C: give up at once
    console.error('\nstopping at the next step; writing a checkpoint (Ctrl-C again to quit without it)…');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  fs.mkdirSync(out, { recursive: true });
  const callbacks = combineCallbacks(progressBar(), jsonlMetrics(path.join(out, 'metrics.jsonl')));
  let trainer: SimclrTrainer;
  if (v.resume) {
    trainer = SimclrTrainer.fromCheckpoint(checkpointPath, { config: overrides, dataset, callbacks, checkpointPath, signal: controller.signal });
    console.error(`resuming from ${checkpointPath} at step ${trainer.step} (epoch ${trainer.epoch + 1})`);
  } else {
    const config = validateConfig(fitConfigToData(makeConfig(overrides, preset), dataset));
    trainer = new SimclrTrainer({ config, dataset, callbacks, checkpointPath, signal: controller.signal });
  }
  fs.writeFileSync(path.join(out, 'config.json'), `${JSON.stringify(trainer.config, null, 2)}\n`);
  try {
    const result = await trainer.fit();
    console.error(`${result.stopped ? 'stopped' : 'finished'} at step ${result.step} after ${result.seconds.toFixed(1)} s; checkpoint: ${checkpointPath}`);
    return result.stopped ? 130 : 0;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    trainer.dispose();
  }
}
