/** How many steps a run takes, and the runs that cannot train as configured (checked before anything is built). */
import { TrainConfig } from './config';

/** A run that cannot train as configured (no step in an epoch, a warmup as long as the run); thrown before anything is built. */
export class TrainingPlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrainingPlanError';
  }
}

/** Steps of a run over `images` training images. */
export interface TrainingPlan {
  /** ⌊n/N⌋ with dropLast, else ⌈n/N⌉ (a last batch of one image is skipped: the loss needs 2). */
  stepsPerEpoch: number;
  /** stepsPerEpoch × epochs. */
  totalSteps: number;
  /** round(warmupEpochs × stepsPerEpoch). */
  warmupSteps: number;
}

/** The step counts of a run; a pure function of the config and the number of images. */
export function trainingPlan(config: TrainConfig, images: number): TrainingPlan {
  const { batchSize: N, dropLast, epochs, warmupEpochs } = config;
  const stepsPerEpoch = dropLast || images % N === 1 ? Math.floor(images / N) : Math.ceil(images / N);
  return { stepsPerEpoch, totalSteps: stepsPerEpoch * epochs, warmupSteps: Math.round(warmupEpochs * stepsPerEpoch) };
}

/**
 * Refuse a run that cannot train as configured: no step in an epoch, or a warmup as long as the whole run.
 * @throws TrainingPlanError naming the setting and how to fix it.
 */
export function checkTrainingPlan(config: TrainConfig, images: number): TrainingPlan {
  const plan = trainingPlan(config, images);
  const { batchSize, dropLast, schedule, warmupEpochs, epochs } = config;
  if (plan.stepsPerEpoch < 1) {
    throw new TrainingPlanError(`SimclrTrainer: batchSize ${batchSize} is larger than the ${images} training images${dropLast ? ' (dropLast)' : ''}, so an epoch would have no step; use a batch size of at most ${images} or more images`);
  }
  if (schedule === 'warmupCosine' && plan.warmupSteps >= plan.totalSteps) {
    throw new TrainingPlanError(`SimclrTrainer: warmupEpochs ${warmupEpochs} (${plan.warmupSteps} steps) is not shorter than the whole run (${epochs} epochs = ${plan.totalSteps} steps), so the cosine decay would never run; train longer or warm up less`);
  }
  return plan;
}
