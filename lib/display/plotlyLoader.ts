/**
 * The plotly.js loader: plotly's own source inlined in a <script>, once per notebook, so charts render offline —
 * live in Jupyter and in nbconvert's HTML export — without the plotly MIME renderer (a Python extension).
 */
import * as fs from 'fs';
import { describeValue } from './internal';

/** Where plotly's browser bundle is looked up, in order: the minified build (≈3.5 MB) if installed, then the full one (≈10 MB). */
export const PLOTLY_BUNDLES: readonly string[] = ['plotly.js-dist-min/plotly.min.js', 'plotly.js-dist/plotly.js'];

let cachedSource: { path: string; source: string } | undefined;
let loaderEmitted = false;

/** Path and text of plotly's browser bundle (first of PLOTLY_BUNDLES that resolves), read once per process. */
export function plotlySource(): { path: string; source: string; version: string } {
  if (!cachedSource) {
    const tried: string[] = [];
    for (const request of PLOTLY_BUNDLES) {
      let path: string;
      try {
        path = require.resolve(request);
      } catch {
        tried.push(request);
        continue;
      }
      cachedSource = { path, source: fs.readFileSync(path, 'utf8') };
      break;
    }
    if (!cachedSource) throw new Error(`plotlySource: none of ${tried.join(', ')} resolves; install plotly.js-dist (npm install plotly.js-dist)`);
  }
  const version = /plotly\.js v(\d+\.\d+\.\d+)/.exec(cachedSource.source.slice(0, 2000))?.[1] ?? 'unknown';
  return { ...cachedSource, version };
}

/**
 * Make script text safe to inline in an HTML <script> element: `</script` would end the element early and
 * `<!--` can switch the HTML parser into its "script data escaped" states. Both are rewritten with a backslash
 * (`<\/script`, `<\!--`), which means the same thing inside JavaScript strings, templates and (non-unicode) regular
 * expressions. Plotly 2.35's bundle contains neither, so for it this is the identity.
 */
export function escapeInlineScript(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/**
 * The loader snippet for a page: a <script> that, unless `window.Plotly` already exists (a second loader on the same
 * page, e.g. after a kernel restart), runs plotly's bundle inside `function (define, module, exports, require)`
 * called with no arguments. Shadowing those names makes plotly's UMD header take its browser-global branch
 * (`self.Plotly = …`) even on pages with an AMD loader (require.js in nbconvert's templates and the classic
 * Notebook): otherwise plotly would call `define([], factory)` and, being anonymous, require.js rejects it
 * ("Mismatched anonymous define() module") and Plotly never reaches `window`. No global is changed meanwhile.
 * @param source the bundle's text (default: plotlySource(); tests pass a small stand-in).
 */
export function plotlyLoaderScript(source?: string): string {
  const bundle = source ?? plotlySource().source;
  if (typeof bundle !== 'string' || bundle.length === 0) throw new Error(`plotlyLoaderScript: source must be non-empty JavaScript text, got ${describeValue(bundle)}`);
  return [
    '<script type="text/javascript">',
    '/* plotly.js (MIT licence, Plotly Inc.), inlined by simclr-workbench once per page; hidden from AMD loaders */',
    '(function () {',
    '  if (typeof window === "undefined" || window.Plotly) return;',
    '  (function (define, module, exports, require) {',
    escapeInlineScript(bundle),
    '  }).call(window);',
    '})();',
    '</script>',
  ].join('\n');
}

/**
 * The plotly loader for this notebook (a kernel session): returns plotlyLoaderScript() and records that it was
 * emitted, so figureHtml stops including it. Display it once near the top of a notebook to make the order explicit;
 * figureHtml includes it by itself in the first chart otherwise.
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
 * cleared while the kernel kept running (e.g. "Clear all outputs" and re-run), or at the top of a notebook.
 */
export function resetPlotlyLoader(): void {
  loaderEmitted = false;
}
