/** `simclr probe` and `simclr embed`: evaluate or export the representation of a trained checkpoint. */
import * as path from 'path';
import { initBackend, formatBackendReport } from '../backend';
import { ImageDataset } from '../data/dataset';
import { writeNpy } from '../data/npy';
import { DATA_SOURCES, loadDataSource } from '../data/sources';
import { embedFunction, extractFeatures } from '../probe/features';
import { probeEncoder, probeRawPixels, ProbeReport } from '../probe/evaluate';
import { SimclrModel } from '../models/simclrModel';
import { loadModelFromCheckpoint } from '../train/loadModel';
import { UsageError, choiceOption, intOption, parseCommand } from './args';

export const PROBE_USAGE = `Usage: simclr probe --checkpoint <file> [options]

Linear probe (L-BFGS logistic regression on standardised frozen features) and weighted kNN (k 200, τ 0.1)
of a checkpoint's encoder, trained on the train split and scored on the test split.

  --checkpoint <file>    a checkpoint written by simclr train (required unless --raw-pixels)
  --raw-pixels           probe raw pixels instead (the baseline)
  --features <h|z>       representation h (encoder output, default) or projection z
  --data <source>        ${DATA_SOURCES.join(' | ')} (default: default)
  --data-dir <dir>       folder of the data
  --train-limit <n>      training images for the probe (default all)
  --test-limit <n>       test images (default all)
  --backend <name>       auto | tensorflow | webgpu | wasm | cpu
  -h, --help             this help`;

export const EMBED_USAGE = `Usage: simclr embed --checkpoint <file> --out <prefix> [options]

Write the representation of every image of a dataset split for retrieval or analysis:
  <prefix>.embeddings.npy  float32 (n, D), the features in dataset order (L2-normalise for cosine search)
  <prefix>.labels.npy      int32 (n,), -1 for unlabeled images
Read them with numpy.load.

  --checkpoint <file>    a checkpoint written by simclr train (required)
  --out <prefix>         output path prefix (required)
  --features <h|z>       representation h (default) or projection z
  --data <source>        ${DATA_SOURCES.join(' | ')} (default: default)
  --data-dir <dir>       folder of the data
  --split <train|test>   which split (default test)
  --limit <n>            only the first n images
  --backend <name>       auto | tensorflow | webgpu | wasm | cpu
  -h, --help             this help`;

const COMMON = {
  checkpoint: { type: 'string' }, features: { type: 'string' }, data: { type: 'string' }, 'data-dir': { type: 'string' },
  backend: { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const;

/** Check that a dataset's images have the shape the checkpoint's model takes. */
function checkImageShape(model: SimclrModel, dataset: ImageDataset, checkpoint: string): void {
  const [, h, w, c] = dataset.shape;
  const [mh, mw, mc] = model.inputShape;
  if (h !== mh || w !== mw || c !== mc) {
    throw new Error(`${dataset.name} has ${h}×${w}×${c} images but the model in ${checkpoint} takes ${mh}×${mw}×${mc}`);
  }
}

/** A short readable summary of a probe report. */
export function formatProbeReport(label: string, report: ProbeReport): string {
  const lines = [`${label}: linear probe top-1 ${(100 * report.linear.accuracy).toFixed(2)}% (D = ${report.dim}, ${report.linear.iterations} L-BFGS iterations${report.linear.converged ? '' : ', not converged'})`];
  if (report.knn) lines.push(`${label}: kNN top-1 ${(100 * report.knn.accuracy).toFixed(2)}%`);
  lines.push(`${label}: ${report.timing.totalSeconds.toFixed(1)} s`);
  return lines.join('\n');
}

/** Run `simclr probe`; resolves to the exit code. */
export async function probeCommand(argv: string[]): Promise<number> {
  const v = parseCommand(argv, { ...COMMON, 'raw-pixels': { type: 'boolean' }, 'train-limit': { type: 'string' }, 'test-limit': { type: 'string' } });
  if (v.help) {
    console.log(PROBE_USAGE);
    return 0;
  }
  const source = choiceOption(v, 'data', DATA_SOURCES, 'default');
  const features = choiceOption(v, 'features', ['h', 'z'] as const, 'h');
  const backend = choiceOption(v, 'backend', ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const, 'auto');
  if (!v['raw-pixels'] && !v.checkpoint) throw new UsageError('--checkpoint <file> is required (or --raw-pixels)');
  const trainLimit = intOption(v, 'train-limit');
  const testLimit = intOption(v, 'test-limit');
  console.error(formatBackendReport(await initBackend({ backend })));
  const dir = v['data-dir'] as string | undefined;
  if (v['raw-pixels']) {
    const train = await loadDataSource({ source, split: 'train', dir, limit: trainLimit });
    const test = await loadDataSource({ source, split: 'test', dir, limit: testLimit });
    console.log(formatProbeReport('raw pixels', await probeRawPixels(train, test, { knn: true })));
    return 0;
  }
  const checkpoint = v.checkpoint as string;
  const { model, snapshot } = loadModelFromCheckpoint(checkpoint);
  try {
    const imageSize = snapshot.config.model.inputShape[0]; // generated datasets are made at the model's size
    const train = await loadDataSource({ source, split: 'train', dir, limit: trainLimit, imageSize });
    const test = await loadDataSource({ source, split: 'test', dir, limit: testLimit, imageSize });
    checkImageShape(model, train, checkpoint);
    const report = await probeEncoder(embedFunction(model, features), train, test, { knn: true });
    console.log(formatProbeReport(`${path.basename(checkpoint)} (${features}, step ${snapshot.step})`, report));
  } finally {
    model.dispose();
  }
  return 0;
}

/** Run `simclr embed`; resolves to the exit code. */
export async function embedCommand(argv: string[]): Promise<number> {
  const v = parseCommand(argv, { ...COMMON, out: { type: 'string' }, split: { type: 'string' }, limit: { type: 'string' } });
  if (v.help) {
    console.log(EMBED_USAGE);
    return 0;
  }
  if (!v.out) throw new UsageError('--out <prefix> is required');
  const source = choiceOption(v, 'data', DATA_SOURCES, 'default');
  const features = choiceOption(v, 'features', ['h', 'z'] as const, 'h');
  const split = choiceOption(v, 'split', ['train', 'test'] as const, 'test');
  const backend = choiceOption(v, 'backend', ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const, 'auto');
  if (!v.checkpoint) throw new UsageError('--checkpoint <file> is required');
  const limit = intOption(v, 'limit');
  console.error(formatBackendReport(await initBackend({ backend })));
  const checkpoint = v.checkpoint as string;
  const { model, snapshot } = loadModelFromCheckpoint(checkpoint);
  try {
    const dataset = await loadDataSource({ source, split, dir: v['data-dir'] as string | undefined, limit, imageSize: snapshot.config.model.inputShape[0] });
    checkImageShape(model, dataset, checkpoint);
    const matrix = await extractFeatures(embedFunction(model, features), dataset);
    const prefix = v.out as string;
    writeNpy(`${prefix}.embeddings.npy`, matrix.features, [matrix.count, matrix.dim]);
    writeNpy(`${prefix}.labels.npy`, Int32Array.from(dataset.labels), [dataset.labels.length]);
    console.log(`wrote ${prefix}.embeddings.npy (${matrix.count} × ${matrix.dim} float32) and ${prefix}.labels.npy`);
  } finally {
    model.dispose();
  }
  return 0;
}
