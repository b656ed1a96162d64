import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkImageShape, checkSeed } from '../../lib/models/validation';

const ImageShape = suite('checkImageShape');
ImageShape('accepts [H, W, C]; refuses other lengths and non-positive sizes', () => {
  assert.equal(checkImageShape('s', [28, 28, 1]), [28, 28, 1]);
  assert.throws(() => checkImageShape('s', [28, 28]), /s must be \[height, width, channels\], got \[28,28\]/);
  assert.throws(() => checkImageShape('s', 'big'), /got "big"/);
  assert.throws(() => checkImageShape('s', [28, 0, 1]), /s\[1\] must be a positive integer, got 0/);
});
ImageShape.run();

const Seed = suite('checkSeed');
Seed('accepts any integer (negative too); refuses fractions and non-numbers', () => {
  assert.is(checkSeed('seed', -3), -3);
  assert.throws(() => checkSeed('seed', 1.5), /seed must be an integer, got 1.5/);
  assert.throws(() => checkSeed('seed', undefined), /seed must be an integer, got undefined/);
});
Seed.run();
