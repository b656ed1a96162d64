/** Classification summaries shared by the linear probe and kNN: confusion matrix, accuracy, per-class accuracy. */

/** Accuracy summary of predictions against true labels. */
export interface ClassificationSummary {
  /** Top-1 accuracy in [0, 1]: correct / count. */
  accuracy: number;
  /** Recall of each class: confusion[c][c] / (row c's total); NaN for a class with no samples. Length C. */
  perClassAccuracy: number[];
  /** confusion[t][p] = number of samples of true class t predicted as p; rows sum to the class counts. (C, C). */
  confusion: number[][];
  /** Number of samples scored. */
  count: number;
}

/**
 * Confusion matrix (rows = true class, columns = predicted class), accuracy and per-class accuracy.
 * @param trueLabels n class indices in [0, C).  @param predictions n class indices in [0, C).
 */
export function summarizePredictions(trueLabels: ArrayLike<number>, predictions: ArrayLike<number>, numClasses: number): ClassificationSummary {
  if (trueLabels.length !== predictions.length) {
    throw new Error(`summarizePredictions: ${trueLabels.length} labels but ${predictions.length} predictions (lengths must match)`);
  }
  if (trueLabels.length === 0) throw new Error('summarizePredictions: no samples to score');
  const confusion = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  let correct = 0;
  for (let i = 0; i < trueLabels.length; i++) {
    const t = trueLabels[i];
    const p = predictions[i];
    if (!(t >= 0 && t < numClasses && p >= 0 && p < numClasses)) {
      throw new Error(`summarizePredictions: sample ${i} has label ${t} / prediction ${p} outside [0, ${numClasses})`);
    }
    confusion[t][p]++;
    if (t === p) correct++;
  }
  const perClassAccuracy = confusion.map((row, c) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? NaN : row[c] / total;
  });
  return { accuracy: correct / trueLabels.length, perClassAccuracy, confusion, count: trueLabels.length };
}
