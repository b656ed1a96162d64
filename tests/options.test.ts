import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkPositiveInteger, withDefaults } from '../lib/options';

const WithDefaults = suite('withDefaults');

WithDefaults('merges options over defaults, ignoring undefined values; keeps extra keys; mutates neither input', () => {
  const defaults = { temperature: 0.5, checkFinite: false };
  assert.equal(withDefaults(defaults, undefined), defaults);
  assert.equal(withDefaults(defaults, { temperature: undefined, checkFinite: true }), { temperature: 0.5, checkFinite: true });
  assert.equal(withDefaults(defaults, { temperature: 0.1 }), { temperature: 0.1, checkFinite: false });
  const options = { temperature: 0.2, numClasses: 3 };
  assert.equal(withDefaults(defaults, options), { temperature: 0.2, checkFinite: false, numClasses: 3 });
  assert.equal(defaults, { temperature: 0.5, checkFinite: false }, 'defaults are not mutated');
  assert.equal(options, { temperature: 0.2, numClasses: 3 }, 'options are not mutated');
});

WithDefaults.run();

const PositiveInteger = suite('checkPositiveInteger');

PositiveInteger('accepts 1, 7; refuses 0, −1, 2.5, NaN, "3" naming the option and the value', () => {
  assert.is(checkPositiveInteger('w', 1), 1);
  assert.is(checkPositiveInteger('w', 7), 7);
  for (const [bad, shown] of [[0, '0'], [-1, '-1'], [2.5, '2.5'], [NaN, 'null'], ['3', '"3"'], [undefined, 'undefined']] as const) {
    assert.throws(() => checkPositiveInteger('opts: width', bad), new RegExp(`opts: width must be a positive integer, got ${shown.replace('.', '\\.')}$`));
  }
});

PositiveInteger.run();
