import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as richDisplay from '../../lib/richDisplay';

const Index = suite('richDisplay index');

Index('re-exports the public API and keeps generic helpers (escapeHtml, formatNumber, isTensor) internal', () => {
  const expected = ['RICH_DISPLAY_DEFAULTS', 'display', 'displaySymbol', 'isImageShaped', 'isTableShaped', 'kernelDisplayWriter',
    'normalizeBundle', 'resolveRichDisplayOptions', 'simpleTableHtml', 'tensorImagePng', 'tensorSummaryText', 'tensorTableHtml', 'toMimeBundle', 'withSelfDisplay'];
  assert.equal(Object.keys(richDisplay).sort(), expected);
});

Index.run();
