import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as richDisplay from '../../lib/richDisplay';

const Index = suite('richDisplay index');

Index('re-exports the public API', () => {
  for (const name of ['displaySymbol', 'toMimeBundle', 'display', 'normalizeBundle', 'kernelDisplayWriter', 'tensorSummaryText',
    'tensorTableHtml', 'tensorImagePng', 'isTensor', 'isTableShaped', 'isImageShaped', 'resolveRichDisplayOptions', 'RICH_DISPLAY_DEFAULTS']) {
    assert.ok(name in richDisplay, name);
  }
});

Index.run();
