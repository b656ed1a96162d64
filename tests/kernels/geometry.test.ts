import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as kernels from '../../lib/kernels';
import { convFlops, convGeometry } from '../../lib/kernels/geometry';
import { isChannelsLast } from '../../lib/kernels/geometry';

const exportsSuite = suite('exports');
exportsSuite('lib/kernels re-exports the geometry helpers', () => {
  assert.type(kernels.convGeometry, 'function');
  assert.type(kernels.convFlops, 'function');
});
exportsSuite.run();

const geometry = suite('convGeometry');
geometry("'same' at stride 2 on an even size pads only after (tfjs's rule), output ⌈H/s⌉", () => {
  const g = convGeometry([128, 32, 32, 16], [3, 3, 16, 32], 2, 'same');
  assert.equal([g.outHeight, g.outWidth, g.outChannels], [16, 16, 32]);
  assert.equal([g.padTop, g.padBottom, g.padLeft, g.padRight], [0, 1, 0, 1]);
});
geometry("'same' at stride 1 pads symmetrically for odd kernels", () => {
  const g = convGeometry([1, 7, 9, 3], [3, 3, 3, 4], 1, 'same');
  assert.equal([g.outHeight, g.outWidth, g.padTop, g.padBottom, g.padLeft, g.padRight], [7, 9, 1, 1, 1, 1]);
});
geometry("'valid' never pads; output ⌊(H − K)/s⌋ + 1", () => {
  const g = convGeometry([2, 9, 10, 3], [3, 3, 3, 5], 2, 'valid');
  assert.equal([g.outHeight, g.outWidth, g.padTop + g.padBottom + g.padLeft + g.padRight], [4, 4, 0]);
});
geometry('explicit and numeric padding are kept as given', () => {
  const explicit = convGeometry([1, 6, 7, 3], [3, 3, 3, 2], 1, [[0, 0], [2, 1], [0, 3], [0, 0]]);
  assert.equal([explicit.padTop, explicit.padBottom, explicit.padLeft, explicit.padRight, explicit.outHeight, explicit.outWidth], [2, 1, 0, 3, 7, 8]);
  const numeric = convGeometry([1, 9, 9, 3], [3, 3, 3, 4], 2, 1);
  assert.equal([numeric.padTop, numeric.padBottom, numeric.outHeight], [1, 1, 5]);
});
geometry('rejects shapes that are not rank 4', () => {
  assert.throws(() => convGeometry([9, 9, 3], [3, 3, 3, 4], 1, 'same'), /rank-4/);
});
geometry.run();

const flops = suite('convFlops');
flops('2·N·Ho·Wo·KH·KW·Cin·Cout', () => {
  assert.is(convFlops(convGeometry([2, 8, 8, 4], [3, 3, 4, 8], 2, 'same')), 2 * 2 * 4 * 4 * 9 * 4 * 8);
});
flops.run();

const channelsLast = suite('isChannelsLast');
channelsLast('NHWC spellings and the default are channels-last; NCHW is not', () => {
  assert.ok(isChannelsLast(undefined) && isChannelsLast('NHWC') && isChannelsLast('channelsLast'));
  assert.not.ok(isChannelsLast('NCHW') || isChannelsLast('channelsFirst'));
});
channelsLast.run();
