/**
 * Open an exported notebook (nbconvert HTML) in headless Debian Chromium through playwright-core and report
 * how many plotly charts rendered (an `svg.main-svg` inside each chart div) and what the page logged as errors.
 * Not a test file: tests/notebooks/workbook.test.ts uses it; `node -r tsx/cjs tests/notebooks/browserCheck.ts a.html`
 * runs it by hand.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags that work as root on a closed network (ENVIRONMENT.md). */
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface PageCheck {
  file: string;
  /** Divs that a chart was drawn into (figureHtml's containers). */
  chartDivs: number;
  /** Of those, how many hold plotly's SVG. */
  renderedCharts: number;
  /** Console errors and uncaught page errors. */
  errors: string[];
}

/** Load each HTML file, wait for charts to draw (up to timeoutMs), and collect the counts and errors. */
export async function checkPages(files: string[], timeoutMs = 20_000): Promise<PageCheck[]> {
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'simclr-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: FLAGS });
  const results: PageCheck[] = [];
  try {
    for (const file of files) {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`file://${path.resolve(file)}`, { waitUntil: 'load' });
      const count = () => page.evaluate(() => {
        const divs = Array.from(document.querySelectorAll('div.simclr-workbench-figure'));
        return { chartDivs: divs.length, renderedCharts: divs.filter((d) => d.querySelector('svg.main-svg')).length };
      });
      const deadline = Date.now() + timeoutMs;
      let counts = await count();
      while (Date.now() < deadline && (counts.chartDivs === 0 || counts.renderedCharts < counts.chartDivs)) {
        await page.waitForTimeout(250);
        counts = await count();
      }
      results.push({ file, ...counts, errors: errors.filter((e) => !/favicon|ERR_FILE_NOT_FOUND|net::ERR_/.test(e)) });
      await page.close();
    }
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  return results;
}

if (require.main === module) {
  checkPages(process.argv.slice(2)).then((r) => console.log(JSON.stringify(r, null, 2)));
}
