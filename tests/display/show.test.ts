import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import sharp from 'sharp';
import { lineChart } from '../../lib/display/figures';
import { plotlyLoaderEmitted, resetPlotlyLoader } from '../../lib/display/plotlyLoader';
import { DisplaySink, describeShowable, show, showTable, tslabDisplay } from '../../lib/display/show';

/** A display that records what it was sent. */
function recorder(): DisplaySink & { sent: [string, unknown][] } {
  const sent: [string, unknown][] = [];
  return { sent, html: (html) => { sent.push(['html', html]); }, png: (bytes) => { sent.push(['png', bytes]); }, jpeg: (bytes) => { sent.push(['jpeg', bytes]); } };
}
const figure = lineChart([{ name: 'train', y: [2, 1] }, { name: 'val', y: [2.2, 1.4] }], { title: 'Loss' });
let png: Buffer;
const JPEG_HEADER = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);

const DescribeShowable = suite('describeShowable');
DescribeShowable.before(async () => {
  png = await sharp({ create: { width: 7, height: 5, channels: 3, background: '#ff0000' } }).png().toBuffer();
});

DescribeShowable('figure: title and traces; html: size and text; png: pixel size; jpeg: bytes', () => {
  assert.is(describeShowable(figure), "[figure 'Loss': 2 traces (scatter 'train', scatter 'val')]");
  const html = '<p>Hello <b>probe</b></p><script>var x = "<i>no</i>";</script>';
  assert.is(describeShowable(html), `[html: ${html.length} characters, text 'Hello probe']`); // script text left out
  assert.is(describeShowable(png), `[png 7×5 image, ${png.length} bytes]`);
  assert.is(describeShowable(JPEG_HEADER), '[jpeg image, 6 bytes]');
});

DescribeShowable('anything else is rejected with what was expected', () => {
  assert.throws(() => describeShowable(Uint8Array.from([1, 2, 3])), /expected a plotly figure \{data, layout\}, an HTML string or PNG\/JPEG bytes, got a Uint8Array of length 3/);
  assert.throws(() => describeShowable(42 as never), /got number 42/);
  assert.throws(() => describeShowable(Promise.resolve(png) as never), /got a Promise; await it first/);
});

DescribeShowable.run();

const TslabDisplay = suite('tslabDisplay');

TslabDisplay('plain Node: undefined, even with tslab loaded in the process (its display is "Not ready" outside a kernel)', () => {
  assert.is(tslabDisplay(), undefined);
  const tslab = require('tslab');
  assert.throws(() => tslab.display.html('<b>x</b>'), /Not ready/);
  assert.is(tslabDisplay(), undefined);
});

TslabDisplay('inside a kernel (tslab\'s Jupyter connection live): tslab\'s own display, sending text/html and image/png', () => {
  const jupyter = require('tslab/dist/jupyter');
  const messages: { data: Record<string, string> }[] = [];
  jupyter.lastWriteDisplayData = (message: { data: Record<string, string> }) => { messages.push(message); };
  try {
    const sink = tslabDisplay();
    assert.ok(sink);
    sink!.html('<i>hi</i>');
    sink!.png(Uint8Array.from([1, 2]));
    assert.equal(messages.map((m) => m.data), [{ 'text/html': '<i>hi</i>' }, { 'image/png': 'AQI=' }]);
  } finally {
    jupyter.lastWriteDisplayData = null;
  }
  assert.is(tslabDisplay(), undefined);
});

TslabDisplay('the __tslab__ hook tslab installs for notebook code is preferred', () => {
  const fake = recorder();
  (globalThis as Record<string, unknown>).__tslab__ = { require: (id: string) => (id === 'tslab' ? { display: fake } : undefined) };
  try {
    assert.is(tslabDisplay(), fake);
  } finally {
    delete (globalThis as Record<string, unknown>).__tslab__;
  }
});

TslabDisplay.run();

const Show = suite('show');
Show.before.each(() => resetPlotlyLoader());
Show.after(() => resetPlotlyLoader());

Show('plain Node: prints the description through console.log and does not throw', () => {
  const printed: unknown[][] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => { printed.push(args); };
  try {
    show(figure);
    show(png);
    show('<b>done</b>');
  } finally {
    console.log = original;
  }
  assert.equal(printed, [[describeShowable(figure)], [describeShowable(png)], ['[html: 11 characters, text \'done\']']]);
  assert.is(plotlyLoaderEmitted(), false); // no HTML was made, so no loader was spent
});

Show('returns undefined (so a show() on a cell\'s last line adds no output)', () => {
  assert.is(show(figure, { print: () => undefined }), undefined);
});

Show('with a display: figure → figureHtml (loader first time only), HTML as is, PNG and JPEG by signature', () => {
  const sink = recorder();
  show(figure, { display: sink, id: 'fig-a' });
  show(figure, { display: sink, id: 'fig-b', height: 300 });
  show('<p>x</p>', { display: sink });
  show(png, { display: sink });
  show(JPEG_HEADER, { display: sink });
  assert.equal(sink.sent.map(([kind]) => kind), ['html', 'html', 'html', 'png', 'jpeg']);
  const [first, second] = sink.sent.map(([, value]) => value as string);
  assert.ok(first.includes('webpackUniversalModuleDefinition') && first.includes('<div id="fig-a"'));
  assert.not.ok(second.includes('webpackUniversalModuleDefinition'));
  assert.ok(second.includes('<div id="fig-b"') && second.includes('height:300px'));
  assert.is(sink.sent[2][1], '<p>x</p>');
  assert.is(sink.sent[3][1], png);
});

Show('a display that throws: the description is printed instead and the loader is kept for the next chart', () => {
  const lines: string[] = [];
  const broken: DisplaySink = { html: () => { throw new Error('Not ready'); }, png: () => undefined, jpeg: () => undefined };
  show(figure, { display: broken, print: (line) => lines.push(line) });
  assert.equal(lines, [`${describeShowable(figure)} (display failed: Not ready)`]);
  assert.is(plotlyLoaderEmitted(), false);
});

Show('invalid input and invalid options throw', () => {
  assert.throws(() => show(5 as never, { display: recorder() }), /expected a plotly figure/);
  assert.throws(() => show(figure, { display: recorder(), id: '9' }), /id must be a letter/);
});

Show.run();

const ShowTable = suite('showTable');

ShowTable('plain Node: aligned text; with a display: the HTML table', () => {
  const rows = [{ model: 'h', accuracy: 0.873 }, { model: 'pixels', accuracy: 0.8355 }];
  const lines: string[] = [];
  showTable(rows, undefined, { print: (line) => lines.push(line), decimals: 3 });
  assert.equal(lines, ['model   accuracy\n------  --------\nh          0.873\npixels     0.836']);
  const sink = recorder();
  showTable(rows, ['accuracy'], { display: sink });
  assert.is(sink.sent.length, 1);
  assert.match(sink.sent[0][1] as string, /^<table class="simclr-workbench-table">[\s\S]*<th style="text-align:right">accuracy<\/th>/);
  assert.not.match(sink.sent[0][1] as string, /model/);
});

ShowTable('invalid rows throw even with a display', () => {
  assert.throws(() => showTable([[1]], undefined, { display: recorder() }), /need the column names/);
});

ShowTable.run();
