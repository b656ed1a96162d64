import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import sharp from 'sharp';
import { lineChart } from '../../lib/display/figures';
import { plotlyLoaderEmitted, resetPlotlyLoader } from '../../lib/display/plotlyLoader';
import { DisplayContent, DisplayDataWriter } from '../../lib/display/kernel';
import { PLOTLY_MIME } from '../../lib/display/mime';
import { LIVE_FIGURE_MIN_INTERVAL_MS, showLive } from '../../lib/display/live';
import { describeShowable, show, showTable } from '../../lib/display/show';

/** A kernel display writer that records what it was sent. */
function recorder(): DisplayDataWriter & { sent: { content: DisplayContent; update: boolean }[] } {
  const sent: { content: DisplayContent; update: boolean }[] = [];
  const writer = ((content: DisplayContent, update: boolean) => { sent.push({ content, update }); }) as DisplayDataWriter & { sent: typeof sent };
  writer.sent = sent;
  return writer;
}
const PLOTLY_JS = /new DecompressionStream\("gzip"\)/; // the loader's mark
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

Show('in a kernel: a figure as plotly JSON + HTML fallback (plotly.js in the first only) + text; HTML, PNG, JPEG by signature', () => {
  const writer = recorder();
  show(figure, { writer, id: 'fig-a' });
  show(figure, { writer, id: 'fig-b', height: 300 });
  show('<p>x</p>', { writer });
  show(png, { writer });
  show(JPEG_HEADER, { writer });
  const data = writer.sent.map(({ content }) => content.data);
  assert.equal(data.map((bundle) => Object.keys(bundle).sort()), [
    [PLOTLY_MIME, 'text/html', 'text/plain'], [PLOTLY_MIME, 'text/html', 'text/plain'], ['text/html', 'text/plain'], ['image/png', 'text/plain'], ['image/jpeg', 'text/plain'],
  ]);
  assert.ok(writer.sent.every(({ update, content }) => !update && Object.keys(content.transient).length === 0));
  assert.equal(data[0][PLOTLY_MIME], { data: figure.data, layout: figure.layout, config: { responsive: true } });
  assert.is(data[0]['text/plain'], describeShowable(figure));
  const [first, second] = data.map((bundle) => bundle['text/html'] as string);
  assert.ok(PLOTLY_JS.test(first) && first.includes('<div id="fig-a"'));
  assert.not.ok(PLOTLY_JS.test(second));
  assert.ok(second.includes('<div id="fig-b"') && second.includes('height:300px'));
  assert.is(data[2]['text/html'], '<p>x</p>');
  assert.is(data[3]['image/png'], png.toString('base64'));
});

Show('a writer that throws: the description is printed instead and the loader is kept for the next chart', () => {
  const lines: string[] = [];
  const broken: DisplayDataWriter = () => { throw new Error('Not ready'); };
  show(figure, { writer: broken, print: (line) => lines.push(line) });
  assert.equal(lines, [`${describeShowable(figure)} (display failed: Not ready)`]);
  assert.is(plotlyLoaderEmitted(), false);
});

Show('invalid input and invalid options throw', () => {
  assert.throws(() => show(5 as never, { writer: recorder() }), /expected a plotly figure/);
  assert.throws(() => show(figure, { writer: recorder(), id: '9' }), /id must be a letter/);
});

Show.run();

const ShowTable = suite('showTable');

ShowTable('plain Node: aligned text; in a kernel: the HTML table with the text as text/plain', () => {
  const rows = [{ model: 'h', accuracy: 0.873 }, { model: 'pixels', accuracy: 0.8355 }];
  const lines: string[] = [];
  showTable(rows, undefined, { print: (line) => lines.push(line), decimals: 3 });
  assert.equal(lines, ['model   accuracy\n------  --------\nh          0.873\npixels     0.836']);
  const writer = recorder();
  showTable(rows, ['accuracy'], { writer });
  assert.is(writer.sent.length, 1);
  const bundle = writer.sent[0].content.data;
  assert.match(bundle['text/html'] as string, /^<table class="simclr-workbench-table">[\s\S]*<th style="text-align:right">accuracy<\/th>/);
  assert.not.match(bundle['text/html'] as string, /model/);
  assert.is(bundle['text/plain'], 'accuracy\n--------\n  0.8730\n  0.8355');
});

ShowTable('invalid rows throw even with a display', () => {
  assert.throws(() => showTable([[1]], undefined, { writer: recorder() }), /need the column names/);
});

ShowTable.run();

const Live = suite('showLive');
Live.before.each(() => resetPlotlyLoader());
Live.after(() => resetPlotlyLoader());

const curve = (n: number) => lineChart([{ name: 'loss', y: Array.from({ length: n }, (_, i) => 1 / (i + 1)) }]);

Live('one display_data with a display_id, then throttled update_display_data for it: SVG drawings, then the plotly chart on close', async () => {
  const writer = recorder();
  const live = showLive(curve(1), { writer, minIntervalMs: 100 });
  live.update(curve(2)); // inside the interval: deferred
  live.update(curve(3)); // merged with the deferred one
  assert.is(writer.sent.length, 1);
  await new Promise((resolve) => setTimeout(resolve, 400)); // the deferred one went out at ~100 ms
  assert.is(writer.sent.length, 2);
  live.update(curve(4)); // the interval has passed: sent at once
  live.update(curve(5)); // deferred again
  live.close(); // sends 5 as the plotly chart now, cancels the timer
  live.update(curve(6)); // ignored after close
  await new Promise((resolve) => setTimeout(resolve, 80));
  assert.equal(writer.sent.map(({ update }) => update), [false, true, true, true]);
  assert.ok(writer.sent.every(({ content }) => content.transient.display_id === live.displayId));
  const frames = writer.sent.slice(0, 3).map(({ content }) => content.data);
  assert.ok(frames.every((data) => Object.keys(data).sort().join() === 'image/svg+xml,text/plain'));
  const points = frames.map((data) => (String(data['image/svg+xml']).match(/[ML]\d/g) ?? []).length);
  assert.equal(points, [1, 3, 4], 'each drawing has one point per value so far');
  const final = writer.sent[3].content.data;
  assert.equal((final[PLOTLY_MIME] as { data: { y: unknown[] }[] }).data[0].y.length, 5);
  assert.type(final['text/html'], 'string');
  assert.is(live.updatesSent, 3);
  assert.is(LIVE_FIGURE_MIN_INTERVAL_MS, 500);
});

Live('plotly.js goes with the closed chart if no chart carried it yet (so an interrupted live chart never holds it)', () => {
  const writer = recorder();
  const live = showLive(curve(1), { writer, minIntervalMs: 0 });
  live.update(curve(2));
  assert.is(plotlyLoaderEmitted(), false);
  live.close();
  const html = writer.sent.map(({ content }) => String(content.data['text/html'] ?? ''));
  assert.equal(html.map((h) => PLOTLY_JS.test(h)), [false, false, true]);
  assert.is(plotlyLoaderEmitted(), true);
  const later = recorder();
  showLive(curve(1), { writer: later }).close();
  assert.ok(later.sent.every(({ content }) => !PLOTLY_JS.test(String(content.data['text/html'] ?? ''))));
});

Live('outside a kernel: nothing until close(), which prints the final description', () => {
  const lines: string[] = [];
  const live = showLive(curve(1), { print: (line) => lines.push(line) });
  live.update(curve(5));
  assert.equal(lines, []);
  live.close();
  assert.equal(lines, [describeShowable(curve(5))]);
  assert.throws(() => showLive(curve(1), { minIntervalMs: -1 }), /minIntervalMs/);
});

Live.run();
