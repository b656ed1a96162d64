import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as views from '../../lib/views';

const Exports = suite('lib/views index');

Exports('re-exports the public API of every module', () => {
  const names = [
    'checkImages', 'sampleFlags', 'applyColorMatrices', 'expandPerImage',
    'sampleCropBox', 'sampleCropBoxes', 'normalizedCropBoxes', 'resizedCrop', 'randomResizedCrop', 'defaultRandomResizedCrop',
    'horizontalFlip', 'randomHorizontalFlip',
    'LUMA_WEIGHTS', 'luma', 'grayscale', 'randomGrayscale',
    'adjustBrightness', 'adjustContrast', 'adjustSaturation', 'adjustHue', 'rgbToHsv', 'hsvToRgb',
    'sampleColorJitter', 'applyColorJitter', 'colorJitter', 'defaultColorJitter',
    'gaussianKernel', 'sampleBlurSigmas', 'gaussianBlur', 'randomGaussianBlur', 'defaultGaussianBlur',
    'normalizeImages',
    'defaultViewPipeline', 'resolveViewPipeline', 'applyView', 'twoViews',
    'seedViews', 'simclrCifarViews', 'fashionMnistViews',
  ];
  for (const name of names) assert.ok(name in views, `missing export ${name}`);
});

Exports.run();
