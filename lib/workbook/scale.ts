/**
 * One setting that sizes every workbook notebook: `SIMCLR_SCALE=cpu` (default; the whole workbook in under
 * 20 minutes on 2 CPU cores, as CI runs it) or `SIMCLR_SCALE=gpu` (full Fashion-MNIST, longer runs, for a
 * machine with a GPU backend). Notebooks read every size from here, never from literals of their own.
 */
import { ImageDataset } from '../data/dataset';
import { fitConfigToData, makeConfig, TrainConfig } from '../train/config';

/** The scales a notebook can run at. */
export const WORKBOOK_SCALE_NAMES = ['cpu', 'gpu'] as const;
export type WorkbookScaleName = (typeof WORKBOOK_SCALE_NAMES)[number];

/** One training recipe size: which encoder, how many images, how long. */
export interface RunSize {
  /** Unlabelled training images used for SimCLR pretraining (the first n of the training split). */
  images: number;
  epochs: number;
  /** Images per step N (the loss sees 2N views). */
  batchSize: number;
  encoder: 'smallCnn' | 'resnet18';
  /** Small-CNN stage widths are [w, 2w, 4w] (h has 4w features); ResNet-18 has 8w. */
  width: number;
  /** Adam's base learning rate. */
  learningRate: number;
}

/** Every size the notebooks use. */
export interface WorkbookScale {
  name: WorkbookScaleName;
  /** The main pretraining run (notebooks 0 and 5): the best encoder this scale affords. */
  main: RunSize;
  /** One run of a sweep (notebooks 2, 3 and 4 train several models): shorter and narrower than `main`. */
  sweep: RunSize;
  /** Labelled training images for the sweeps' linear probes and kNN banks (first n of the training split). */
  probeTrainImages: number;
  /** Labelled test images the sweeps' probes are scored on (first n of the test split). */
  probeTestImages: number;
  /** Labelled training images for the main run's probes (notebooks 0 and 5): more, so that paired tests can resolve a point. */
  mainProbeTrainImages: number;
  /** Test images the main run's probes are scored on (all 10,000 of Fashion-MNIST's test split at both scales). */
  mainProbeTestImages: number;
  /** Held-out images on which alignment, uniformity and similarity matrices are measured. */
  heldOutImages: number;
  /** Seeds of notebook 4's repeats of its headline comparisons (MLP head vs no head, h vs z, trained vs untrained),
   * on top of the sweep's own seed: each retrains both runs from new weights, batch order and views. */
  extraSeeds: number[];
  /** Temperatures of the τ sweep (notebook 3). */
  temperatures: number[];
  /** Batch sizes N at which loss landmarks are computed (notebook 2). */
  lossBatchSizes: number[];
  /** Label budgets (labelled images per class) of the label-efficiency curve (notebook 5). */
  labelsPerClass: Array<number | 'all'>;
  /** Images per row in image grids, and query rows in retrieval displays. */
  gridImages: number;
  retrievalQueries: number;
  /** Neighbours shown per retrieval query. */
  neighbors: number;
  /** L-BFGS iteration cap for the raw-pixel probe (784-D standardised pixels converge slowly): set so that it converges. */
  rawPixelIterations: number;
}

/** 2 shared CPU cores, tfjs wasm with the library's fast kernels (~1,100 images/s for the width-32 small CNN at batch 64). */
const CPU: WorkbookScale = {
  name: 'cpu',
  // All of Fashion-MNIST for 3 epochs (~3.5 min here, trained once and cached for notebooks 0 and 5): long enough
  // that h beats the tuned raw-pixel probe and the untrained encoder by paired tests at p < 0.01 (README: workbook).
  // Batch 128 at lr 2e-3 gives twice the steps of the preset's 256 at 1e-3, which is what a short run needs.
  main: { images: 60000, epochs: 3, batchSize: 128, encoder: 'smallCnn', width: 32, learningRate: 2e-3 },
  // The main run's encoder (width 32, h = 128 features) for one epoch of 16,384 images at batch 64 (256 steps, ~15 s
  // here with the fused optimiser step). Measured with this notebook's probe (4,000 labels, λ tuned, 10,000 test
  // images): every τ of the sweep and the MLP head beat the untrained encoder by +1.9 … +2.4 points (p < 1e-6);
  // width 16 at the same length gained only +0.6 … +0.8 (p > 0.04). Every sweep run is cached (trainCached), and
  // notebooks 2, 3 (τ = 0.5) and 4 (MLP head) share one.
  sweep: { images: 16384, epochs: 1, batchSize: 64, encoder: 'smallCnn', width: 32, learningRate: 2e-3 },
  probeTrainImages: 4000, // 400 per class: the L-BFGS probe takes ~5-10 s at D = 64-128
  probeTestImages: 10000, // all of the test split: ±0.4 points per accuracy, and paired tests resolve ~1 point
  mainProbeTrainImages: 10000, // the README's probe protocol: 1,000 labels per class
  mainProbeTestImages: 10000, // ±0.35 points per accuracy; a paired test resolves differences of about 1 point
  heldOutImages: 512,
  extraSeeds: [1000, 2000], // with the sweep's seed 42: three seeds (~2 min here)
  temperatures: [0.05, 0.1, 0.2, 0.5, 1.0],
  lossBatchSizes: [8, 32, 128, 512],
  labelsPerClass: [1, 5, 20, 100, 'all'],
  gridImages: 8,
  retrievalQueries: 5,
  neighbors: 7,
  // Enough for the raw-pixel probe to converge on 10,000 images: λ 1e-3 / 1e-2 / 1e-1 took 1,228 / 513 / 261 iterations on
  // the 8,000 fitting rows and the refit 384 (~50 s with the native objective; at the old cap of 300 none of them converged)
  rawPixelIterations: 2000,
};

