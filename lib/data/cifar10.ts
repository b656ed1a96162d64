/**
 * CIFAR-10 (Krizhevsky 2009, "Learning Multiple Layers of Features from Tiny Images"), binary version
 * (`cifar-10-binary.tar.gz` from https://www.cs.toronto.edu/~kriz/cifar.html, folder `cifar-10-batches-bin`).
 *
 * Files: data_batch_1.bin .. data_batch_5.bin (train), test_batch.bin (test), batches.meta.txt (class
 * names, one per line). Each record is 3073 bytes: 1 label byte, then 1024 red, 1024 green, 1024 blue bytes,
 * each plane a 32x32 image in row-major order (channel-first). We convert to NHWC.
 * Folder: `options.dir`, else the environment variable CIFAR10_DIR; either may be the extracted
 * `cifar-10-batches-bin` folder or its parent.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ImageDataset, validateDataset } from './dataset';

/** The standard class names, used when batches.meta.txt is absent. */
export const CIFAR10_CLASS_NAMES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

/** Bytes per record: 1 label + 3 x 32 x 32 pixels. */
export const CIFAR10_RECORD_BYTES = 3073;
const SIDE = 32;
const PLANE = SIDE * SIDE;

export type Cifar10Split = 'train' | 'test';

/** Batch file names per split, in load order. */
export const CIFAR10_FILES: Record<Cifar10Split, string[]> = {
  train: ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'],
  test: ['test_batch.bin'],
};

const HOW_TO_GET =
  'Download cifar-10-binary.tar.gz from https://www.cs.toronto.edu/~kriz/cifar.html, extract it, and pass ' +
  '{ dir } or set CIFAR10_DIR to the extracted cifar-10-batches-bin folder.';

export interface Cifar10Options {
  /** Folder holding the .bin files, or its parent (default: CIFAR10_DIR). */
  dir?: string;
  /** 'train' (5 files, 50,000 images) or 'test' (1 file, 10,000). */
  split: Cifar10Split;
  /** Load only the first `limit` records (default all); later bytes are not read. */
  limit?: number;
}

function resolveDir(dir: string | undefined): string {
  const chosen = dir ?? process.env.CIFAR10_DIR;
  if (!chosen) throw new Error(`CIFAR-10: no folder given (options.dir) and CIFAR10_DIR is not set. ${HOW_TO_GET}`);
  if (!fs.existsSync(chosen) || !fs.statSync(chosen).isDirectory()) {
    throw new Error(`CIFAR-10: folder ${chosen} (from ${dir !== undefined ? 'options.dir' : 'CIFAR10_DIR'}) does not exist. ${HOW_TO_GET}`);
  }
  const nested = path.join(chosen, 'cifar-10-batches-bin');
  return fs.existsSync(nested) && fs.statSync(nested).isDirectory() ? nested : chosen;
}

/** Class names from batches.meta.txt (non-empty trimmed lines), or the standard ten when the file is absent. */
function readClassNames(dir: string): string[] {
  const file = path.join(dir, 'batches.meta.txt');
  if (!fs.existsSync(file)) return CIFAR10_CLASS_NAMES.slice();
  const names = fs.readFileSync(file, 'utf8').split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length > 0);
  if (names.length === 0) throw new Error(`${file}: no class names (expected one per line)`);
  return names;
}

/**
 * Load one split of CIFAR-10 binary as an ImageDataset of shape `(n, 32, 32, 3)` uint8 RGB.
 * Pixel (i, y, x, c) = byte 1 + c * 1024 + y * 32 + x of record i. Errors: missing folder or file, an empty
 * file, file size not a multiple of 3073, label outside the class list (each naming the file).
 */
export function loadCifar10(options: Cifar10Options): ImageDataset {
  const { dir, split, limit } = options ?? ({} as Cifar10Options);
  if (split !== 'train' && split !== 'test') throw new Error(`loadCifar10: split must be 'train' or 'test', got ${JSON.stringify(split)}`);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw new Error(`loadCifar10: limit must be a non-negative integer, got ${limit}`);
  const folder = resolveDir(dir);
  const classNames = readClassNames(folder);
  const files = CIFAR10_FILES[split].map((name) => path.join(folder, name));
  const sizes = files.map((file) => {
    if (!fs.existsSync(file)) throw new Error(`CIFAR-10: missing file ${file} (the ${split} split needs ${CIFAR10_FILES[split].join(', ')}). ${HOW_TO_GET}`);
    const size = fs.statSync(file).size;
    if (size === 0) throw new Error(`${file}: the file is empty (0 bytes); a CIFAR-10 batch holds records of ${CIFAR10_RECORD_BYTES} bytes (a copy cut short?)`);
    if (size % CIFAR10_RECORD_BYTES !== 0) {
      throw new Error(`${file}: size ${size} bytes is not a multiple of the record size ${CIFAR10_RECORD_BYTES} (truncated or not CIFAR-10 binary)`);
    }
    return size / CIFAR10_RECORD_BYTES;
  });
  const total = sizes.reduce((a, b) => a + b, 0);
  const count = limit === undefined ? total : Math.min(limit, total);

  const images = new Uint8Array(count * PLANE * 3);
  const labels = new Int32Array(count);
  let done = 0;
  for (let f = 0; f < files.length && done < count; f++) {
    const records = Math.min(sizes[f], count - done);
    const bytes = Buffer.alloc(records * CIFAR10_RECORD_BYTES);
    const fd = fs.openSync(files[f], 'r');
    try {
      fs.readSync(fd, bytes, 0, bytes.length, 0);
    } finally {
      fs.closeSync(fd);
    }
    for (let r = 0; r < records; r++) {
      const offset = r * CIFAR10_RECORD_BYTES;
      const label = bytes[offset];
      if (label >= classNames.length) {
        throw new Error(`${files[f]}: record ${r} has label ${label}, outside 0..${classNames.length - 1} (${classNames.length} class names)`);
      }
      const i = done + r;
      labels[i] = label;
      const target = i * PLANE * 3;
      for (let p = 0; p < PLANE; p++) {
        images[target + p * 3] = bytes[offset + 1 + p];
        images[target + p * 3 + 1] = bytes[offset + 1 + PLANE + p];
        images[target + p * 3 + 2] = bytes[offset + 1 + 2 * PLANE + p];
      }
    }
    done += records;
  }
  return validateDataset({ name: `cifar10/${split}`, images, shape: [count, SIDE, SIDE, 3], labels, classNames });
}
