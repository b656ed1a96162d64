/** The trainer's one options object, its documented defaults, and named presets. */
import { ImageDataset } from '../data/dataset';
import { ViewPipeline } from '../views/pipeline';
import { fashionMnistViews, seedViews, simclrCifarViews } from '../views/presets';
import { ModelConfig, architecture } from '../models/registry';

/** Everything that decides a SimCLR run. Plain JSON: stored in checkpoints and metrics. */
export interface TrainConfig {
  /** Seeds weights (seed, seed+1), batch order and views. */
  seed: number;
  /** Passes over the training set. */
  epochs: number;
  /** Images per step N; each gives two views, so the loss sees 2N embeddings. */
  batchSize: number;
  /** Drop a last partial batch (SimCLR does; the seed article's DataLoader does not). */
  dropLast: boolean;
  /** 'infoNCE': the seed article's symmetric cross-view loss; 'ntXent': SimCLR's loss over 2N. */
  loss: 'infoNCE' | 'ntXent';
  /** Softmax temperature τ (initial value when learnable). */
  temperature: number;
  /** Learn log τ with the network (CLIP-style), clamped to `temperatureRange`. */
  learnableTemperature: boolean;
  /** Bounds for a learnable τ. */
  temperatureRange: [number, number];
  /** Optimiser: 'adam' (the seed's), 'sgd' with momentum, or 'lars' (SimCLR's). */
  optimizer: 'adam' | 'sgd' | 'lars';
  /** Base learning rate (before batch-size scaling). */
  learningRate: number;
  /** Scale the base rate by batch size: 'linear' = lr·N/256, 'sqrt' = lr·√N, 'none'. */
  learningRateScaling: 'none' | 'linear' | 'sqrt';
  /** 'constant', or linear warmup then cosine decay to 0 ('warmupCosine'). */
  schedule: 'constant' | 'warmupCosine';
  /** Warmup length in epochs (may be fractional). */
  warmupEpochs: number;
  /** Weight decay (decoupled for Adam, coupled L2 for SGD/LARS; bias and BN excluded for LARS). */
  weightDecay: number;
  /** Momentum for SGD and LARS. */
  momentum: number;
  /** Encoder and head. */
  model: ModelConfig;
  /** Augmentation pipeline producing the two views. */
  views: ViewPipeline;
  /** Read the loss back (a device sync) every this many steps; also the step-callback period. */
  logEvery: number;
  /** Write a checkpoint every this many epochs (0: only at the end and when stopped), when a checkpoint path is given. */
  checkpointEveryEpochs: number;
}

const BASE: Omit<TrainConfig, 'model' | 'views'> = {
  seed: 42, // the seed article's torch.manual_seed(42)
  epochs: 5,
  batchSize: 128,
  dropLast: true, // SimCLR: every step has the same number of negatives
  loss: 'ntXent',
  temperature: 0.5, // SimCLR's CIFAR-10 value and the seed's
  learnableTemperature: false,
  temperatureRange: [0.01, 1.0], // below 0.01 float32 logits overflow quickly; above 1 the softmax is nearly flat
  optimizer: 'adam', // robust at small batches; LARS pays off from batch ~1024
  learningRate: 1e-3, // Adam's default, the seed's
  learningRateScaling: 'none',
  schedule: 'constant',
  warmupEpochs: 0,
  weightDecay: 0,
  momentum: 0.9,
  logEvery: 10, // one device sync per 10 steps keeps WebGPU's queue full
  checkpointEveryEpochs: 1,
};

/**
 * The seed article's experiment exactly: FakeData 512 × 3×32×32, RandomResizedCrop(32, 0.6–1) + flip,
 * one 3×3 conv to 32 + ReLU + global pool, MLP head 32→128→128, symmetric InfoNCE at τ = 0.5, Adam 1e-3,
 * batch 128 (last batch kept), 5 epochs, seed 42.
 */
export function seedPreset(): TrainConfig {
  return {
    ...BASE,
    dropLast: false,
    loss: 'infoNCE',
    logEvery: 1,
    model: architecture('seed'),
    views: seedViews(32),
  };
}

/**
 * CPU-sized Fashion-MNIST: small CNN 32-64-128 + BN, MLP head 128→128→64, NT-Xent τ = 0.5, batch 256,
 * crop 0.4–1 + flip + brightness/contrast, Adam 1e-3 (ENVIRONMENT.md's PyTorch reference run).
 */
export function fashionMnistCpuPreset(): TrainConfig {
  return {
    ...BASE,
    epochs: 3,
    batchSize: 256,
    model: architecture('smallCnn'),
    views: fashionMnistViews(28),
  };
}

