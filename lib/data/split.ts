/** Random train/test splits of an ImageDataset (seeded, optionally stratified by label). */
import { Rng } from '../rng';
import { ImageDataset, checkRng, subset } from './dataset';

export interface TrainTestSplitOptions {
  /** Fraction of images that go to the test part, strictly between 0 and 1. */
  testFraction: number;
  /** Seeded generator that draws the split. */
  rng: Rng;
  /**
   * Split each label separately so both parts keep the label proportions (unlabeled images, -1, form their
   * own group). Default false: one permutation of all images, the plain random split.
   */
  stratified?: boolean;
}

export interface TrainTestSplit {
  train: ImageDataset;
  test: ImageDataset;
  /** Indices into the source dataset, ascending; train and test are disjoint and together cover 0..n-1. */
  trainIndices: Int32Array;
  testIndices: Int32Array;
}

/**
 * Split a dataset into disjoint train and test parts.
 *
 * Plain: test = the first round(n * testFraction) entries of a random permutation. Stratified: for every
 * label group of size m, round(m * testFraction) images drawn at random go to test. Each part keeps the
 * source order (indices ascending); shuffle later with `batches` or `shuffled`. Pixels are copied.
 */
export function trainTestSplit(dataset: ImageDataset, options: TrainTestSplitOptions): TrainTestSplit {
  const { testFraction, rng, stratified = false } = options ?? ({} as TrainTestSplitOptions);
  if (!(typeof testFraction === 'number' && testFraction > 0 && testFraction < 1)) {
    throw new Error(`trainTestSplit: testFraction must be a number strictly between 0 and 1, got ${testFraction}`);
  }
  checkRng(rng, 'trainTestSplit: options.rng');
  const n = dataset.shape[0];
  const isTest = new Uint8Array(n);
  const groups = new Map<number, number[]>();
  if (stratified) {
    for (let i = 0; i < n; i++) {
      const label = dataset.labels[i];
      let group = groups.get(label);
      if (!group) groups.set(label, (group = []));
      group.push(i);
    }
  } else {
    groups.set(0, Array.from({ length: n }, (_, i) => i));
  }
  // Visit groups in label order so the draw does not depend on Map insertion order.
  for (const label of [...groups.keys()].sort((a, b) => a - b)) {
    const members = rng.shuffle(groups.get(label)!);
    const testCount = Math.round(members.length * testFraction);
    for (let k = 0; k < testCount; k++) isTest[members[k]] = 1;
  }
  const testIndices: number[] = [];
  const trainIndices: number[] = [];
  for (let i = 0; i < n; i++) (isTest[i] ? testIndices : trainIndices).push(i);
  return {
    train: subset(dataset, trainIndices, `${dataset.name}[train split]`),
    test: subset(dataset, testIndices, `${dataset.name}[test split]`),
    trainIndices: Int32Array.from(trainIndices),
    testIndices: Int32Array.from(testIndices),
  };
}
