/**
 * A synthetic dataset with real classes, built in plain JS: ten geometric shapes drawn with random colours,
 * position, size, rotation and pixel noise. It is the default when no real dataset is on disk, so that
 * self-supervised features can be probed against labels that mean something.
 *
 * Nuisances are chosen so the label is not readable from global statistics: foreground and background
 * colours are independent random colours (only a minimum luminance contrast is enforced, either polarity),
 * so the mean pixel and colour carry little class information; size and position vary, so a fixed
 * template of raw pixels fits poorly. Shape is what stays constant within a class.
 */
import { Rng } from '../rng';
import { ImageDataset, validateDataset } from './dataset';

/** Label k draws `SHAPE_CLASS_NAMES[k]`. */
export const SHAPE_CLASS_NAMES = [
  'circle', 'square', 'triangle', 'x-cross', 'ring', 'horizontal bar', 'vertical bar', 'diamond', 'plus', 'two dots',
];

const SQRT_HALF = Math.SQRT1_2;
/** Largest distance from the centre of any shape point, in the shape's frame (the x-cross's corners). */
const SHAPE_EXTENT = 1.2;

/**
 * Whether the point (p, q) of the shape's own frame (centre 0, radius about 1, q pointing down) is inside
 * shape k. Areas are kept within a factor of about 2.5 of each other so size alone tells little.
 */
function inside(shape: number, p: number, q: number): boolean {
  const ap = Math.abs(p);
  const aq = Math.abs(q);
  switch (shape) {
    case 0: return p * p + q * q <= 0.85; // disc, radius 0.92
    case 1: return ap <= 0.8 && aq <= 0.8; // axis-aligned square
    case 2: // equilateral triangle, apex up, circumradius 1
      return q <= 0.5 && 1.732 * p - q <= 1 && -1.732 * p - q <= 1;
    case 3: // X: two diagonal bars of half-width 0.22, clipped to a square
      return ap <= 0.85 && aq <= 0.85 && (Math.abs(p - q) * SQRT_HALF <= 0.22 || Math.abs(p + q) * SQRT_HALF <= 0.22);
    case 4: { // ring, radii 0.6..1
      const r2 = p * p + q * q;
      return r2 <= 1 && r2 >= 0.36;
    }
    case 5: return ap <= 1 && aq <= 0.3; // horizontal bar
    case 6: return ap <= 0.3 && aq <= 1; // vertical bar
    case 7: return ap + aq <= 1; // diamond (square rotated 45 degrees)
    case 8: return (ap <= 0.25 && aq <= 0.95) || (aq <= 0.25 && ap <= 0.95); // plus
    case 9: { // two dots side by side, radius 0.38
      const dx = ap - 0.55;
      return dx * dx + q * q <= 0.1444;
    }
    default: throw new Error(`unknown shape ${shape}`);
  }
}

export interface ShapesOptions {
  /** Number of images (default 10,000: enough for a linear probe, generated in about a second). */
  size?: number;
  /** Side in pixels (default 32, CIFAR-sized). */
  imageSize?: number;
  /** 3 = RGB colours, 1 = grey levels (default 3). */
  channels?: 1 | 3;
  /** Seed (default 42). Image i depends only on (seed, i): a smaller size gives a prefix. */
  seed?: number;
  /** Standard deviation of the per-pixel Gaussian noise, in [0, 1] intensity units (default 0.05: visible grain). */
  noiseStd?: number;
  /** Rotation drawn uniformly in +-this many degrees (default 20: keeps square/diamond and plus/x apart, which differ by 45). */
  maxRotationDegrees?: number;
}

const luminance = (colour: number[]) => (colour.length === 1 ? colour[0] : 0.2126 * colour[0] + 0.7152 * colour[1] + 0.0722 * colour[2]);

/** Foreground and background colours in [0, 1] whose luminances differ by at least 0.3 (either sign). */
function drawColours(rng: Rng, channels: number): { foreground: number[]; background: number[] } {
  for (;;) {
    const foreground = Array.from({ length: channels }, () => rng.next());
    const background = Array.from({ length: channels }, () => rng.next());
    if (Math.abs(luminance(foreground) - luminance(background)) >= 0.3) return { foreground, background };
  }
}

/** Fill `out` with standard normals, using both outputs of each Box–Muller pair (half the cost of rng.normal()). */
function fillNormals(rng: Rng, out: Float64Array): void {
  for (let k = 0; k < out.length; k += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - rng.next())); // 1 - u is in (0, 1]: log never sees 0
    const angle = 2 * Math.PI * rng.next();
    out[k] = radius * Math.cos(angle);
    if (k + 1 < out.length) out[k + 1] = radius * Math.sin(angle);
  }
}

