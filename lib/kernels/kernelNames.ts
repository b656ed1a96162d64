/**
 * Names of this library's own kernels, in a module of their own so that model code (lib/models/batchNorm.ts) can
 * name a kernel without loading the native addon or the kernels that implement it.
 */

/** Kernel name of batch normalisation in training (inputs x, scale, offset; attr epsilon; outputs y, mean, variance). */
export const BATCH_NORM_TRAIN = 'SimclrBatchNormTrain';
/** Kernel name of its gradient (inputs x, dy, scale, mean, variance; attr epsilon; outputs dx, dscale, doffset). */
export const BATCH_NORM_TRAIN_GRAD = 'SimclrBatchNormTrainGrad';
