/** Named view pipelines: the seed article's, SimCLR's CIFAR-10 one and one for 28 px Fashion-MNIST. */
import { ColorJitterOptions } from './jitter';
import { resolveViewPipeline, ViewPipeline } from './pipeline';

/** Colour jitter switched off. */
const noColorJitter: ColorJitterOptions = { brightness: 0, contrast: 0, saturation: 0, hue: 0, probability: 0 };

/**
 * The seed article's views: RandomResizedCrop(size, scale 0.6-1, default ratio) + horizontal flip
 * (p 0.5), nothing else. A mild pipeline for a first run on random or tiny data.
 * @param size output side in pixels (32 in the article).
 */
export function seedViews(size = 32): ViewPipeline {
  return resolveViewPipeline({
    crop: { size, scale: [0.6, 1] }, // the article keeps at least 60% of the image
    horizontalFlipProbability: 0.5,
    colorJitter: noColorJitter,
    grayscaleProbability: 0,
    blur: { probability: 0 },
    normalize: null,
  });
}

/**
 * SimCLR's CIFAR-10 views (Chen et al. 2020, appendix B.9): crop scale 0.08-1, flip 0.5, colour jitter
 * 0.4/0.4/0.4/0.1 with p 0.8, grayscale p 0.2, no blur. Equal to the pipeline defaults at this size.
 * @param size output side in pixels (32 for CIFAR).
 */
export function simclrCifarViews(size = 32): ViewPipeline {
  return resolveViewPipeline({ crop: { size, scale: [0.08, 1] } });
}

/**
 * Views for 28 px grayscale Fashion-MNIST, the settings of the reference run in ENVIRONMENT.md (that
 * reached 0.873 linear-probe accuracy): crop scale 0.4-1 (small objects on a blank background lose
 * too much at 0.08), flip 0.5, brightness and contrast factors in 0.6-1.4 with p 0.8; no saturation or hue
 * (meaningless for one channel), no grayscale, no blur.
 * @param size output side in pixels (28 for Fashion-MNIST).
 */
export function fashionMnistViews(size = 28): ViewPipeline {
  return resolveViewPipeline({
    crop: { size, scale: [0.4, 1] },
    horizontalFlipProbability: 0.5,
    colorJitter: { brightness: 0.4, contrast: 0.4, saturation: 0, hue: 0, probability: 0.8 },
    grayscaleProbability: 0,
    blur: { probability: 0 },
    normalize: null,
  });
}
