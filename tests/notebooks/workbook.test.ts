import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CHROMIUM, checkPages } from './browserCheck';

const ROOT = path.resolve(__dirname, '../..');
const Workbook = suite('the workbook, executed top to bottom (CPU scale)');

Workbook('every notebook runs through nbconvert on tslab, prints its run time, and its HTML export draws every chart without script errors', async () => {
  if (process.env.SIMCLR_SKIP_WORKBOOK === '1') {
    console.log('  (skipped: SIMCLR_SKIP_WORKBOOK=1)');
    return;
  }
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'simclr-workbook-'));
  // The shared SimCLR run comes from out/cache (trainCached) when an earlier test or run trained it: in CI the JupyterLab
  // test runs first and trains it, so this timing covers everything but that one training (~3.5 min on an idle machine).
  const started = Date.now();
  const run = spawnSync('bash', ['notebooks/run-all.sh'], { cwd: ROOT, env: { ...process.env, SIMCLR_WORKBOOK_OUT: out, SIMCLR_SCALE: 'cpu' }, encoding: 'utf8', timeout: 40 * 60_000 });
  const minutes = (Date.now() - started) / 60_000;
  console.log(`  workbook: ${minutes.toFixed(1)} min\n${run.stdout.split('\n').filter((l) => /^[✓✗▶]|workbook done/.test(l)).map((l) => `    ${l}`).join('\n')}`);
  assert.is(run.status, 0, `run-all.sh failed:\n${run.stdout.slice(-4000)}\n${run.stderr.slice(-4000)}`);
  assert.ok(minutes < 20, `the workbook must run in under 20 minutes on this machine; took ${minutes.toFixed(1)}`);

  const executed = fs.readdirSync(out).filter((f) => f.endsWith('.ipynb')).sort();
  const committed = fs.readdirSync(path.join(ROOT, 'notebooks')).filter((f) => /^\d+_.*\.ipynb$/.test(f)).sort();
  assert.equal(executed, committed, 'every committed notebook was executed');
  for (const file of executed) {
    const nb = JSON.parse(fs.readFileSync(path.join(out, file), 'utf8'));
    const outputs = nb.cells.flatMap((c: any) => c.outputs ?? []);
    assert.not.ok(outputs.some((o: any) => o.output_type === 'error'), `${file} has an error output`);
    const text = outputs.map((o: any) => [o.text, o.data?.['text/plain']].flat().filter(Boolean).join('')).join('\n');
    assert.match(text, /run time|ran in|took/i, `${file} prints its run time`);
    const bytes = fs.statSync(path.join(out, file)).size;
    // nbformat stores a multi-line string as a list of lines: join it back before reading it.
    const html = (o: any): string | undefined => (o.data?.['text/html'] === undefined ? undefined : [o.data['text/html']].flat().join(''));
    const charts = outputs.filter((o: any) => o.data?.['application/vnd.plotly.v1+json']);
    const loaders = outputs.filter((o: any) => (html(o) ?? '').includes('new DecompressionStream("gzip")'));
    console.log(`    ${file}: ${(bytes / 1e6).toFixed(2)} MB, ${charts.length} charts`);
    assert.ok(bytes < 3 * 1024 * 1024, `${file} weighs ${bytes} bytes; the limit is 3 MB`);
    assert.ok(charts.every((o: any) => (html(o) ?? '').includes('<div')), `${file}: every chart has its HTML fallback`);
    assert.is(loaders.length, charts.length > 0 ? 1 : 0, `${file}: plotly.js is included once`);
  }
  if (!fs.existsSync(CHROMIUM)) {
    console.log(`  (browser check skipped: no Chromium at ${CHROMIUM})`);
    return;
  }
  const pages = await checkPages(executed.map((f) => path.join(out, f.replace(/\.ipynb$/, '.html'))));
  for (const page of pages) {
    console.log(`    ${path.basename(page.file)}: ${page.renderedCharts}/${page.chartDivs} charts drawn, ${page.errors.length} script errors`);
    assert.is(page.renderedCharts, page.chartDivs, `${page.file}: every chart draws`);
    assert.equal(page.errors, [], `${page.file}: no script errors`);
  }
  assert.ok(pages.some((p) => p.chartDivs > 0), 'the workbook draws at least one chart');
});

Workbook.run();
