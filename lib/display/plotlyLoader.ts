/**
 * The plotly.js loader: the fallback for front ends without plotly's MIME renderer (nbconvert's HTML export, the
 * classic Notebook). plotly.js, minified with esbuild and gzip-compressed, is inlined once per notebook as base64
 * (≈1.9 MB instead of the 10.8 MB source) and unpacked in the browser with DecompressionStream. JupyterLab draws the
 * charts from their `application/vnd.plotly.v1+json` data (jupyterlab-plotly) and never runs this.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { describeValue } from './internal';

/** Where plotly's browser bundle is looked up, in order: the minified build if installed, then the full one. */
export const PLOTLY_BUNDLES: readonly string[] = ['plotly.js-dist-min/plotly.min.js', 'plotly.js-dist/plotly.js'];

/** The browser global the loader sets while plotly.js is being unpacked: a Promise of window.Plotly. */
export const PLOTLY_LOADING_GLOBAL = 'simclrPlotlyLoading';

let cachedSource: { path: string; source: string } | undefined;
let cachedPacked: PackedPlotly | undefined;
let loaderEmitted = false;

/** Path and text of plotly's browser bundle (first of PLOTLY_BUNDLES that resolves), read once per process. */
export function plotlySource(): { path: string; source: string; version: string } {
  if (!cachedSource) {
    const tried: string[] = [];
    for (const request of PLOTLY_BUNDLES) {
      let file: string;
      try {
        file = require.resolve(request);
      } catch {
        tried.push(request);
        continue;
      }
      cachedSource = { path: file, source: fs.readFileSync(file, 'utf8') };
      break;
    }
    if (!cachedSource) throw new Error(`plotlySource: none of ${tried.join(', ')} resolves; install plotly.js-dist (npm install plotly.js-dist)`);
  }
  const version = /plotly\.js v(\d+\.\d+\.\d+)/.exec(cachedSource.source.slice(0, 2000))?.[1] ?? 'unknown';
  return { ...cachedSource, version };
}

/** plotly.js as the loader carries it. */
export interface PackedPlotly {
  version: string;
  /** Whether esbuild minified it (false: esbuild is not installed, the source is packed as it is). */
  minified: boolean;
  /** Bytes of JavaScript before compression. */
  sourceBytes: number;
  /** The gzip-compressed JavaScript, base64-encoded (what goes into the page). */
  gzipBase64: string;
}

/** Minify with esbuild (a dev dependency here, through tsx), or undefined when it is not installed. ≈3 s for plotly. */
function minify(source: string): string | undefined {
  let esbuild: { transformSync(code: string, options: object): { code: string } };
  try {
    esbuild = require('esbuild');
  } catch {
    return undefined;
  }
  return esbuild.transformSync(source, { minify: true, legalComments: 'none', target: 'es2017' }).code;
}

/** Gzip + base64 of JavaScript text. */
export function packScript(source: string): string {
  return zlib.gzipSync(Buffer.from(source, 'utf8'), { level: 9 }).toString('base64');
}

/**
 * plotly.js minified, compressed and base64-encoded, made once per process and cached on disk next to the installed
 * package (node_modules/.cache/simclr-workbench), so each notebook's kernel does not minify again.
 */
export function packedPlotly(): PackedPlotly {
  if (cachedPacked) return cachedPacked;
  const { path: file, source, version } = plotlySource();
  const stamp = `${version}-${fs.statSync(file).size}`;
  const cacheFile = path.join(path.dirname(file), '..', '.cache', 'simclr-workbench', `plotly-${stamp}.json`);
  try {
    const cached = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as PackedPlotly;
    if (typeof cached.gzipBase64 === 'string' && cached.gzipBase64.length > 0) return (cachedPacked = cached);
  } catch {
    // not cached yet (or unreadable): pack it below
  }
  const minified = file.endsWith('.min.js') ? undefined : minify(source);
  const script = minified ?? source;
  cachedPacked = { version, minified: minified !== undefined || file.endsWith('.min.js'), sourceBytes: Buffer.byteLength(script), gzipBase64: packScript(script) };
  try {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    fs.writeFileSync(`${cacheFile}.${process.pid}`, JSON.stringify(cachedPacked));
    fs.renameSync(`${cacheFile}.${process.pid}`, cacheFile); // atomic: kernels started together never read half a file
  } catch {
    // a read-only install: pack again next time
  }
  return cachedPacked;
}

/**
 * The loader snippet for a page: a <script> that, unless `window.Plotly` exists or is already being loaded (a second
 * loader on the page, e.g. after a kernel restart), unpacks the gzip'ed plotly.js with DecompressionStream, sets
 * `window.simclrPlotlyLoading` to a Promise of window.Plotly, and runs plotly inside
 * `function (define, module, exports, require)` called with no arguments. Shadowing those names makes plotly's UMD
 * header take its browser-global branch (`self.Plotly = …`) even on pages with an AMD loader (require.js in nbconvert's
 * templates and the classic Notebook), where an anonymous `define` would be rejected by require.js. Base64 text cannot
 * close the <script> element early.
 * @param source JavaScript to load instead of plotly.js (tests pass a small stand-in).
 */
export function plotlyLoaderScript(source?: string): string {
  if (source !== undefined && (typeof source !== 'string' || source.length === 0)) {
    throw new Error(`plotlyLoaderScript: source must be non-empty JavaScript text, got ${describeValue(source)}`);
  }
  const packed = source === undefined ? packedPlotly() : undefined;
  const data = packed ? packed.gzipBase64 : packScript(source!);
  const what = packed ? `plotly.js ${packed.version} (MIT licence, Plotly Inc.)${packed.minified ? ', minified' : ''}` : 'a script';
  const loading = `window.${PLOTLY_LOADING_GLOBAL}`;
  return [
    '<script type="text/javascript">',
    `/* ${what}, gzip + base64, inlined by simclr-workbench once per notebook; hidden from AMD loaders */`,
    '(function () {',
    `  if (typeof window === "undefined" || window.Plotly || ${loading}) return;`,
    '  if (typeof DecompressionStream === "undefined") {',
    `    ${loading} = Promise.reject(new Error("this browser has no DecompressionStream to unpack plotly.js"));`,
    '  } else {',
    `    var bytes = Uint8Array.from(atob("${data}"), function (c) { return c.charCodeAt(0); });`,
    `    ${loading} = new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text().then(function (code) {`,
    '      new Function("define", "module", "exports", "require", code).call(window);',
    '      if (!window.Plotly) throw new Error("the unpacked plotly.js did not define window.Plotly");',
    '      return window.Plotly;',
    '    });',
    '  }',
    `  ${loading}.then(null, function (error) { console.error("simclr-workbench: plotly.js could not be loaded: " + error); });`,
    '})();',
    '</script>',
  ].join('\n');
}

/**
 * The plotly loader for this notebook (a kernel session): returns plotlyLoaderScript() and records that it was
 * emitted, so later charts leave it out. figureHtml includes it in the first chart of a session by itself.
 */
export function plotlyLoaderHtml(): string {
  const html = plotlyLoaderScript();
  loaderEmitted = true;
  return html;
}

/** Whether this process has emitted the plotly loader since it started or since resetPlotlyLoader(). */
export function plotlyLoaderEmitted(): boolean {
  return loaderEmitted;
}

/**
 * Forget that the loader was emitted, so the next chart includes it again. Call it when a notebook's output was
 * cleared while the kernel kept running (e.g. "Clear all outputs" and re-run), so the HTML export has plotly.js.
 */
export function resetPlotlyLoader(): void {
  loaderEmitted = false;
}
