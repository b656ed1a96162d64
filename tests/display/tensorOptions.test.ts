import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RICH_DISPLAY_DEFAULTS, resolveRichDisplayOptions } from '../../lib/display/tensorOptions';

const Resolve = suite('resolveRichDisplayOptions');

Resolve('no options: the documented defaults; given ones override only themselves', () => {
  assert.equal(resolveRichDisplayOptions(), RICH_DISPLAY_DEFAULTS);
  assert.equal(resolveRichDisplayOptions({ maxImages: 4 }), { ...RICH_DISPLAY_DEFAULTS, maxImages: 4 });
});

Resolve('rejects fractions, negatives and out-of-range values, naming the option and the value', () => {
  const cases: [object, RegExp][] = [
    [{ maxTableRows: 0 }, /maxTableRows: expected a whole number >= 1, got 0/],
    [{ maxImages: 2.5 }, /maxImages: expected a whole number >= 1, got 2.5/],
    [{ imageGap: -1 }, /imageGap: expected a whole number >= 0, got -1/],
    [{ significantDigits: 30 }, /significantDigits: expected at most 21, got 30/],
    [{ previewValues: Number.NaN }, /previewValues: expected a whole number >= 0, got NaN/],
  ];
  for (const [options, pattern] of cases) assert.throws(() => resolveRichDisplayOptions(options), pattern);
});

Resolve.run();
