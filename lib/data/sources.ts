/** Loading a dataset by its name (the names `simclr train/probe/embed --data` accept). */
import { ImageDataset } from './dataset';
import { loadCifar10 } from './cifar10';
import { loadDefaultDataset } from './defaultData';
import { fakeData } from './fakeData';
import { loadFashionMnist } from './fashionMnist';
import { loadImageFolder } from './imageFolder';
import { shapesDataset } from './shapes';

/** The data sources `loadDataSource` knows. */
export const DATA_SOURCES = ['default', 'fashion-mnist', 'cifar10', 'folder', 'shapes', 'fake'] as const;
export type DataSource = (typeof DATA_SOURCES)[number];

export interface DataSourceOptions {
  source: DataSource;
  split: 'train' | 'test';
  /** Folder for fashion-mnist, cifar10 (optional: env/system lookup) and folder (required). */
  dir?: string;
  limit?: number;
  /** Image side for folder/shapes/fake (default 32). */
  imageSize?: number;
  seed?: number;
}

/**
 * Load the named dataset split. 'default' is Fashion-MNIST when present, else shapes; 'folder' reads
 * `dir/<class>/*.{jpg,png,webp}` (a test split is not separate: the same folder is used).
 */
export async function loadDataSource(options: DataSourceOptions): Promise<ImageDataset> {
  const { source, split, dir, limit, imageSize = 32, seed = 42 } = options;
  const testSeed = split === 'test' ? seed + 1 : seed;
  switch (source) {
    case 'default':
      return loadDefaultDataset({ split, limit, fashionMnistDir: dir, log: () => {} }).dataset;
    case 'fashion-mnist':
      return loadFashionMnist({ dir, split, limit });
    case 'cifar10':
      return loadCifar10({ dir, split, limit });
    case 'folder':
      if (!dir) throw new Error("--data folder needs --data-dir <folder with one sub-folder per class>");
      return loadImageFolder(dir, { imageSize, limit, onError: 'skip' });
    case 'shapes':
      return shapesDataset({ size: limit ?? (split === 'train' ? 10000 : 2000), imageSize, seed: testSeed });
    case 'fake':
      return fakeData({ size: limit ?? 512, imageSize, seed: testSeed });
    default:
      throw new Error(`unknown data source '${source}'; expected one of ${DATA_SOURCES.join(', ')}`);
  }
}
