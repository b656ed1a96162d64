/**
 * The dataset to use when the caller has not chosen one: Fashion-MNIST when its files are on this machine
 * (real photos, published baselines to compare with), else the built-in shapes dataset (real classes,
 * generated in a second, no download). The choice and its reason are returned and printed.
 */
import { ImageDataset } from './dataset';
import { loadFashionMnist, locateFashionMnist } from './fashionMnist';
import { shapesDataset, ShapesOptions } from './shapes';

export interface DefaultDatasetOptions {
  /** 'train' or 'test'. */
  split: 'train' | 'test';
  /** At most this many images (default: all of Fashion-MNIST; for shapes, 10,000 train / 2,000 test). */
  limit?: number;
  /** Seed of the shapes dataset (default 42); the test split uses seed + 1, so the splits never share an image. Unused for Fashion-MNIST. */
  seed?: number;
  /** Folder of the Fashion-MNIST files (default: FASHION_MNIST_DIR, then the Debian system folder). */
  fashionMnistDir?: string;
  /** Image size and channels of the shapes fallback (default 32x32x3). */
  shapes?: Pick<ShapesOptions, 'imageSize' | 'channels'>;
  /** Where the one-line note goes (default console.log; pass () => {} to stay quiet). */
  log?: (message: string) => void;
}

export interface DefaultDataset {
  dataset: ImageDataset;
  source: 'fashion-mnist' | 'shapes';
  /** Which dataset was used and why, e.g. `shapes: Fashion-MNIST not found (...)`. */
  note: string;
}

/** Shapes sizes when no limit is given: enough for a linear probe, generated in about a second. */
const SHAPES_DEFAULT_SIZE = { train: 10000, test: 2000 };

/**
 * Load Fashion-MNIST's `split` if its files are found, else generate the shapes dataset. Files that are
 * found but damaged are an error (not a silent fallback). Returns the dataset with a note of the choice.
 */
export function loadDefaultDataset(options: DefaultDatasetOptions): DefaultDataset {
  const { split, limit, seed = 42, fashionMnistDir, shapes = {}, log = console.log } = options ?? ({} as DefaultDatasetOptions);
  if (split !== 'train' && split !== 'test') throw new Error(`loadDefaultDataset: split must be 'train' or 'test', got ${JSON.stringify(split)}`);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw new Error(`loadDefaultDataset: limit must be a non-negative integer, got ${limit}`);
  const location = locateFashionMnist(fashionMnistDir, [split]);
  let result: DefaultDataset;
  if (location.dir !== null) {
    const dataset = loadFashionMnist({ dir: location.dir, split, limit });
    result = { dataset, source: 'fashion-mnist', note: `fashion-mnist: found in ${location.dir} (${location.source}); ${dataset.shape[0]} ${split} images` };
  } else {
    const size = limit ?? SHAPES_DEFAULT_SIZE[split];
    const dataset = shapesDataset({ ...shapes, size, seed: split === 'train' ? seed : seed + 1 });
    dataset.name = `shapes/${split}`;
    result = {
      dataset,
      source: 'shapes',
      note: `shapes: Fashion-MNIST not found (${location.problem}), so using the built-in shapes dataset, ${size} ${split} images; apt install dataset-fashion-mnist or set FASHION_MNIST_DIR for real data`,
    };
  }
  log(`loadDefaultDataset: ${result.note}`);
  return result;
}
