import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fakeBrowser, scriptBodies } from './fakeBrowser';
import { PlotlyFigure } from '../../lib/display/figureBase';
import { lineChart } from '../../lib/display/figures';
import { DEFAULT_FIGURE_HEIGHT, FIGURE_WAIT_MS, figureHtml, scriptSafeJson, standaloneHtml } from '../../lib/display/html';
import { plotlyLoaderEmitted, plotlyLoaderHtml, resetPlotlyLoader } from '../../lib/display/plotlyLoader';

const HOSTILE = '</script><script>alert(1)</script> <!-- & \u2028 \u2029 "quotes" \'single\'';
const figure = (): PlotlyFigure => lineChart([{ name: HOSTILE, y: [3, 2, 1] }], { title: HOSTILE });
/** A marker that occurs once in plotly's bundle (its UMD header). */
const BUNDLE_MARKER = 'new DecompressionStream("gzip")'; // the plotly loader's mark
const count = (text: string, part: string) => text.split(part).length - 1;
const plain = (value: unknown) => JSON.parse(JSON.stringify(value)); // strips the vm realm's prototypes

/** Run a chart snippet's last script in a fake page; Plotly.newPlot records its arguments. */
function runChart(html: string, options: { attached: boolean; plotly: boolean }) {
  const browser = fakeBrowser({ amd: true });
  const calls: unknown[][] = [];
  if (options.plotly) browser.window.Plotly = { newPlot: (...args: unknown[]) => { calls.push(args); return Promise.resolve(); } };
  const id = /<div id="([^"]+)"/.exec(html)![1];
  const element: Record<string, unknown> = { id };
  if (options.attached) browser.elements.set(id, element);
  const bodies = scriptBodies(html);
  browser.run(bodies[bodies.length - 1]);
  return { browser, calls, element, id };
}

const ScriptSafeJson = suite('scriptSafeJson');

ScriptSafeJson('no <, >, & or line separators survive; evaluating the text gives the value back', () => {
  const value = { title: HOSTILE, list: [1, 'a</b>'] };
  const text = scriptSafeJson(value);
  assert.not.match(text, /[<>&\u2028\u2029]/);
  const browser = fakeBrowser();
  browser.run(`result = ${text};`);
  assert.equal(plain(browser.window.result), value);
  assert.equal(JSON.parse(text), value);
});

ScriptSafeJson('rejects values JSON cannot hold', () => {
  assert.throws(() => scriptSafeJson(undefined), /not JSON-serialisable/);
});

ScriptSafeJson.run();

const FigureHtml = suite('figureHtml');
FigureHtml.before.each(() => resetPlotlyLoader());
FigureHtml.after(() => resetPlotlyLoader());

FigureHtml('a div with a fresh id per call, sized by height, and the Plotly.newPlot call', () => {
  const first = figureHtml(figure(), { includePlotly: 'never' });
  const second = figureHtml(figure(), { includePlotly: 'never' });
  const ids = [first, second].map((html) => /<div id="([^"]+)" class="simclr-workbench-figure" style="width:100%;height:(\d+)px;"><p class="simclr-workbench-untrusted"[^>]*>[^<]*Trust Notebook[^<]*<\/p><\/div>/.exec(html));
  assert.ok(ids[0] && ids[1]);
  assert.is.not(ids[0]![1], ids[1]![1]);
  assert.is(Number(ids[0]![2]), DEFAULT_FIGURE_HEIGHT);
  assert.ok(first.includes('window.Plotly.newPlot(element, figure.data, figure.layout, {responsive: true})'));
  assert.ok(first.includes(`var id = "${ids[0]![1]}";`));
  assert.match(figureHtml(figure(), { id: 'loss-curve', includePlotly: 'never' }), /<div id="loss-curve"/);
});

FigureHtml('height: the option, else the layout\'s height, else the default', () => {
  const withLayoutHeight = lineChart([{ name: 'a', y: [1] }], { height: 320 });
  const height = (html: string) => Number(/height:(\d+)px/.exec(html)![1]);
  assert.is(height(figureHtml(withLayoutHeight, { includePlotly: 'never' })), 320);
  assert.is(height(figureHtml(withLayoutHeight, { height: 200, includePlotly: 'never' })), 200);
});

FigureHtml('the figure JSON is embedded so that </script> in a title cannot end the element, and evaluates to the figure', () => {
  const html = figureHtml(figure(), { includePlotly: 'never' });
  assert.is(count(html.toLowerCase(), '</script'), 1); // only the element's own end tag
  assert.not.ok(html.includes('alert(1)</script>'));
  const { calls } = runChart(html, { attached: true, plotly: true });
  assert.is(calls.length, 1);
  assert.equal(plain(calls[0][1]), plain(figure().data));
  assert.equal(plain(calls[0][2]), plain(figure().layout));
  assert.equal(plain(calls[0][3]), { responsive: true });
  assert.is((calls[0][2] as { title: { text: string } }).title.text, HOSTILE);
});

FigureHtml('draws into the div found by id, clearing the note shown where scripts do not run (untrusted classic Notebook)', () => {
  const { calls, element } = runChart(figureHtml(figure(), { includePlotly: 'never' }), { attached: true, plotly: true });
  assert.is(calls[0][0], element);
  assert.is(element.textContent, '');
});