/**
 * GPU-sized CIFAR-style run: ResNet-18 (width 64), MLP head 512→512→128, SimCLR's CIFAR views, NT-Xent
 * τ = 0.5, batch 256 (2N = 512), LARS with lr 1.0·N/256, weight decay 1e-6, 10 warmup epochs, cosine, 200 epochs.
 */
export function resnet18GpuPreset(): TrainConfig {
  return {
    ...BASE,
    epochs: 200,
    batchSize: 256,
    optimizer: 'lars',
    learningRate: 1.0,
    learningRateScaling: 'linear',
    schedule: 'warmupCosine',
    warmupEpochs: 10,
    weightDecay: 1e-6,
    logEvery: 50,
    model: architecture('resnet18'),
    views: simclrCifarViews(32),
  };
}

/** Named presets, for the CLI and notebooks. */
export const PRESETS = { seed: seedPreset, fashionMnistCpu: fashionMnistCpuPreset, resnet18Gpu: resnet18GpuPreset } as const;
export type PresetName = keyof typeof PRESETS;

/** A preset (default 'fashionMnistCpu') with some fields replaced; nested `model` and `views` are replaced whole. */
export function makeConfig(overrides: Partial<TrainConfig> = {}, preset: PresetName = 'fashionMnistCpu'): TrainConfig {
  const make = PRESETS[preset];
  if (!make) throw new Error(`makeConfig: unknown preset '${preset}'; expected one of ${Object.keys(PRESETS).join(', ')}`);
  return validateConfig({ ...make(), ...overrides });
}

/** Check every field once, with errors that name the field, the value and what is allowed. Returns the config. */
export function validateConfig(config: TrainConfig): TrainConfig {
  const fail = (field: string, value: unknown, expected: string) => {
    throw new Error(`TrainConfig.${field} must be ${expected}, got ${JSON.stringify(value)}`);
  };
  const positiveInt = (field: keyof TrainConfig, min = 1) => {
    const v = config[field] as unknown;
    if (!Number.isInteger(v) || (v as number) < min) fail(field, v, `an integer >= ${min}`);
  };
  positiveInt('epochs');
  positiveInt('batchSize', 2);
  positiveInt('logEvery');
  positiveInt('checkpointEveryEpochs', 0);
  if (!Number.isInteger(config.seed)) fail('seed', config.seed, 'an integer');
  if (!(config.temperature > 0) || !Number.isFinite(config.temperature)) fail('temperature', config.temperature, 'a finite number > 0');
  const [low, high] = config.temperatureRange ?? [];
  if (!(low > 0 && high >= low && Number.isFinite(high))) fail('temperatureRange', config.temperatureRange, '[low, high] with 0 < low <= high');
  if (config.learnableTemperature && (config.temperature < low || config.temperature > high)) {
    fail('temperature', config.temperature, `inside temperatureRange [${low}, ${high}] when learnable`);
  }
  if (!(config.learningRate > 0) || !Number.isFinite(config.learningRate)) fail('learningRate', config.learningRate, 'a finite number > 0');
  if (!(config.weightDecay >= 0)) fail('weightDecay', config.weightDecay, 'a number >= 0');
  if (!(config.momentum >= 0 && config.momentum < 1)) fail('momentum', config.momentum, 'in [0, 1)');
  if (!(config.warmupEpochs >= 0)) fail('warmupEpochs', config.warmupEpochs, 'a number >= 0');
  if (!['infoNCE', 'ntXent'].includes(config.loss)) fail('loss', config.loss, "'infoNCE' or 'ntXent'");
  if (!['adam', 'sgd', 'lars'].includes(config.optimizer)) fail('optimizer', config.optimizer, "'adam', 'sgd' or 'lars'");
  if (!['none', 'linear', 'sqrt'].includes(config.learningRateScaling)) fail('learningRateScaling', config.learningRateScaling, "'none', 'linear' or 'sqrt'");
  if (!['constant', 'warmupCosine'].includes(config.schedule)) fail('schedule', config.schedule, "'constant' or 'warmupCosine'");
  if (!config.model || !Array.isArray(config.model.inputShape) || config.model.inputShape.length !== 3) fail('model.inputShape', config.model?.inputShape, '[height, width, channels]');
  if (!config.views) fail('views', config.views, 'a ViewPipeline');
  return config;
}

/** Make a config's model input and view output match a dataset's image shape (the rest of the preset is kept). */
export function fitConfigToData(config: TrainConfig, dataset: ImageDataset): TrainConfig {
  const [, height, width, channels] = dataset.shape;
  const crop = config.views.crop ? { ...config.views.crop, size: [height, width] as [number, number] } : null;
  return { ...config, model: { ...config.model, inputShape: [height, width, channels] }, views: { ...config.views, crop } };
}
