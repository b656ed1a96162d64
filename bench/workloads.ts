/**
 * The two SimCLR training steps the benchmarks time, built from the library's own parts
 * (lib/models presets, lib/losses ntXent, lib/views pipelines) so the numbers describe what users run.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../lib/rng';
import { resnet18Model, smallCnnModel, SimclrModel } from '../lib/models';
import { ntXent } from '../lib/losses';
import { fashionMnistViews, simclrCifarViews, twoViews, ViewPipeline } from '../lib/views';

/** A benchmark configuration: model, batch and views. */
export interface WorkloadSpec {
  /** Name used in the output and by the PyTorch reference (bench/reference/simclr_step.py --model). */
  name: 'resnet18-w16' | 'small-cnn' | 'resnet18-w64';
  /** Images per view N; the step sees 2N. */
  pairs: number;
  /** Image shape [H, W, C]. */
  imageShape: [number, number, number];
  /** Builds the SimCLR model (encoder + head). */
  build: () => SimclrModel;
  /** The view pipeline of the "with views" variant. */
  views: () => ViewPipeline;
}

/** The configurations of the task: CPU ResNet-18 width 16 (2N = 128, 32 px), the CPU preset small CNN, GPU ResNet-18. */
export const WORKLOADS: Record<WorkloadSpec['name'], WorkloadSpec> = {
  'resnet18-w16': { name: 'resnet18-w16', pairs: 64, imageShape: [32, 32, 3], build: () => resnet18Model({ width: 16 }), views: () => simclrCifarViews(32) },
  'small-cnn': { name: 'small-cnn', pairs: 128, imageShape: [28, 28, 1], build: () => smallCnnModel(), views: () => fashionMnistViews(28) },
  'resnet18-w64': { name: 'resnet18-w64', pairs: 256, imageShape: [32, 32, 3], build: () => resnet18Model({ width: 64 }), views: () => simclrCifarViews(32) },
};

/** A ready-to-run step: `run()` does one Adam step and reads the loss back (a device sync, so timing is honest). */
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
 * Build model, Adam (lr 1e-3) and data for a workload on the current backend.
 * withViews false: the same pre-made 2N batch every step (the step alone).
 * withViews true: each step draws two views of N source images with the workload's pipeline, then steps.
 */
export function createWorkload(spec: WorkloadSpec, withViews: boolean, seed = 42): Workload {
  const model = spec.build();
  const variables = model.trainableVariables();
  const optimizer = tf.train.adam(1e-3);
  const rng = new Rng(seed);
  const sources = randomImages(spec.pairs, spec.imageShape, seed); // (N, H, W, C)
  const pipeline = spec.views();
  const fixedBatch = withViews ? null : tf.tidy(() => tf.concat(twoViews(sources, pipeline, rng), 0) as tf.Tensor4D); // (2N, H, W, C)

  const loss = (batch: tf.Tensor4D): tf.Scalar => {
    const { z } = model.embed(batch, { training: true }); // (2N, D)
    const [z1, z2] = tf.split(z, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
    return ntXent(z1, z2, { temperature: 0.5 });
  };
  const run = async (): Promise<number> => {
    const cost = tf.tidy(() => {
      const batch = fixedBatch ?? (tf.concat(twoViews(sources, pipeline, rng), 0) as tf.Tensor4D);
      return optimizer.minimize(() => loss(batch), true, variables) as tf.Scalar;
    });
    const value = (await cost.data())[0];
    cost.dispose();
    return value;
  };
  const dispose = () => {
    model.dispose();
    optimizer.dispose();
    sources.dispose();
    fixedBatch?.dispose();
  };
  return { spec, withViews, run, dispose };
}
