/** HTML for plotly figures: a snippet per chart for notebook outputs, and standalone pages for scripts. */
import { PlotlyFigure } from './figureBase';
import { describeValue, escapeHtml } from './internal';
import { PLOTLY_LOADING_GLOBAL, plotlyLoaderHtml, plotlyLoaderEmitted, plotlyLoaderScript } from './plotlyLoader';

export interface FigureHtmlOptions {
  /** id of the chart's div; must be unique on the page (default: a fresh id, unique across kernel restarts). */
  id?: string;
  /** Height of the chart in CSS pixels (default: the layout's height, else 450). The width follows the output. */
  height?: number;
  /** 'auto': include the plotly loader if this kernel session has not emitted it yet; 'always' / 'never': as said. */
  includePlotly?: 'auto' | 'always' | 'never';
}

/** Chart height when neither the options nor the layout give one: plotly's own default. */
export const DEFAULT_FIGURE_HEIGHT = 450;

/** How long a chart waits for its div to be attached and for plotly to load, before it writes an explanation instead. */
export const FIGURE_WAIT_MS = 30_000; // plotly.js is unpacked first (≈1 s); a slow page gets time

/**
 * What a chart's div says until its script draws it: seen only where the script cannot run, i.e. an untrusted
 * notebook in the classic Notebook (it strips scripts from HTML outputs and has no plotly renderer).
 */
export const UNTRUSTED_NOTE = '<p class="simclr-workbench-untrusted" style="color:#666;font-family:sans-serif;">' +
  'This chart is drawn by a script, which did not run: trust the notebook (classic Notebook: File &gt; Trust Notebook) ' +
  'and reload it, or open it in JupyterLab with jupyterlab-plotly (npm run lab), which draws it untrusted.</p>';

/** Per-process token in the default ids: charts made after a kernel restart get ids that differ from those still on the page. */
const SESSION_TOKEN = `${Date.now().toString(36)}${process.pid.toString(36)}`;
let figureCount = 0;

/**
 * JSON text safe inside an HTML <script> element: `<`, `>`, `&`, U+2028 and U+2029 written as \u escapes. In JSON
 * those characters occur only inside strings, where the escapes mean the same, so `JSON.parse`/evaluation gives the
 * original value back, while `</script>` in a title cannot end the element.
 */
export function scriptSafeJson(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new Error(`scriptSafeJson: value is not JSON-serialisable, got ${describeValue(value)}`);
  return text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * An HTML snippet that draws the figure with `Plotly.newPlot(div, data, layout, {responsive: true})`. The script
 * looks the div up by id and retries every 50 ms (up to FIGURE_WAIT_MS) until both the div is in the document and
 * window.Plotly exists: the classic Notebook runs output scripts before attaching the output, and JupyterLab may
 * render outputs out of order. The first snippet of a kernel session carries the plotly loader (see
 * plotlyLoaderHtml); later ones reuse the page's Plotly (or wait for the loader to unpack it). This is the text/html
 * fallback of a chart's MIME bundle (see figureBundle): nbconvert's HTML export and the classic Notebook (trusted) run
 * it, with or without require.js on the page; JupyterLab draws the bundle's application/vnd.plotly.v1+json instead.
 */
export function figureHtml(figure: PlotlyFigure, options: FigureHtmlOptions = {}): string {
  const caller = 'figureHtml';
  if (figure == null || !Array.isArray(figure.data) || typeof figure.layout !== 'object' || figure.layout === null) {
    throw new Error(`${caller}: figure must be {data: trace[], layout: object}, got ${describeValue(figure)}`);
  }
  const id = options.id ?? `simclr-figure-${SESSION_TOKEN}-${++figureCount}`;
  if (typeof id !== 'string' || !/^[A-Za-z][\w-]*$/.test(id)) throw new Error(`${caller}: id must be a letter followed by letters, digits, _ or -, got ${describeValue(id)}`);
  const layoutHeight = typeof figure.layout.height === 'number' ? figure.layout.height : undefined;
  const height = options.height ?? layoutHeight ?? DEFAULT_FIGURE_HEIGHT;
  if (!Number.isFinite(height) || height <= 0) throw new Error(`${caller}: height must be a positive number of pixels, got ${describeValue(height)}`);
  const includePlotly = options.includePlotly ?? 'auto';
  if (!['auto', 'always', 'never'].includes(includePlotly)) throw new Error(`${caller}: includePlotly must be 'auto', 'always' or 'never', got ${describeValue(includePlotly)}`);
  const loader = includePlotly === 'always' || (includePlotly === 'auto' && !plotlyLoaderEmitted()) ? `${plotlyLoaderHtml()}\n` : '';
  const json = scriptSafeJson({ data: figure.data, layout: figure.layout });
  return `${loader}<div id="${id}" class="simclr-workbench-figure" style="width:100%;height:${height}px;">${UNTRUSTED_NOTE}</div>
<script type="text/javascript">
(function () {
  var id = ${JSON.stringify(id)};
  var figure = ${json};
  var attempts = 0;
  var failure = null;
  var watching = false;
  function draw() {
    var element = document.getElementById(id);
    var loading = window.${PLOTLY_LOADING_GLOBAL};
    if (loading && !watching) {
      watching = true;
      loading.then(null, function (error) { failure = String(error); });
    }
    if (element && window.Plotly) {
      element.textContent = "";
      Promise.resolve(window.Plotly.newPlot(element, figure.data, figure.layout, {responsive: true})).then(null, function (error) {
        element.textContent = "plotly.js could not draw this chart: " + error;
      });
    } else if (element && failure) {
      element.textContent = "plotly.js could not be loaded: " + failure;
    } else if (attempts++ < ${Math.ceil(FIGURE_WAIT_MS / 50)}) {
      setTimeout(draw, 50);
    } else if (element) {
      element.textContent = "plotly.js is not loaded on this page (its loader is in an earlier output that did not run: " +
        "untrusted notebook, or outputs cleared). Call resetPlotlyLoader() and re-run this cell.";
    }
  }
  draw();
})();
</script>`;
}

/**
 * A complete HTML page (plotly inlined once, then each figure) for viewing outside Jupyter, e.g. a training script's
 * report written to disk. Independent of the notebook loader state.
 */
export function standaloneHtml(figures: PlotlyFigure | PlotlyFigure[], options: { title?: string; height?: number } = {}): string {
  const list = Array.isArray(figures) ? figures : [figures];
  if (list.length === 0) throw new Error('standaloneHtml: needs at least one figure');
  const title = options.title ?? 'simclr-workbench figures';
  const body = list.map((figure) => figureHtml(figure, { height: options.height, includePlotly: 'never' })).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
</head>
<body>
<h1 style="font-family:sans-serif;font-size:1.2em;">${escapeHtml(title)}</h1>
${plotlyLoaderScript()}
${body}
</body>
</html>
`;
}
