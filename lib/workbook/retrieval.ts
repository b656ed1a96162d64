/**
 * Reading nearest-neighbour retrieval results: how often the neighbours share the query's class, and the
 * query-plus-neighbours image rows to look at.
 */
import { ImageDataset } from '../data/dataset';
import { NeighborResult } from '../probe/knn';

/** Label agreement of retrieved neighbours. */
export interface NeighborAgreement {
  /** Mean over queries of (neighbours with the query's label) / k: precision@k, in [0, 1]. */
  precision: number;
  /** Per query, the fraction of its k neighbours with its label. */
  perQuery: Float64Array;
  /** Neighbours per query (k). */
  k: number;
}

/**
 * Precision@k of a retrieval: for query q with label y_q and neighbours n_1..n_k (bank indices),
 * precision_q = |{j : bankLabels[n_j] = y_q}| / k, and the mean over queries. A random bank order scores
 * about the share of the query's class in the bank (0.1 for ten balanced classes).
 * @param neighbors from `nearestNeighbors(queries, bank, k)`: (Q, k) indices, row-major.
 * @param queryLabels Q labels.  @param bankLabels the bank's labels (indexed by neighbour index).
 */
export function neighborAgreement(neighbors: NeighborResult, queryLabels: ArrayLike<number>, bankLabels: ArrayLike<number>): NeighborAgreement {
  const { indices, k } = neighbors ?? ({} as NeighborResult);
  if (!(indices instanceof Int32Array) || !Number.isInteger(k) || k < 1) {
    throw new Error('neighborAgreement: neighbors must be a nearestNeighbors result {indices: Int32Array, k >= 1}');
  }
  const queries = queryLabels.length;
  if (indices.length !== queries * k) {
    throw new Error(`neighborAgreement: ${queries} query labels need ${queries * k} neighbour indices (k = ${k}), got ${indices.length}`);
  }
  const perQuery = new Float64Array(queries);
  let total = 0;
  for (let q = 0; q < queries; q++) {
    let same = 0;
    for (let j = 0; j < k; j++) {
      const neighbor = indices[q * k + j];
      if (neighbor < 0 || neighbor >= bankLabels.length) throw new Error(`neighborAgreement: neighbour index ${neighbor} of query ${q} is outside the bank of ${bankLabels.length}`);
      if (bankLabels[neighbor] === queryLabels[q]) same++;
    }
    perQuery[q] = same / k;
    total += perQuery[q];
  }
  return { precision: queries > 0 ? total / queries : NaN, perQuery, k };
}

/** Pixels of a retrieval picture for `imageGridPng`: one row per query, the query first, then its neighbours. */
export interface RetrievalRows {
  /** (rows·(k+1), H, W, C) uint8, row-major grid order. */
  images: Uint8Array;
  shape: [number, number, number, number];
  /** One caption per image: the class name; neighbours marked ✓ (the query's class) or ✗ (another). */
  labels: string[];
  /** Grid columns: k + 1. */
  cols: number;
}

/**
 * Lay out retrieval results as image rows: for each of the first `rows` queries, the query image followed by
 * its k neighbours from the bank, each captioned with its class name (neighbours with ✓ when their class is
 * the query's, ✗ otherwise). Query and bank images must have the same size.
 */
export function retrievalRows(queries: ImageDataset, bank: ImageDataset, neighbors: NeighborResult, rows: number): RetrievalRows {
  const [, height, width, channels] = queries.shape;
  const [, bankHeight, bankWidth, bankChannels] = bank.shape;
  if (height !== bankHeight || width !== bankWidth || channels !== bankChannels) {
    throw new Error(`retrievalRows: queries are ${height}×${width}×${channels} but the bank is ${bankHeight}×${bankWidth}×${bankChannels}`);
  }
  const { indices, k } = neighbors;
  const available = Math.floor(indices.length / k);
  if (!Number.isInteger(rows) || rows < 1 || rows > Math.min(available, queries.shape[0])) {
    throw new Error(`retrievalRows: rows must be an integer in [1, ${Math.min(available, queries.shape[0])}], got ${rows}`);
  }
  const size = height * width * channels;
  const images = new Uint8Array(rows * (k + 1) * size);
  const labels: string[] = [];
  const name = (dataset: ImageDataset, label: number) => dataset.classNames[label] ?? (label < 0 ? 'unlabeled' : `class ${label}`);
  for (let q = 0; q < rows; q++) {
    const base = q * (k + 1);
    images.set(queries.images.subarray(q * size, (q + 1) * size), base * size);
    const queryLabel = queries.labels[q];
    labels.push(name(queries, queryLabel));
    for (let j = 0; j < k; j++) {
      const neighbor = indices[q * k + j];
      images.set(bank.images.subarray(neighbor * size, (neighbor + 1) * size), (base + 1 + j) * size);
      const label = bank.labels[neighbor];
      labels.push(`${label === queryLabel ? '✓' : '✗'} ${name(bank, label)}`);
    }
  }
  return { images, shape: [rows * (k + 1), height, width, channels], labels, cols: k + 1 };
}
