/**
 * The supervised baseline: the same encoder trained end-to-end with labels (cross-entropy through a linear
 * classifier on h), on the same augmented views, so that "what labels buy" is measured with the same
 * architecture and the same probe protocol as SimCLR.
 */
import * as tf from '@tensorflow/tfjs';
import { ImageDataset } from '../data/dataset';
import { imagesToTensor } from '../data/batches';
import { SimclrModel } from '../models/simclrModel';
import { Rng } from '../rng';
import { applyView } from '../views/pipeline';
import { TrainConfig, validateConfig } from './config';
import { buildModel } from '../models/registry';
import { createOptimizer } from './optimizers';

/** Per-epoch record of supervised training. */
export interface SupervisedEpoch {
  epoch: number;
  /** Mean training cross-entropy (nats). */
  loss: number;
  /** Training accuracy on the augmented batches. */
  accuracy: number;
  seconds: number;
}

/** Options for `trainSupervised`. */
export interface SupervisedOptions {
  /** Uses model, views, epochs, batchSize, learningRate, seed (loss/temperature are ignored). */
  config: TrainConfig;
  /** Labelled training images (labels in [0, classNames.length)). */
  dataset: ImageDataset;
  onEpochEnd?: (log: SupervisedEpoch) => void | Promise<void>;
}

/**
 * Train encoder f plus a linear classifier W on h = f(view(x)) with softmax cross-entropy and Adam:
 * L = −(1/N) Σ log softmax(W h_i + b)[y_i]. Returns the model (its encoder is the supervised encoder; its
 * head is unused and untouched) and the per-epoch log. The classifier is disposed before returning.
 */
export async function trainSupervised(options: SupervisedOptions): Promise<{ model: SimclrModel; epochs: SupervisedEpoch[] }> {
  const config = validateConfig(options.config);
  const { dataset } = options;
  const numClasses = dataset.classNames.length;
  if (numClasses < 2) throw new Error(`trainSupervised: dataset ${dataset.name} needs at least 2 classes, has ${numClasses}`);
  if (Array.from(dataset.labels).some((y) => y < 0)) throw new Error(`trainSupervised: dataset ${dataset.name} has unlabeled images (label -1)`);
  const model = buildModel(config.model, config.seed);
  const classifier = tf.tidy(() => ({
    weights: tf.variable(tf.randomNormal([model.representationDim, numClasses], 0, 1 / Math.sqrt(model.representationDim), 'float32', config.seed)),
    bias: tf.variable(tf.zeros([numClasses])),
  }));
  const optimizer = createOptimizer({ kind: 'adam', learningRate: config.learningRate });
  const variables = [...model.encoder.trainableWeights.map((w) => w.read() as tf.Variable), classifier.weights, classifier.bias];
  const dataRng = new Rng(config.seed + 1000);
  const viewRng = new Rng(config.seed + 2000);
  const n = dataset.shape[0];
  const epochs: SupervisedEpoch[] = [];
  try {
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const started = performance.now();
      const order = dataRng.permutation(n);
      const losses: tf.Scalar[] = [];
      let correct = 0;
      const correctCounts: tf.Scalar[] = [];
      for (let start = 0; start + 2 <= n; start += config.batchSize) {
        const indices = order.subarray(start, Math.min(n, start + config.batchSize));
        const labels = tf.tensor1d(Int32Array.from(indices, (i) => dataset.labels[i]), 'int32');
        const images = imagesToTensor(dataset, indices);
        const loss = tf.tidy(() => {
          const view = applyView(images, config.views, viewRng); // (B, H, W, C)
          const targets = tf.oneHot(labels, numClasses).toFloat();
          return optimizer.minimize(() => {
            const h = model.encoder.apply(view, { training: true }) as tf.Tensor2D; // (B, F)
            const logits = tf.add(tf.matMul(h, classifier.weights), classifier.bias) as tf.Tensor2D; // (B, C)
            correctCounts.push(tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32')) as tf.Scalar));
            return tf.losses.softmaxCrossEntropy(targets, logits) as tf.Scalar;
          }, true, variables) as tf.Scalar;
        });
        losses.push(loss);
        images.dispose();
        labels.dispose();
      }
      const stacked = tf.tidy(() => tf.stack([tf.stack(losses), tf.stack(correctCounts)])); // (2, steps): one read
      const values = await stacked.data();
      stacked.dispose();
      const lossValues = values.subarray(0, losses.length);
      const correctValues = values.subarray(losses.length);
      losses.forEach((t) => t.dispose());
      correctCounts.forEach((t) => t.dispose());
      correctValues.forEach((c) => { correct += c; });
      let lossSum = 0;
      lossValues.forEach((v) => { lossSum += v; });
      const meanLoss = lossSum / lossValues.length;
      if (!Number.isFinite(meanLoss)) throw new Error(`trainSupervised: loss became ${meanLoss} in epoch ${epoch}; lower the learning rate`);
      const log = { epoch, loss: meanLoss, accuracy: correct / (n - (n % config.batchSize === 1 ? 1 : 0)), seconds: (performance.now() - started) / 1000 };
      epochs.push(log);
      await options.onEpochEnd?.(log);
    }
  } finally {
    classifier.weights.dispose();
    classifier.bias.dispose();
    optimizer.dispose();
  }
  return { model, epochs };
}