/** A GPU backend (tfjs-node-gpu or WebGPU on a hardware adapter): full Fashion-MNIST, many epochs. */
const GPU: WorkbookScale = {
  name: 'gpu',
  // ENVIRONMENT.md's PyTorch reference run reached 0.873 with this encoder after 8 epochs of 60k
  main: { images: 60000, epochs: 20, batchSize: 256, encoder: 'smallCnn', width: 32, learningRate: 1e-3 },
  sweep: { images: 60000, epochs: 5, batchSize: 256, encoder: 'smallCnn', width: 32, learningRate: 1e-3 },
  probeTrainImages: 60000,
  probeTestImages: 10000,
  mainProbeTrainImages: 60000,
  mainProbeTestImages: 10000,
  heldOutImages: 2048,
  extraSeeds: [1000, 2000, 3000, 4000],
  temperatures: [0.05, 0.1, 0.2, 0.5, 1.0],
  lossBatchSizes: [8, 32, 128, 512, 2048],
  labelsPerClass: [1, 5, 20, 100, 1000, 'all'],
  gridImages: 8,
  retrievalQueries: 8,
  neighbors: 9,
  rawPixelIterations: 2000,
};

const SCALES: Record<WorkbookScaleName, WorkbookScale> = { cpu: CPU, gpu: GPU };

/**
 * The sizes for a scale: `name`, else the environment variable SIMCLR_SCALE, else 'cpu'.
 * Returns a fresh copy (callers may change it). Throws on an unknown name, listing the known ones.
 */
export function workbookScale(name: string | undefined = process.env.SIMCLR_SCALE): WorkbookScale {
  const chosen = (name ?? '').trim().toLowerCase() || 'cpu';
  if (!(WORKBOOK_SCALE_NAMES as readonly string[]).includes(chosen)) {
    throw new Error(`workbookScale: SIMCLR_SCALE must be one of ${WORKBOOK_SCALE_NAMES.join(', ')}, got ${JSON.stringify(name)}`);
  }
  return structuredClone(SCALES[chosen as WorkbookScaleName]);
}

/** A one-line description of a run size, e.g. `smallCnn w32, 8192 images × 1 epoch, batch 128, lr 0.001`. */
export function describeRunSize(size: RunSize): string {
  return `${size.encoder} w${size.width}, ${size.images} images × ${size.epochs} epoch${size.epochs === 1 ? '' : 's'}, batch ${size.batchSize}, lr ${size.learningRate}`;
}

/**
 * The SimCLR config for a run size on a dataset: the `fashionMnistCpu` preset (NT-Xent τ 0.5, MLP head
 * 4w→128→64, crop 0.4–1 + flip + brightness/contrast, Adam) with the size's encoder, width, epochs, batch and
 * learning rate, then `overrides` (nested `model` and `views` are replaced whole, as in makeConfig), and last
 * the model's input shape and the views' output size fitted to the dataset's images.
 */
export function workbookConfig(size: RunSize, dataset: ImageDataset, overrides: Partial<TrainConfig> = {}): TrainConfig {
  const preset = makeConfig({}, 'fashionMnistCpu');
  const sized = makeConfig({
    epochs: size.epochs,
    batchSize: size.batchSize,
    learningRate: size.learningRate,
    logEvery: 4, // a loss point every 4 steps: a readable curve from a one-epoch run
    model: { ...preset.model, encoder: size.encoder, width: size.width },
  });
  return makeConfig(fitConfigToData({ ...sized, ...overrides }, dataset));
}