FigureHtml('script run before its div is attached (classic Notebook) retries and draws once the div exists', () => {
  const { browser, calls, element, id } = runChart(figureHtml(figure(), { includePlotly: 'never' }), { attached: false, plotly: true });
  assert.is(calls.length, 0);
  browser.flushTimers(3);
  assert.is(calls.length, 0);
  browser.elements.set(id, element);
  browser.flushTimers();
  assert.is(calls.length, 1);
  assert.is(calls[0][0], element);
  assert.is(browser.timers.length, 0); // stops polling after drawing
});

FigureHtml('without plotly on the page it gives up after FIGURE_WAIT_MS and says what to do in the div', () => {
  const { browser, element } = runChart(figureHtml(figure(), { includePlotly: 'never' }), { attached: true, plotly: false });
  browser.flushTimers(Math.ceil(FIGURE_WAIT_MS / 50) - 1);
  assert.is(element.textContent, undefined); // still waiting
  browser.flushTimers();
  assert.match(element.textContent as string, /plotly\.js is not loaded on this page.*resetPlotlyLoader\(\)/);
  assert.is(browser.timers.length, 0);
});

FigureHtml('includes the plotly source exactly once across several calls, again after resetPlotlyLoader', () => {
  const snippets = [figureHtml(figure()), figureHtml(figure()), figureHtml(figure())];
  assert.equal(snippets.map((html) => count(html, BUNDLE_MARKER)), [1, 0, 0]);
  assert.ok(snippets[0].indexOf(BUNDLE_MARKER) < snippets[0].indexOf('<div id='), 'loader before the chart');
  assert.is(plotlyLoaderEmitted(), true);
  resetPlotlyLoader();
  assert.equal([figureHtml(figure()), figureHtml(figure())].map((html) => count(html, BUNDLE_MARKER)), [1, 0]);
});

FigureHtml('an explicit plotlyLoaderHtml() counts as the loader; always / never override the bookkeeping', () => {
  plotlyLoaderHtml();
  assert.is(count(figureHtml(figure()), BUNDLE_MARKER), 0);
  assert.is(count(figureHtml(figure(), { includePlotly: 'always' }), BUNDLE_MARKER), 1);
  resetPlotlyLoader();
  assert.is(count(figureHtml(figure(), { includePlotly: 'never' }), BUNDLE_MARKER), 0);
  assert.is(plotlyLoaderEmitted(), false); // 'never' did not emit it
});

FigureHtml('the first snippet of a session, run whole on an AMD page with a stand-in Plotly.newPlot: no define call, one draw', async () => {
  const html = figureHtml(figure());
  const browser = fakeBrowser({ amd: true });
  Object.assign(browser.window, { atob, Blob, Response, DecompressionStream }); // what the loader unpacks with
  const id = /<div id="([^"]+)"/.exec(html)![1];
  browser.elements.set(id, { id });
  const [loader, chart] = scriptBodies(html);
  browser.run(loader);
  await browser.window.simclrPlotlyLoading;
  assert.is(browser.defineCalls.length, 0);
  const calls: unknown[] = [];
  browser.window.Plotly.newPlot = (...args: unknown[]) => { calls.push(args); }; // the fake DOM cannot lay out a real chart
  browser.run(chart);
  assert.is(calls.length, 1);
});

FigureHtml('validation: figure shape, id, height, includePlotly', () => {
  assert.throws(() => figureHtml({ data: 'x' } as never), /figure must be \{data: trace\[\], layout: object\}/);
  assert.throws(() => figureHtml(figure(), { id: '1abc' }), /id must be a letter followed by/);
  assert.throws(() => figureHtml(figure(), { id: 'a"b' }), /id must be/);
  assert.throws(() => figureHtml(figure(), { height: 0 }), /height must be a positive number/);
  assert.throws(() => figureHtml(figure(), { includePlotly: 'sometimes' as never }), /includePlotly must be/);
});

FigureHtml.run();

const StandaloneHtml = suite('standaloneHtml');
StandaloneHtml.after(() => resetPlotlyLoader());

StandaloneHtml('a full page: escaped title, plotly once before every figure, notebook bookkeeping untouched', () => {
  resetPlotlyLoader();
  const page = standaloneHtml([figure(), figure()], { title: 'Run <1>' });
  assert.match(page, /^<!DOCTYPE html>\n<html lang="en">/);
  assert.match(page, /<title>Run &lt;1&gt;<\/title>/);
  assert.is(count(page, BUNDLE_MARKER), 1);
  assert.is(count(page, 'class="simclr-workbench-figure"'), 2);
  assert.ok(page.indexOf(BUNDLE_MARKER) < page.indexOf('class="simclr-workbench-figure"'));
  assert.is(plotlyLoaderEmitted(), false);
  plotlyLoaderHtml();
  assert.is(count(standaloneHtml(figure()), BUNDLE_MARKER), 1); // independent of the notebook state
  assert.throws(() => standaloneHtml([]), /needs at least one figure/);
});

StandaloneHtml.run();
