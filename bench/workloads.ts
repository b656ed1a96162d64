/**
 * The SimCLR training steps the benchmarks time: `SimclrTrainer.trainStep` itself — the trainer's views, its
 * one pass of encoder + head over 2N views, NT-Xent τ 0.5 and its own optimiser (AdamW, lr 1e-3, no decay,
 * i.e. Adam) — on models from the registry (lib/models/registry.ts), so the numbers describe what users run.
 * Only data loading (uint8 → float) is left out: every step gets the same N source images.
 */
import * as tf from '@tensorflow/tfjs';
import { fakeData } from '../lib/data/fakeData';
import { Rng } from '../lib/rng';
import { architecture, buildModel, ModelConfig, SimclrModel } from '../lib/models';
import { makeConfig, SimclrTrainer, TrainConfig } from '../lib/train';
import { fashionMnistViews, resolveViewPipeline, simclrCifarViews, ViewPipeline } from '../lib/views';

/** A benchmark configuration: model, batch and views. */
export interface WorkloadSpec {
  /** Name used in the output and by the PyTorch reference (bench/reference/simclr_step.py --model). */
  name: 'resnet18-w16' | 'small-cnn' | 'resnet18-w64';
  /** Images per view N; the step sees 2N. */
  pairs: number;
  /** Image shape [H, W, C]. */
  imageShape: [number, number, number];
  /** The registry's architecture for this workload. */
  model: () => ModelConfig;
  /** Builds the SimCLR model (encoder + head) from `model()`, weights from seed 42 as the trainer does. */
  build: () => SimclrModel;
  /** The view pipeline of the "with views" variant. */
  views: () => ViewPipeline;
}

function spec(name: WorkloadSpec['name'], pairs: number, model: () => ModelConfig, views: () => ViewPipeline): WorkloadSpec {
  return { name, pairs, imageShape: model().inputShape, model, build: () => buildModel(model(), 42), views };
}

/** The configurations of the task: CPU ResNet-18 width 16 (2N = 128, 32 px), the CPU preset small CNN, GPU ResNet-18. */
export const WORKLOADS: Record<WorkloadSpec['name'], WorkloadSpec> = {
  'resnet18-w16': spec('resnet18-w16', 64, () => architecture('resnet18', { width: 16 }), () => simclrCifarViews(32)),
  'small-cnn': spec('small-cnn', 128, () => architecture('smallCnn'), () => fashionMnistViews(28)),
  'resnet18-w64': spec('resnet18-w64', 256, () => architecture('resnet18'), () => simclrCifarViews(32)),
};

/** No augmentation: each view is a copy of its image (the "without views" variant times the step alone). */
export const IDENTITY_VIEWS: ViewPipeline = resolveViewPipeline({
  crop: null,
  horizontalFlipProbability: 0,
  colorJitter: { probability: 0 },
  grayscaleProbability: 0,
  blur: { probability: 0 },
});

/**
 * The trainer's settings for a workload: the CPU preset's (NT-Xent τ 0.5, Adam lr 1e-3, constant schedule) with the
 * workload's model, batch N = pairs and views (`IDENTITY_VIEWS` without views).
 */
export function workloadConfig(workload: WorkloadSpec, withViews: boolean, seed = 42): TrainConfig {
  return makeConfig({ seed, batchSize: workload.pairs, model: workload.model(), views: withViews ? workload.views() : IDENTITY_VIEWS });
}

/** A ready-to-run step: `run()` does one training step and reads the loss back (a device sync, so timing is honest). */
export interface Workload {
  spec: WorkloadSpec;
  withViews: boolean;
  /** One training step; resolves to the loss value (read asynchronously: webgpu in Node has no synchronous read). */
  run: () => Promise<number>;
  /** Free model, optimizer state and data. */
  dispose: () => void;
}

/** Uniform [0, 1) images from a seeded stream: (count, H, W, C) float32. FakeData-like content; speed does not depend on it. */
export function randomImages(count: number, shape: [number, number, number], seed: number): tf.Tensor4D {
  const rng = new Rng(seed);
  const values = new Float32Array(count * shape[0] * shape[1] * shape[2]);
  for (let i = 0; i < values.length; i++) values[i] = rng.next();
  return tf.tensor4d(values, [count, ...shape]);
}

/**
 * A SimclrTrainer for a workload on the current backend (its own model, optimiser and view stream) and N source
 * images; each `run()` is one `trainer.trainStep`. withViews false: the identity pipeline, so the step alone.
 */
export function createWorkload(workload: WorkloadSpec, withViews: boolean, seed = 42): Workload {
  const config = workloadConfig(workload, withViews, seed);
  const [height, width, channels] = workload.imageShape;
  // The trainer checks its dataset against the model; it never reads it here (trainStep takes the batch).
  const dataset = fakeData({ size: workload.pairs, imageSize: height, channels, seed });
  if (dataset.shape[2] !== width) throw new Error(`createWorkload: ${workload.name} needs square images, got ${height}×${width}`);
  const trainer = new SimclrTrainer({ config, dataset });
  const sources = randomImages(workload.pairs, workload.imageShape, seed); // (N, H, W, C)
  const run = async (): Promise<number> => {
    const loss = trainer.trainStep(sources);
    const value = (await loss.data())[0];
    loss.dispose();
    return value;
  };
  const dispose = () => {
    trainer.dispose();
    sources.dispose();
  };
  return { spec: workload, withViews, run, dispose };
}
