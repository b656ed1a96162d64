/**
 * Images from a folder on disk, in the layout of torchvision's ImageFolder: one sub-folder per class
 * (sorted sub-folder names are the class names; files inside are found recursively), or a flat folder of
 * images (unlabeled, labels -1). JPEG, PNG and WebP are decoded with sharp (libvips).
 *
 * Every image becomes imageSize x imageSize: EXIF orientation applied, transparency flattened onto black,
 * then resized with fit 'cover', position 'centre' (scale the short side to imageSize, crop the long side
 * symmetrically; aspect ratio kept, edges of non-square images lost), Lanczos-3 resampling (sharp's default).
 */
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { ImageDataset, validateDataset } from './dataset';

/** Extensions read (case-insensitive); other files are ignored. */
export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp'];

export interface ImageFolderOptions {
  /** Output side in pixels (default 32: the CIFAR-sized input the seed setup uses). */
  imageSize?: number;
  /** 3 = RGB, 1 = grey (sharp's greyscale conversion, libvips 'b-w' colourspace) (default 3). */
  channels?: 1 | 3;
  /** An undecodable file: 'skip' lists it in `skipped` and warns (default: one bad file should not stop a run); 'fail' throws naming it. */
  onError?: 'skip' | 'fail';
  /** Load at most this many files (default all), taken round-robin across classes so every class appears. */
  limit?: number;
  /** Files decoded at once (default 8: keeps libvips' threads busy without opening thousands of files). */
  concurrency?: number;
  /** Receives warnings (default console.warn). */
  warn?: (message: string) => void;
}

/** A file that was not loaded, and why. */
export interface SkippedFile {
  file: string;
  reason: string;
}

/** An ImageDataset from disk, plus the source path of every image and the files left out. */
export interface ImageFolderDataset extends ImageDataset {
  /** `files[i]` is the path of image i. */
  files: string[];
  skipped: SkippedFile[];
}

const isImage = (name: string) => IMAGE_EXTENSIONS.includes(path.extname(name).toLowerCase());
const isHidden = (name: string) => name.startsWith('.');

/** Image files under dir, recursively, in sorted path order. */
function listImages(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (isHidden(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listImages(full));
    else if (isImage(entry.name)) out.push(full);
  }
  return out;
}

/** Pick up to `limit` (file, label) pairs round-robin over the classes, then restore class-then-path order. */
function pickRoundRobin(perClass: string[][], limit: number): { file: string; label: number }[] {
  const picked: { file: string; label: number; rank: number }[] = [];
  for (let rank = 0; picked.length < limit && perClass.some((files) => rank < files.length); rank++) {
    for (let label = 0; label < perClass.length && picked.length < limit; label++) {
      if (rank < perClass[label].length) picked.push({ file: perClass[label][rank], label, rank });
    }
  }
  return picked.sort((a, b) => a.label - b.label || a.rank - b.rank);
}

async function decode(file: string, imageSize: number, channels: 1 | 3): Promise<Buffer> {
  let pipeline = sharp(file, { failOn: 'warning' })
    .rotate()
    .flatten({ background: '#000000' })
    .resize(imageSize, imageSize, { fit: 'cover', position: 'centre' });
  pipeline = channels === 1 ? pipeline.grayscale() : pipeline.toColourspace('srgb');
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  if (info.width !== imageSize || info.height !== imageSize || info.channels !== channels) {
    throw new Error(`decoded to ${info.width}x${info.height}x${info.channels}, expected ${imageSize}x${imageSize}x${channels}`);
  }
  return data;
}

/**
 * Load a folder of images as an ImageDataset of shape `(n, imageSize, imageSize, channels)` uint8.
 * Class mode when `dir` has sub-folders (image files directly in `dir` are then skipped as unlabeled
 * strays); flat mode otherwise. Throws when `dir` is not a folder, holds no images, or no image decodes.
 */
export async function loadImageFolder(dir: string, options: ImageFolderOptions = {}): Promise<ImageFolderDataset> {
  const { imageSize = 32, channels = 3, onError = 'skip', limit, concurrency = 8, warn = console.warn } = options;
  if (!Number.isInteger(imageSize) || imageSize < 1) throw new Error(`loadImageFolder: imageSize must be an integer >= 1, got ${imageSize}`);
  if (channels !== 1 && channels !== 3) throw new Error(`loadImageFolder: channels must be 1 or 3, got ${channels}`);
  if (onError !== 'skip' && onError !== 'fail') throw new Error(`loadImageFolder: onError must be 'skip' or 'fail', got ${JSON.stringify(onError)}`);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw new Error(`loadImageFolder: limit must be a non-negative integer, got ${limit}`);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`loadImageFolder: concurrency must be an integer >= 1, got ${concurrency}`);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`loadImageFolder: ${dir} is not a folder`);

  const entries = fs.readdirSync(dir, { withFileTypes: true }).filter((entry) => !isHidden(entry.name));
  const classNames = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  const skipped: SkippedFile[] = [];
  let perClass: string[][];
  if (classNames.length > 0) {
    perClass = classNames.map((name) => listImages(path.join(dir, name)));
    for (const entry of entries) {
      if (entry.isFile() && isImage(entry.name)) skipped.push({ file: path.join(dir, entry.name), reason: 'not inside a class sub-folder' });
    }
  } else {
    perClass = [listImages(dir)];
  }
  const available = perClass.reduce((sum, files) => sum + files.length, 0);
  if (available === 0) {
    throw new Error(`loadImageFolder: no ${IMAGE_EXTENSIONS.join('/')} images in ${dir} (expected images directly in it, or one sub-folder per class)`);
  }
  const labeled = classNames.length > 0;
  const picked = pickRoundRobin(perClass, limit ?? available).map(({ file, label }) => ({ file, label: labeled ? label : -1 }));

  const size = imageSize * imageSize * channels;
  const decoded: (Buffer | null)[] = new Array(picked.length).fill(null);
  for (let start = 0; start < picked.length; start += concurrency) {
    const chunk = picked.slice(start, start + concurrency);
    await Promise.all(
      chunk.map(async ({ file }, k) => {
        try {
          decoded[start + k] = await decode(file, imageSize, channels);
        } catch (error) {
          const reason = (error as Error).message;
          if (onError === 'fail') throw new Error(`loadImageFolder: cannot read ${file}: ${reason}`);
          skipped.push({ file, reason });
        }
      }),
    );
  }
  const kept = picked.map((entry, i) => ({ ...entry, data: decoded[i] })).filter((entry) => entry.data !== null);
  if (skipped.length > 0) {
    const list = skipped.slice(0, 5).map((s) => `${s.file} (${s.reason})`).join('; ');
    warn(`loadImageFolder: skipped ${skipped.length} file(s) in ${dir}: ${list}${skipped.length > 5 ? '; ...' : ''}`);
  }
  if (kept.length === 0 && picked.length > 0) throw new Error(`loadImageFolder: none of the ${picked.length} images in ${dir} could be read; first: ${skipped[0].file} (${skipped[0].reason})`);

  const images = new Uint8Array(kept.length * size);
  kept.forEach((entry, i) => images.set(entry.data!, i * size));
  const dataset = validateDataset({
    name: `folder:${path.basename(path.resolve(dir))}`,
    images,
    shape: [kept.length, imageSize, imageSize, channels] as [number, number, number, number],
    labels: Int32Array.from(kept, (entry) => entry.label),
    classNames,
  });
  return { ...dataset, files: kept.map((entry) => entry.file), skipped };
}
