/**
 * figureHtml in a real browser: Debian's headless Chromium loads a page built like an exported notebook — require.js
 * (an AMD loader) in the head, chart snippets in output order (the first carries plotly), and one chart whose script
 * runs before its div exists (the classic Notebook's order) — and reports what it drew. Skipped, with the reason
 * printed, where Chromium is missing.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lineChart, scatterByLabel } from '../../lib/display/figures';
import { confusionMatrixChart } from '../../lib/display/heatmaps';
import { figureHtml } from '../../lib/display/html';
import { resetPlotlyLoader } from '../../lib/display/plotlyLoader';
import { scriptBodies } from './fakeBrowser';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const REQUIRE_JS = '/usr/share/javascript/requirejs/require.js'; // Debian libjs-requirejs (comes with jupyter-notebook)
/** Flags that work headless as root on a machine without network (see shared/ENVIRONMENT.md). */
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--allow-file-access-from-files', '--virtual-time-budget=5000'];

/** The page: notebook-ordered outputs, then a report of what got drawn written onto <body> for --dump-dom. */
function notebookLikePage(): string {
  resetPlotlyLoader();
  const first = figureHtml(lineChart([{ name: 'loss', y: [3, 2, 1.5] }], { title: 'loss </script> curve' }), { id: 'chart-line' });
  const second = figureHtml(confusionMatrixChart([[5, 1], [2, 7]], ['cat', 'dog']), { id: 'chart-confusion' });
  const late = figureHtml(scatterByLabel([0, 0, 1, 1, 2, 0], [0, 1, 1]), { id: 'chart-late' });
  const lateScript = scriptBodies(late)[0];
  const amd = fs.existsSync(REQUIRE_JS)
    ? `<script src="file://${REQUIRE_JS}"></script>`
    : '<script>window.anonymousDefines = 0; window.define = function () { window.anonymousDefines++; }; window.define.amd = {};</script>';
  return `<!DOCTYPE html><html><head><meta charset="utf-8">${amd}</head><body>
${first}
${second}
<div id="late-host"></div>
<script>
(0, eval)(${JSON.stringify(lateScript).replace(/<\//g, '<\\/')}); // runs while its div does not exist yet
setTimeout(function () { document.getElementById('late-host').innerHTML = '<div id="chart-late" style="height:300px"></div>'; }, 300);
setTimeout(function () {
  var report = { plotly: window.Plotly ? window.Plotly.version : null, anonymousDefines: window.anonymousDefines || 0, charts: {} };
  ['chart-line', 'chart-confusion', 'chart-late'].forEach(function (id) {
    var element = document.getElementById(id);
    report.charts[id] = element ? { svgs: element.querySelectorAll('svg.main-svg').length, traces: element.querySelectorAll('.trace').length,
      title: (element.querySelector('.gtitle') || {}).textContent || '', cellTexts: element.querySelectorAll('.textpoint, .heatmaplayer text').length } : null;
  });
  function finish(amdState) { report.amd = amdState; document.body.setAttribute('data-report', JSON.stringify(report)); }
  finish('no answer from require.js');
  if (typeof require !== 'function') { finish('stub'); return; }
  try { require([], function () { finish('ok'); }, function (error) { finish('error: ' + error.requireType); }); }
  catch (error) { finish('error: ' + error.message); }
}, 4000); // plotly.js is unpacked asynchronously first; the virtual time budget is 5000 ms
</script>
</body></html>`;
}

const InBrowser = suite('figureHtml in headless Chromium');
const available = fs.existsSync(CHROMIUM);
if (!available) console.log(`  (skipping figureHtml in headless Chromium: ${CHROMIUM} not found; set CHROMIUM to a Chromium binary)`);

(available ? InBrowser : InBrowser.skip)('plotly loads beside require.js without an anonymous define; every chart draws, the late one too', () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'simclr-display-'));
  try {
    const page = path.join(directory, 'page.html');
    fs.writeFileSync(page, notebookLikePage());
    const profile = path.join(directory, 'profile');
    fs.mkdirSync(profile);
    const result = spawnSync(CHROMIUM, [...FLAGS, `--user-data-dir=${profile}`, '--dump-dom', `file://${page}`], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20 });
    assert.is(result.status, 0, `chromium exited with ${result.status} ${result.error ?? ''}: ${result.stderr?.slice(-500)}`);
    const match = /<body data-report="([^"]*)"/.exec(result.stdout);
    assert.ok(match, 'the page wrote its report (scripts ran)');
    const report = JSON.parse(match![1].replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
    assert.match(report.plotly, /^\d+\.\d+\.\d+$/);
    assert.is(report.amd, fs.existsSync(REQUIRE_JS) ? 'ok' : 'stub', 'require.js saw no mismatched anonymous define');
    assert.is(report.anonymousDefines, 0);
    for (const id of ['chart-line', 'chart-confusion', 'chart-late']) {
      assert.ok(report.charts[id], `${id} exists`);
      assert.ok(report.charts[id].svgs >= 1, `${id} has plotly's svg (${JSON.stringify(report.charts[id])})`);
    }
    assert.is(report.charts['chart-line'].title, 'loss </script> curve');
    assert.ok(report.charts['chart-late'].traces >= 2, 'both scatter classes drawn');
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
});

InBrowser.run();
