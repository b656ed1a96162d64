import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { GridLayout, labelsSvg, truncateLabel } from '../../lib/display/imageLabels';

const layout = (overrides: Partial<GridLayout>): GridLayout => ({
  width: 100, height: 60, cellWidth: 30, cellHeight: 30, captionBand: 15, rowLabelBand: 0, rows: 1, padding: 2,
  cells: [{ x: 2, y: 2 }, { x: 34, y: 2 }], labels: [], rowLabels: [], fontSize: 10, ...overrides,
});

const TruncateLabel = suite('truncateLabel');

TruncateLabel('keeps what fits, cuts the rest with an ellipsis that counts as a character', () => {
  assert.is(truncateLabel('Sandal', 6), 'Sandal');
  assert.is(truncateLabel('Sneaker', 6), 'Sneak…');
  assert.is(truncateLabel('Ankle boot', 2), 'A…');
  assert.is(truncateLabel('Bag', 1), 'B');
});

TruncateLabel.run();

const LabelsSvg = suite('labelsSvg');

LabelsSvg('undefined without captions; one centred <text> per non-empty caption, below its cell', () => {
  assert.is(labelsSvg(layout({}), '#000'), undefined);
  assert.is(labelsSvg(layout({ labels: ['', ''] }), '#000'), undefined);
  const svg = labelsSvg(layout({ labels: ['Bag', '', 'unused'] }), '#123456')!;
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="100" height="60">/);
  assert.match(svg, /fill="#123456"/);
  const texts = [...svg.matchAll(/<text x="([\d.]+)" y="(\d+)" text-anchor="middle">([^<]*)<\/text>/g)];
  assert.is(texts.length, 1);
  assert.equal([Number(texts[0][1]), Number(texts[0][2]), texts[0][3]], [2 + 15, 2 + 30 + 11, 'Bag']);
});

LabelsSvg('captions are escaped and shortened to the cell width; row labels right-aligned at the band edge', () => {
  const svg = labelsSvg(layout({ labels: ['<T-shirt & top>'], rowLabels: ['view 1'], rowLabelBand: 40, cells: [{ x: 42, y: 2 }] }), '#000')!;
  assert.ok(svg.includes('>&lt;T-s…</text>'), svg); // 30 px / (10 px · 0.6) = 5 characters
  assert.match(svg, /<text x="36" y="\d+" text-anchor="end">view 1<\/text>/);
  assert.not.match(svg, /<T-shirt/);
});

LabelsSvg.run();
