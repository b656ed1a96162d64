/**
 * A real JupyterLab for tests: the project venv's JupyterLab (.ci/setup-jupyterlab.sh) served on loopback with no
 * token, driven in Debian's headless Chromium through playwright-core. Cells are not virtualised (windowingMode
 * "none" in a test-only settings folder), so every output is in the page. `window.jupyterapp` is exposed to read
 * the notebook model (execution counts, output types, trust); actions go through the UI (menus, toolbar, dialogs).
 * Not a test file: tests/jupyterlab/workbook.test.ts uses it.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';

export const REPO = path.resolve(__dirname, '../..');
export const VENV_PYTHON = path.join(REPO, '.venv', 'bin', 'python');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Flags that work as root on a closed network (shared ENVIRONMENT.md, "A real browser"). */
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];
const PLOTLY_MIME = 'application/vnd.plotly.v1+json';
/** An output drawn by jupyterlab-plotly's renderer (it sets no data-mime-type attribute). */
const PLOTLY_OUTPUT = '.jp-OutputArea-output.jp-RenderedPlotly';

/** Why JupyterLab cannot be tested here, or null. */
export function missingJupyterLab(): string | null {
  if (!fs.existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (Debian package chromium)`;
  if (!fs.existsSync(VENV_PYTHON)) return 'no .venv (run .ci/setup-jupyterlab.sh)';
  const probe = spawnSync(VENV_PYTHON, ['-c', 'import jupyterlab, plotly'], { encoding: 'utf8' });
  if (probe.status !== 0) return `.venv lacks jupyterlab / plotly (run .ci/setup-jupyterlab.sh): ${probe.stderr.trim().split('\n').pop()}`;
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined | null | false>, everyMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${last ? ` (last error: ${last})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** What the notebook model says about its cells (read in the page). */
export interface NotebookState {
  path: string;
  kernelStatus: string;
  codeCells: number;
  executed: number;
  running: number;
  errors: { cell: number; ename: string; evalue: string }[];
  plotlyOutputs: number;
  /** Code cells with outputs whose model is trusted. */
  trustedCells: number;
  outputsOf: (string[])[];
  textOf: string[];
}

export class JupyterLab {
  private constructor(
    readonly root: string,
    readonly url: string,
    private readonly server: ChildProcess,
    private readonly browser: Browser,
    readonly page: Page,
    readonly log: () => string,
  ) {}

  /** Serves `root` (a folder inside the checkout, so notebooks resolve 'simclr-workbench') and opens Chromium. */
  static async start(root: string, settingsDir: string): Promise<JupyterLab> {
    const trackerSettings = path.join(settingsDir, '@jupyterlab', 'notebook-extension', 'tracker.jupyterlab-settings');
    fs.mkdirSync(path.dirname(trackerSettings), { recursive: true });
    fs.writeFileSync(trackerSettings, JSON.stringify({ windowingMode: 'none' })); // every cell in the DOM
    const notification = path.join(settingsDir, '@jupyterlab', 'apputils-extension', 'notification.jupyterlab-settings');
    fs.mkdirSync(path.dirname(notification), { recursive: true });
    fs.writeFileSync(notification, JSON.stringify({ fetchNews: 'false', checkForUpdates: false })); // no network, no toast
    const port = await freePort();
    const runtime = fs.mkdtempSync(path.join(os.tmpdir(), 'simclr-lab-runtime-'));
    const env = {
      ...process.env,
      PATH: `${path.join(REPO, 'node_modules', '.bin')}:${path.dirname(process.execPath)}:${process.env.PATH}`, // the kernel is `#!/usr/bin/env node`
      JUPYTER_RUNTIME_DIR: runtime,
      JUPYTER_DATA_DIR: path.join(runtime, 'data'), // a fresh notary: notebooks saved here are trusted only here
      PYDEVD_DISABLE_FILE_VALIDATION: '1',
    };
    delete (env as Record<string, string | undefined>).JUPYTER_PATH; // the kernel as registered in .venv, nothing else
    const args = ['-m', 'jupyterlab', '--allow-root', '--no-browser', '--ip=127.0.0.1', `--port=${port}`, '--ServerApp.port_retries=0',
      "--IdentityProvider.token=", '--ServerApp.password=', `--ServerApp.root_dir=${root}`, `--LabApp.user_settings_dir=${settingsDir}`,
      `--LabApp.workspaces_dir=${path.join(runtime, 'workspaces')}`, '--LabApp.expose_app_in_browser=True', '--LabApp.news_url=',
      '--ServerApp.disable_check_xsrf=True'];
    const server = spawn(VENV_PYTHON, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    process.once('exit', () => server.kill('SIGKILL')); // never leave a server behind, even when a test throws
    let log = '';
    server.stdout!.on('data', (chunk) => (log += chunk));
    server.stderr!.on('data', (chunk) => (log += chunk));
    const url = `http://127.0.0.1:${port}`;
    await waitFor('JupyterLab to answer', 120_000, async () => {
      if (server.exitCode !== null) throw new Error(`jupyter lab exited (${server.exitCode}):\n${log.slice(-3000)}`);
      const response = await fetch(`${url}/api/status`).catch(() => null);
      return response?.ok;
    });
    const { chromium } = require('playwright-core') as typeof import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    // tsx (esbuild, keepNames) compiles the functions passed to page.evaluate with calls to its __name helper,
    // which the page does not have: an identity stand-in
    await page.addInitScript({ content: 'globalThis.__name = globalThis.__name || function (fn) { return fn; };' });
    return new JupyterLab(root, url, server, browser, page, () => log);
  }

  async stop(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    this.server.kill('SIGTERM');
    await new Promise((resolve) => {
      const timer = setTimeout(() => { this.server.kill('SIGKILL'); resolve(undefined); }, 15_000);
      this.server.once('exit', () => { clearTimeout(timer); resolve(undefined); });
    });
  }

  /** Opens a notebook (path relative to the served root) alone in a fresh workspace and waits for its kernel. */
  async open(notebook: string): Promise<void> {
    if (process.env.SIMCLR_LAB_VERBOSE) console.log(`    opening ${notebook}`);
    await this.page.goto(`${this.url}/lab/tree/${notebook}?reset`, { waitUntil: 'domcontentloaded' });
    await waitFor(`${notebook} to open with an idle kernel`, 180_000, () => this.page.evaluate((expected) => {
      const app = (window as any).jupyterapp;
      const panel = app?.shell?.currentWidget;
      if (!panel?.context?.isReady || panel.context.path !== expected) return false;
      const kernel = panel.sessionContext?.session?.kernel;
      return kernel?.status === 'idle' && kernel?.connectionStatus === 'connected';
    }, notebook), 1000);
  }

  /** The open notebook's state, from its model. */
  state(): Promise<NotebookState> {
    return this.page.evaluate((plotlyMime) => {
      const panel = (window as any).jupyterapp.shell.currentWidget;
      const cells: any[] = [];
      const list = panel.content.model.cells;
      for (let i = 0; i < list.length; i++) cells.push(list.get(i));
      const code = cells.filter((cell) => cell.type === 'code');
      const outputs = (cell: any) => Array.from({ length: cell.outputs.length }, (_, i) => cell.outputs.get(i));
      const errors: { cell: number; ename: string; evalue: string }[] = [];
      code.forEach((cell, index) => outputs(cell).forEach((output: any) => {
        if (output.type === 'error') {
          const json = output.toJSON();
          errors.push({ cell: index, ename: json.ename, evalue: json.evalue });
        }
      }));
      const prompts = Array.from(document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')).map((p) => p.textContent ?? '');
      return {
        path: panel.context.path,
        kernelStatus: panel.sessionContext?.session?.kernel?.status ?? 'none',
        codeCells: code.length,
        executed: code.filter((cell) => cell.executionCount != null).length,
        running: prompts.filter((p) => p.includes('*')).length,
        errors,
        plotlyOutputs: code.reduce((n, cell) => n + outputs(cell).filter((o: any) => plotlyMime in (o.data ?? {})).length, 0),
        trustedCells: code.filter((cell) => cell.outputs.length > 0 && cell.trusted).length,
        outputsOf: code.map((cell) => outputs(cell).map((o: any) => o.type as string)),
        textOf: code.map((cell) => outputs(cell).map((o: any) => {
          const json = o.toJSON();
          return [json.text, json.data?.['text/plain'], json.evalue].flat().filter(Boolean).join('');
        }).join('\n')),
      };
    }, PLOTLY_MIME);
  }

  /** Outputs rendered by jupyterlab-plotly, and how many of them hold plotly's SVG (drawn). */
  drawnCharts(): Promise<{ outputs: number; drawn: number }> {
    return this.page.evaluate((selector) => {
      const outputs = Array.from(document.querySelectorAll(selector));
      return { outputs: outputs.length, drawn: outputs.filter((o) => o.querySelector('svg.main-svg')).length };
    }, PLOTLY_OUTPUT);
  }

  /**
   * Waits until every plotly output of the model is drawn in the page (or throws, saying how many were). A chart
   * not drawn yet is scrolled into view, as a reader would. jupyterlab-plotly shows a chart saved with its picture
   * (the image/png it adds to the output after drawing) as that picture first and draws the interactive chart when
   * the pointer enters it: such a chart is hovered, so that what is counted is plotly's live SVG.
   */
  async waitForCharts(expected: number, timeoutMs = 120_000): Promise<number> {
    try {
      await waitFor(`${expected} charts to draw`, timeoutMs, async () => {
        const { outputs, drawn } = await this.drawnCharts();
        if (outputs === expected && drawn === expected) return true;
        const waiting = this.page.locator(`${PLOTLY_OUTPUT}:not(:has(svg.main-svg))`).first();
        if (await waiting.count()) {
          await waiting.scrollIntoViewIfNeeded();
          if (await waiting.locator('img.plot-img').count()) await waiting.hover();
        }
        return false;
      }, 1000);
    } catch (error) {
      throw new Error(`${error instanceof Error ? error.message : error}: ${JSON.stringify(await this.drawnCharts())}`);
    }
    return expected;
  }

  /** Clicks a menu bar menu, then one of its items. */
  async menu(menu: string, item: string): Promise<void> {
    await this.page.locator('.lm-MenuBar-item', { hasText: new RegExp(`^${menu}$`) }).click();
    await this.page.locator('.lm-Menu-item:not(.lm-mod-disabled)', { hasText: item }).first().click();
  }

  /** Run > Run All Cells, then waits until every code cell ran (or a cell failed); returns the final state. */
  async runAll(timeoutMs: number): Promise<NotebookState> {
    await this.menu('Run', 'Run All Cells');
    return waitFor('Run All to finish', timeoutMs, async () => {
      const state = await this.state();
      if (state.errors.length > 0) return state; // Run All stops at a failed cell: report it now
      return state.executed === state.codeCells && state.running === 0 && state.kernelStatus === 'idle' ? state : undefined;
    }, 2000);
  }

  /** Runs one code cell (0-based among code cells) by selecting it and pressing the toolbar's Run button. */
  async runCell(codeIndex: number): Promise<void> {
    const cell = this.page.locator('.jp-Notebook .jp-CodeCell').nth(codeIndex);
    await cell.locator('.jp-InputPrompt').click();
    await this.page.locator('.jp-NotebookPanel-toolbar [data-command="notebook:run-cell-and-select-next"]').click();
  }

  /** Waits until code cell `codeIndex` has output text matching `pattern`; returns the text. */
  async waitForText(codeIndex: number, pattern: RegExp, timeoutMs: number): Promise<string> {
    return waitFor(`code cell ${codeIndex} to show ${pattern}`, timeoutMs, async () => {
      const state = await this.state();
      return pattern.test(state.textOf[codeIndex] ?? '') && state.running === 0 ? state.textOf[codeIndex] : undefined;
    }, 1000);
  }

  /** File > Save Notebook, and waits until the model is clean. */
  async save(): Promise<void> {
    await this.page.evaluate(() => (window as any).jupyterapp.commands.execute('docmanager:save'));
    await waitFor('the notebook to be saved', 60_000, () => this.page.evaluate(() => !(window as any).jupyterapp.shell.currentWidget.context.model.dirty));
  }

  /** Shuts the open notebook's kernel down (frees its memory before the next notebook). */
  async shutdownKernel(): Promise<void> {
    await this.page.evaluate(() => (window as any).jupyterapp.shell.currentWidget.sessionContext.shutdown());
  }

  /** Scrolls the first chart (or the top) into view and writes a screenshot. */
  async screenshot(file: string, scrollTo = PLOTLY_OUTPUT): Promise<void> {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await this.page.evaluate((selector) => document.querySelector(selector)?.closest('.jp-Cell')?.scrollIntoView({ block: 'start' }), scrollTo);
    await this.page.waitForTimeout(500);
    await this.page.screenshot({ path: file });
  }

  waitFor = waitFor;
}
