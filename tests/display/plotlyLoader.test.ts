import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import { fakeBrowser, scriptBodies } from './fakeBrowser';
import {
  PLOTLY_BUNDLES, escapeInlineScript, plotlyLoaderEmitted, plotlyLoaderHtml, plotlyLoaderScript, plotlySource, resetPlotlyLoader,
} from '../../lib/display/plotlyLoader';

/** plotly's real UMD header (everything up to its factory) with a tiny factory: the branch logic without 10 MB. */
function standInBundle(): string {
  const { source } = plotlySource();
  const headerEnd = source.indexOf('function() {', source.indexOf('})(self,')) + 'function() {'.length;
  return `${source.slice(0, headerEnd)}\nreturn { version: "stand-in", newPlot: function () {} };\n});`;
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

const EscapeInlineScript = suite('escapeInlineScript');

EscapeInlineScript('rewrites </script (any case) and <!-- and nothing else', () => {
  const cases: [string, string][] = [
    ['var a = "</script>";', 'var a = "<\\/script>";'],
    ['x = "</SCRIPT >"', 'x = "<\\/SCRIPT >"'],
    ["s = '<!-- comment'", "s = '<\\!-- comment'"],
    ['if (a < b && c </d/.test(e)) {}', 'if (a < b && c </d/.test(e)) {}'],
    ['plain', 'plain'],
  ];
  for (const [input, expected] of cases) assert.is(escapeInlineScript(input), expected, input);
});

EscapeInlineScript('escaped strings evaluate to the same values', () => {
  const source = 'result = ["</script>", "<!--", `</script${1}>`, /<\\/script>/.test("</script>")];';
  const browser = fakeBrowser();
  browser.run(escapeInlineScript(source));
  assert.equal(Array.from(browser.window.result), ['</script>', '<!--', '</script1>', true]); // Array.from: the vm's arrays have another prototype
});

EscapeInlineScript('plotly\'s bundle is unchanged by it (it holds neither sequence)', () => {
  const { source } = plotlySource();
  assert.ok(escapeInlineScript(source) === source);
});

EscapeInlineScript.run();

const LoaderScript = suite('plotlyLoaderScript');

LoaderScript('one <script> element; the real plotly bundle inside it exactly once and nothing can close it early', () => {
  const html = plotlyLoaderScript();
  const bodies = scriptBodies(html);
  assert.is(bodies.length, 1);
  assert.is(html.match(/<\/script/gi)!.length, 1);
  assert.is(html.split('webpackUniversalModuleDefinition').length - 1, 1);
});

LoaderScript('on a page with AMD define: the real plotly lands on window.Plotly and define is never called', () => {
  const browser = fakeBrowser({ amd: true });
  browser.run(scriptBodies(plotlyLoaderScript())[0]);
  assert.type(browser.window.Plotly, 'object');
  assert.type(browser.window.Plotly.newPlot, 'function');
  assert.is(browser.window.Plotly.version, plotlySource().version);
  assert.is(browser.defineCalls.length, 0);
  assert.type(browser.window.define, 'function'); // the page's loader is left in place
  assert.ok(browser.window.define.amd);
});

LoaderScript('control: the same header run bare on that page registers with define and leaves window.Plotly unset', () => {
  const browser = fakeBrowser({ amd: true });
  browser.run(standInBundle());
  assert.is(browser.defineCalls.length, 1);
  assert.equal(Array.from(browser.defineCalls[0][0] as unknown[]), []); // no name, no dependencies: an anonymous module, what require.js rejects
  assert.is(browser.window.Plotly, undefined);
  const wrapped = fakeBrowser({ amd: true });
  wrapped.run(scriptBodies(plotlyLoaderScript(standInBundle()))[0]);
  assert.is(wrapped.window.Plotly.version, 'stand-in');
  assert.is(wrapped.defineCalls.length, 0);
});

LoaderScript('without an AMD loader plotly also lands on window; a second loader on the page does not re-run the bundle', () => {
  const browser = fakeBrowser();
  browser.run(scriptBodies(plotlyLoaderScript(standInBundle()))[0]);
  const first = browser.window.Plotly;
  assert.is(first.version, 'stand-in');
  browser.run(scriptBodies(plotlyLoaderScript('throw new Error("bundle ran twice");'))[0]);
  assert.is(browser.window.Plotly, first);
});

LoaderScript('rejects an empty source', () => {
  assert.throws(() => plotlyLoaderScript(''), /source must be non-empty JavaScript text/);
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
