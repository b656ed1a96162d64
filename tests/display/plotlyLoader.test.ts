import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as zlib from 'zlib';
import { FakeBrowser, fakeBrowser, scriptBodies } from './fakeBrowser';
import {
  PLOTLY_BUNDLES, PLOTLY_LOADING_GLOBAL, packScript, packedPlotly, plotlyLoaderEmitted, plotlyLoaderHtml, plotlyLoaderScript, plotlySource,
  resetPlotlyLoader,
} from '../../lib/display/plotlyLoader';

/** plotly's real UMD header (everything up to its factory) with a tiny factory: the branch logic without 10 MB. */
function standInBundle(): string {
  const { source } = plotlySource();
  const headerEnd = source.indexOf('function() {', source.indexOf('})(self,')) + 'function() {'.length;
  return `${source.slice(0, headerEnd)}\nreturn { version: "stand-in", newPlot: function () {} };\n});`;
}

/** Gives the fake page what the loader uses to unpack (Node's own atob, Blob, Response, DecompressionStream). */
function withUnpacking(browser: FakeBrowser): FakeBrowser {
  Object.assign(browser.window, { atob, Blob, Response, DecompressionStream });
  return browser;
}

/** Runs a loader on the page and waits for its promise (resolves to window.Plotly, or rejects). */
async function load(browser: FakeBrowser, html: string): Promise<unknown> {
  browser.run(scriptBodies(html)[0]);
  return browser.window[PLOTLY_LOADING_GLOBAL];
}

const PlotlySource = suite('plotlySource');

PlotlySource('reads the installed plotly.js-dist bundle once, with its version', () => {
  const first = plotlySource();
  assert.ok(PLOTLY_BUNDLES.some((bundle) => first.path.endsWith(bundle)), first.path);
  assert.match(first.version, /^\d+\.\d+\.\d+$/);
  assert.is(Buffer.byteLength(first.source, 'utf8'), fs.statSync(first.path).size); // the whole file, read as UTF-8
  assert.match(first.source.slice(0, 1000), /webpackUniversalModuleDefinition/);
  assert.is(plotlySource().source, first.source); // cached
});

PlotlySource.run();

const Packed = suite('packedPlotly');

Packed('plotly.js minified by esbuild, gzip + base64: under 2.5 MB, and unpacks to the minified bundle (cached per process)', () => {
  const packed = packedPlotly();
  assert.is(packed.version, plotlySource().version);
  assert.ok(packed.minified, 'esbuild is installed here, so plotly is minified');
  assert.ok(packed.sourceBytes < plotlySource().source.length * 0.6, `minified: ${packed.sourceBytes} bytes`);
  assert.ok(packed.gzipBase64.length < 2.5e6, `packed: ${packed.gzipBase64.length} characters`);
  const unpacked = zlib.gunzipSync(Buffer.from(packed.gzipBase64, 'base64')).toString('utf8');
  assert.is(Buffer.byteLength(unpacked), packed.sourceBytes);
  assert.match(unpacked, /newPlot/);
  assert.is(packedPlotly(), packed);
});

Packed.run();

const LoaderScript = suite('plotlyLoaderScript');

LoaderScript('one <script> element, base64 only (nothing can close it early), plotly.js once', () => {
  const html = plotlyLoaderScript();
  assert.is(scriptBodies(html).length, 1);
  assert.is(html.match(/<\/script/gi)!.length, 1);
  assert.is(html.split(packedPlotly().gzipBase64).length - 1, 1);
  assert.ok(html.length < 2.6e6, `${html.length} characters`);
});

LoaderScript('on a page with AMD define: the real plotly lands on window.Plotly and define is never called', async () => {
  const browser = withUnpacking(fakeBrowser({ amd: true }));
  const plotly = await load(browser, plotlyLoaderScript());
  assert.is(plotly, browser.window.Plotly);
  assert.type(browser.window.Plotly.newPlot, 'function');
  assert.is(browser.window.Plotly.version, plotlySource().version);
  assert.is(browser.defineCalls.length, 0);
  assert.type(browser.window.define, 'function'); // the page's loader is left in place
  assert.ok(browser.window.define.amd);
});

LoaderScript('control: the same header run bare on that page registers with define and leaves window.Plotly unset', async () => {
  const browser = fakeBrowser({ amd: true });
  browser.run(standInBundle());
  assert.is(browser.defineCalls.length, 1);
  assert.equal(Array.from(browser.defineCalls[0][0] as unknown[]), []); // an anonymous module, what require.js rejects
  assert.is(browser.window.Plotly, undefined);
  const wrapped = withUnpacking(fakeBrowser({ amd: true }));
  await load(wrapped, plotlyLoaderScript(standInBundle()));
  assert.is(wrapped.window.Plotly.version, 'stand-in');
  assert.is(wrapped.defineCalls.length, 0);
});

LoaderScript('a second loader on the page does not run its bundle; a page without DecompressionStream gets a rejected promise', async () => {
  const browser = withUnpacking(fakeBrowser());
  await load(browser, plotlyLoaderScript(standInBundle()));
  const first = browser.window.Plotly;
  browser.run(scriptBodies(plotlyLoaderScript('throw new Error("bundle ran twice");'))[0]);
  assert.is(browser.window.Plotly, first);
  const old = fakeBrowser();
  const errors: unknown[] = [];
  old.window.console = { error: (message: unknown) => errors.push(message) };
  let rejection: unknown;
  try { await load(old, plotlyLoaderScript(standInBundle())); } catch (error) { rejection = error; }
  assert.match(String(rejection), /no DecompressionStream/);
  assert.equal(errors.length, 1);
});

LoaderScript('rejects an empty source; packScript is gzip + base64', () => {
  assert.throws(() => plotlyLoaderScript(''), /source must be non-empty JavaScript text/);
  assert.is(zlib.gunzipSync(Buffer.from(packScript('var a = 1;'), 'base64')).toString(), 'var a = 1;');
});

LoaderScript.run();

const LoaderHtml = suite('plotlyLoaderHtml');

LoaderHtml('returns the loader and records it until resetPlotlyLoader', () => {
  resetPlotlyLoader();
  assert.is(plotlyLoaderEmitted(), false);
  const html = plotlyLoaderHtml();
  assert.is(html, plotlyLoaderScript());
  assert.is(plotlyLoaderEmitted(), true);
  resetPlotlyLoader();
  assert.is(plotlyLoaderEmitted(), false);
});

LoaderHtml.run();
