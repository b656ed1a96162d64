import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { formatCell, tableCells, tableHtml, tableText } from '../../lib/display/table';

const FormatCell = suite('formatCell');

FormatCell('integers as they are, other numbers with the decimals, specials spelled out, empty for null', () => {
  const cases: [unknown, string][] = [
    [3, '3'], [-12, '-12'], [0.87345, '0.873'], [1 / 3, '0.333'], [NaN, 'NaN'], [Infinity, 'Infinity'],
    [null, ''], [undefined, ''], ['h', 'h'], [true, 'true'], [{ a: 1 }, '{"a":1}'], [[1, 2], '[1,2]'],
  ];
  for (const [value, expected] of cases) assert.is(formatCell(value, 3), expected, String(value));
});

FormatCell.run();

const TableCells = suite('tableCells');

TableCells('object rows: columns in first-seen order, missing cells empty; numeric columns flagged', () => {
  const { header, cells, numeric } = tableCells([{ model: 'h', accuracy: 0.873 }, { model: 'z', accuracy: 0.814, epochs: 8 }]);
  assert.equal(header, ['model', 'accuracy', 'epochs']);
  assert.equal(cells, [['h', '0.8730', ''], ['z', '0.8140', '8']]);
  assert.equal(numeric, [false, true, true]);
});

TableCells('array rows with column names; columns choose and order object fields', () => {
  assert.equal(tableCells([[1, 'a'], [2, 'b']], ['n', 'name']).cells, [['1', 'a'], ['2', 'b']]);
  assert.equal(tableCells([{ a: 1, b: 2 }], ['b']).cells, [['2']]);
});

TableCells('validation: arrays without columns, ragged arrays, non-object rows, bad decimals', () => {
  assert.throws(() => tableCells([[1, 2]], undefined), /rows given as arrays need the column names/);
  assert.throws(() => tableCells([[1, 2], [3]], ['a', 'b']), /row 1 has 1 cells for 2 columns/);
  assert.throws(() => tableCells([{ a: 1 }, 5] as never, ['a']), /row 1 must be an object or an array, got number 5/);
  assert.throws(() => tableCells('x' as never, undefined), /rows must be an array/);
  assert.throws(() => tableCells([], [], { decimals: -1 }), /decimals must be a non-negative integer/);
});

TableCells.run();

const TableHtml = suite('tableHtml');

TableHtml('header, one <tr> per row, numbers right-aligned, text escaped, caption', () => {
  const html = tableHtml([{ model: '<b>h</b>', accuracy: 0.5 }], undefined, { caption: 'Probe & co', decimals: 2 });
  assert.ok(html.startsWith('<table class="simclr-workbench-table"><caption style="text-align:left">Probe &amp; co</caption>'));
  assert.ok(html.includes('<th style="text-align:left">model</th><th style="text-align:right">accuracy</th>'));
  assert.ok(html.includes('<td style="text-align:left">&lt;b&gt;h&lt;/b&gt;</td><td style="text-align:right">0.50</td>'));
  assert.is(html.split('<tr>').length - 1, 2);
  assert.not.ok(html.includes('<b>'));
});

TableHtml.run();

const TableText = suite('tableText');

TableText('columns padded to the widest cell, numbers right-aligned, text left-aligned', () => {
  const text = tableText([{ model: 'random', accuracy: 0.832 }, { model: 'h', accuracy: 0.87312 }], undefined, { decimals: 3, caption: 'probe' });
  assert.is(text, [
    'probe',
    'model   accuracy',
    '------  --------',
    'random     0.832',
    'h          0.873',
  ].join('\n'));
});

TableText.run();
