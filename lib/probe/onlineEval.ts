/** Cheap accuracy signals during pretraining, computed on detached features (no gradient reaches the model). */
import { ImageDataset } from '../data/dataset';
import { extractFeatures } from './features';
import { knnClassify, KnnOptions } from './knn';
import { SimclrModel } from '../models/simclrModel';

/** Options for `onlineKnnEvaluator`. */
export interface OnlineKnnOptions extends KnnOptions {
  /** Feature batch size for extraction. Default 256. */
  batchSize?: number;
  /** Evaluate only every this many epochs (others return {}). Default 1. */
  everyEpochs?: number;
}

/**
 * An `evaluate` hook for SimclrTrainer: weighted kNN top-1 accuracy (InstDisc, Wu et al. 2018, k = 200,
 * τ = 0.1 by default) of the test images' h against the bank of train images' h, both extracted in inference
 * mode. Returns `{knnAccuracy}`; the model's weights are not touched. Keep `bank` and `queries` small
 * (a few thousand images) so it stays a monitor, not an evaluation.
 */
export function onlineKnnEvaluator(bank: ImageDataset, queries: ImageDataset, options: OnlineKnnOptions = {}) {
  const { batchSize = 256, everyEpochs = 1, ...knn } = options;
  if (!Number.isInteger(everyEpochs) || everyEpochs < 1) throw new Error(`onlineKnnEvaluator: everyEpochs must be an integer >= 1, got ${everyEpochs}`);
  return async (model: SimclrModel, epoch: number): Promise<Record<string, number>> => {
    if (epoch % everyEpochs !== 0) return {};
    const embed = (x: Parameters<SimclrModel['representation']>[0]) => model.representation(x);
    const bankFeatures = await extractFeatures(embed, bank, { batchSize });
    const queryFeatures = await extractFeatures(embed, queries, { batchSize });
    const result = await knnClassify(bankFeatures, bank.labels, queryFeatures, queries.labels, { numClasses: bank.classNames.length || undefined, ...knn });
    return { knnAccuracy: result.accuracy };
  };
}
