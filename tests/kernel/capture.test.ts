import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { kernelModule } from './kernelModules';

interface Capture {
  console: { log(value: unknown): void; error(...args: unknown[]): void };
  reset(): void;
  take(): { hasValue: boolean; value: unknown; diagnostics: string[]; thrown: unknown[] };
}
const { CellCapture } = kernelModule<{ CellCapture: new () => Capture }>('capture.js');

const Capture_ = suite('CellCapture');

Capture_("records tslab's reports: the last value, formatted diagnostics, thrown values; take() resets", () => {
  const capture = new CellCapture();
  const error = new Error('x');
  capture.console.log({ a: 1 });
  capture.console.error('%s%d:%d - %s', '', 2, 7, "Cannot find name 'foo'.");
  capture.console.error('%s%d:%d - %s', 'helper.ts ', 1, 1, 'bad');
  capture.console.error(error);
  assert.equal(capture.take(), {
    hasValue: true,
    value: { a: 1 },
    diagnostics: ["2:7 - Cannot find name 'foo'.", 'helper.ts 1:1 - bad'],
    thrown: [error],
  });
  assert.equal(capture.take(), { hasValue: false, value: undefined, diagnostics: [], thrown: [] });
});

Capture_('a logged undefined still counts as a value (tslab logs only non-null values; the flag is what matters)', () => {
  const capture = new CellCapture();
  capture.console.log(undefined);
  assert.ok(capture.take().hasValue);
});

Capture_.run();