/**
 * Generate the shapes dataset: `(size, imageSize, imageSize, channels)` uint8, labels `i mod 10` (so every
 * prefix of 10k images is exactly balanced), class names SHAPE_CLASS_NAMES.
 *
 * Per image (own generator: the i-th fork of `new Rng(seed)`): radius r ~ U(0.35, 0.75) of the half-side,
 * centre uniform such that the shape's bounding circle stays inside, rotation ~ U(+-maxRotationDegrees),
 * colours as in `drawColours`. Pixel value = background + coverage * (foreground - background) + noise,
 * where coverage is the fraction of a 3x3 grid of sub-pixel samples inside the shape (anti-aliasing);
 * then clamped to [0, 1] and rounded to 0..255.
 */
export function shapesDataset(options: ShapesOptions = {}): ImageDataset {
  const { size = 10000, imageSize = 32, channels = 3, seed = 42, noiseStd = 0.05, maxRotationDegrees = 20 } = options;
  if (!Number.isInteger(size) || size < 0) throw new Error(`shapesDataset: size must be a non-negative integer, got ${size}`);
  if (!Number.isInteger(imageSize) || imageSize < 8) throw new Error(`shapesDataset: imageSize must be an integer >= 8, got ${imageSize}`);
  if (channels !== 1 && channels !== 3) throw new Error(`shapesDataset: channels must be 1 or 3, got ${channels}`);
  if (!Number.isInteger(seed)) throw new Error(`shapesDataset: seed must be an integer, got ${seed}`);
  if (!(noiseStd >= 0)) throw new Error(`shapesDataset: noiseStd must be >= 0, got ${noiseStd}`);
  if (!(maxRotationDegrees >= 0 && maxRotationDegrees < 45)) {
    throw new Error(`shapesDataset: maxRotationDegrees must be in [0, 45) (45 would turn squares into diamonds), got ${maxRotationDegrees}`);
  }
  const numClasses = SHAPE_CLASS_NAMES.length;
  const side = imageSize;
  const images = new Uint8Array(size * side * side * channels);
  const labels = new Int32Array(size);
  const coverage = new Float32Array(side * side);
  const noise = new Float64Array(side * side * channels);
  const subSamples = [-1 / 3, 0, 1 / 3];
  const master = new Rng(seed);
  for (let i = 0; i < size; i++) {
    const rng = master.fork();
    const shape = i % numClasses;
    labels[i] = shape;
    const radius = rng.uniform(0.35, 0.75);
    const room = 1 - SHAPE_EXTENT * radius; // keep the whole shape inside the image
    const centreX = rng.uniform(-room, room);
    const centreY = rng.uniform(-room, room);
    const angle = (rng.uniform(-maxRotationDegrees, maxRotationDegrees) * Math.PI) / 180;
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    const { foreground, background } = drawColours(rng, channels);
    // Coverage: map each sub-pixel to [-1, 1]^2 image coordinates, then into the shape's frame.
    // Every shape lies within distance SHAPE_EXTENT of its centre in its own frame, so pixels farther than
    // that + one pixel diagonal from the centre have coverage 0 and skip the sub-sampling.
    const reach = (SHAPE_EXTENT * radius + (2 * Math.SQRT2) / side) ** 2;
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const pixelU = ((x + 0.5) / side) * 2 - 1 - centreX;
        const pixelV = ((y + 0.5) / side) * 2 - 1 - centreY;
        if (pixelU * pixelU + pixelV * pixelV > reach) {
          coverage[y * side + x] = 0;
          continue;
        }
        let hits = 0;
        for (const dy of subSamples) {
          for (const dx of subSamples) {
            const u = ((x + 0.5 + dx) / side) * 2 - 1 - centreX;
            const v = ((y + 0.5 + dy) / side) * 2 - 1 - centreY;
            if (inside(shape, (cos * u + sin * v) / radius, (-sin * u + cos * v) / radius)) hits++;
          }
        }
        coverage[y * side + x] = hits / 9;
      }
    }
    const base = i * side * side * channels;
    fillNormals(rng, noise);
    for (let p = 0; p < side * side; p++) {
      for (let c = 0; c < channels; c++) {
        const value = background[c] + coverage[p] * (foreground[c] - background[c]) + noiseStd * noise[p * channels + c];
        images[base + p * channels + c] = Math.round(255 * Math.min(1, Math.max(0, value)));
      }
    }
  }
  return validateDataset({ name: `shapes(seed ${seed})`, images, shape: [size, side, side, channels], labels, classNames: SHAPE_CLASS_NAMES.slice() });
}
