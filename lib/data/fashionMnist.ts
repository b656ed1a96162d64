/**
 * Fashion-MNIST (Xiao, Rasul & Vollgraf 2017, arXiv:1708.07747): 70,000 grayscale 28x28 photos of clothing
 * in 10 classes, 60,000 train and 10,000 test, stored as four IDX files (see idx.ts), usually gzipped.
 *
 * Where the files are looked for, first match wins: `options.dir`, else the environment variable
 * FASHION_MNIST_DIR, else /usr/share/datasets/fashion-mnist (Debian/Ubuntu package `dataset-fashion-mnist`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ImageDataset, validateDataset } from './dataset';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, readIdxFile } from './idx';

/** Label k of Fashion-MNIST is `FASHION_MNIST_CLASS_NAMES[k]` (from the dataset's README). */
export const FASHION_MNIST_CLASS_NAMES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
];

/** Where Debian's `dataset-fashion-mnist` package installs the files. */
export const FASHION_MNIST_SYSTEM_DIR = '/usr/share/datasets/fashion-mnist';

export type FashionMnistSplit = 'train' | 'test';

/** File base names per split; each may also exist with a `.gz` suffix. */
export const FASHION_MNIST_FILES: Record<FashionMnistSplit, { images: string; labels: string }> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};

const HOW_TO_GET =
  'Install it with `apt install dataset-fashion-mnist` (Debian/Ubuntu; files go to /usr/share/datasets/fashion-mnist), ' +
  'or download train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and ' +
  't10k-labels-idx1-ubyte.gz from https://github.com/zalandoresearch/fashion-mnist into a folder and pass ' +
  '{ dir } or set FASHION_MNIST_DIR to it.';

/** The path of `base` or `base.gz` in dir (plain file preferred), or null when neither exists. */
function findFile(dir: string, base: string): string | null {
  for (const name of [base, `${base}.gz`]) {
    const file = path.join(dir, name);
    if (fs.existsSync(file) && fs.statSync(file).isFile()) return file;
  }
  return null;
}

/** Result of looking for the files: the folder found (or null) and, per place tried, why it did not fit. */
export interface FashionMnistLocation {
  dir: string | null;
  /** The one place that was searched and where the choice came from. */
  source: 'options.dir' | 'FASHION_MNIST_DIR' | 'system';
  /** Empty when found; otherwise what was missing, e.g. `/x: missing t10k-labels-idx1-ubyte(.gz)`. */
  problem: string;
}

/**
 * Decide which folder holds the files of `splits` (default both): `dir` if given, else FASHION_MNIST_DIR if
 * set, else the Debian system folder. Only that one place is checked, so an explicit choice is never
 * silently replaced by another copy.
 */
export function locateFashionMnist(dir?: string, splits: FashionMnistSplit[] = ['train', 'test']): FashionMnistLocation {
  const fromEnvironment = process.env.FASHION_MNIST_DIR;
  const [candidate, source]: [string, FashionMnistLocation['source']] =
    dir !== undefined ? [dir, 'options.dir'] : fromEnvironment ? [fromEnvironment, 'FASHION_MNIST_DIR'] : [FASHION_MNIST_SYSTEM_DIR, 'system'];
  if (!fs.existsSync(candidate) || !fs.statSync(candidate).isDirectory()) {
    return { dir: null, source, problem: `${candidate} (from ${source}) is not a folder` };
  }
  const missing = splits
    .flatMap((split) => [FASHION_MNIST_FILES[split].images, FASHION_MNIST_FILES[split].labels])
    .filter((base) => findFile(candidate, base) === null);
  if (missing.length > 0) {
    return { dir: null, source, problem: `${candidate} (from ${source}) is missing ${missing.map((m) => `${m}(.gz)`).join(', ')}` };
  }
  return { dir: candidate, source, problem: '' };
}

export interface FashionMnistOptions {
  /** Folder holding the IDX files (default: FASHION_MNIST_DIR, then the Debian system folder). */
  dir?: string;
  /** 'train' (60,000 images) or 'test' (10,000). */
  split: FashionMnistSplit;
  /** Load only the first `limit` images (default all); only that much is read and decompressed. */
  limit?: number;
}

/**
 * Load one split of Fashion-MNIST as an ImageDataset of shape `(n, 28, 28, 1)` uint8 (0 = background,
 * 255 = brightest) with labels 0..9 named by FASHION_MNIST_CLASS_NAMES. Memory: the pixels are a view into
 * the decompressed buffer (47 MB for train), no float copy. Errors name the file: missing, wrong magic,
 * truncated, corrupt gzip, image/label count mismatch, label out of range.
 */
export function loadFashionMnist(options: FashionMnistOptions): ImageDataset {
  const { dir, split, limit } = options ?? ({} as FashionMnistOptions);
  if (split !== 'train' && split !== 'test') throw new Error(`loadFashionMnist: split must be 'train' or 'test', got ${JSON.stringify(split)}`);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
    throw new Error(`loadFashionMnist: limit must be a non-negative integer, got ${limit}`);
  }
  const location = locateFashionMnist(dir, [split]);
  if (location.dir === null) throw new Error(`Fashion-MNIST not found: ${location.problem}. ${HOW_TO_GET}`);
  const imagesFile = findFile(location.dir, FASHION_MNIST_FILES[split].images)!;
  const labelsFile = findFile(location.dir, FASHION_MNIST_FILES[split].labels)!;

  const images = readIdxFile(imagesFile, { expectedMagic: IDX_IMAGES_MAGIC, maxItems: limit });
  const labels = readIdxFile(labelsFile, { expectedMagic: IDX_LABELS_MAGIC, maxItems: limit });
  if (images.dims.length !== 3) throw new Error(`${imagesFile}: expected 3 dimensions (count, rows, cols), got ${images.dims.length}`);
  if (images.dims[0] !== labels.dims[0]) {
    throw new Error(`count mismatch: ${imagesFile} holds ${images.dims[0]} images but ${labelsFile} holds ${labels.dims[0]} labels`);
  }
  const count = images.itemsRead;
  const labelValues = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = labels.data[i];
    if (label >= FASHION_MNIST_CLASS_NAMES.length) {
      throw new Error(`${labelsFile}: label ${label} of item ${i} is outside 0..${FASHION_MNIST_CLASS_NAMES.length - 1}`);
    }
    labelValues[i] = label;
  }
  const [, rows, cols] = images.dims;
  return validateDataset({
    name: `fashion-mnist/${split}`,
    // With a limit the decoded prefix may run past the last image: copy just what is kept.
    images: limit === undefined ? images.data : images.data.slice(),
    shape: [count, rows, cols, 1],
    labels: labelValues,
    classNames: FASHION_MNIST_CLASS_NAMES.slice(),
  });
}
