/**
 * A chart that updates in place while a cell runs (a loss curve during training): one display_data output with a
 * display_id, replaced by update_display_data messages (Jupyter's protocol; JupyterLab, the classic Notebook and
 * nbclient all apply them, so the saved notebook keeps the last state): SVG drawings while it runs, the plotly
 * chart once closed.
 */
import { PlotlyFigure } from './figureBase';
import { FigureHtmlOptions } from './html';
import { kernelDisplayWriter } from './kernel';
import { MimeBundle } from './mime';
import { figureSketchSvg } from './sketch';
import { DisplayTarget, describeShowable, figureBundle, sendBundle } from './show';

export interface LiveFigureOptions extends DisplayTarget, Pick<FigureHtmlOptions, 'height'> {
  /** Fewest milliseconds between two updates sent; updates in between are merged (the latest wins). */
  minIntervalMs?: number;
}

/** Default spacing of updates: a smooth curve without flooding the front end during fast training steps. */
export const LIVE_FIGURE_MIN_INTERVAL_MS = 500;

/** The handle of a live chart. */
export interface LiveFigure {
  /** The display_id of its output. */
  readonly displayId: string;
  /** How many updates were sent so far (throttled ones are not counted until sent). */
  readonly updatesSent: number;
  /** Replace the chart by `figure` (sent at most once per minIntervalMs; the last one is kept for close()). */
  update(figure: PlotlyFigure): void;
  /** Replace the drawing by the latest figure as a plotly chart (with its HTML fallback); later updates are ignored. */
  close(): void;
}

let liveCount = 0;
const SESSION = `${Date.now().toString(36)}${process.pid.toString(36)}`;

/**
 * Show `figure` as a live chart and return a handle to update it, e.g. from a trainer's onStep callback:
 *
 *     const live = showLive(lineChart([{ name: 'loss', y: [] }]));
 *     callbacks: { onStep: (log) => { losses.push(log.loss); live.update(lineChart([{ name: 'loss', y: losses }])); } }
 *     …; live.close();
 *
 * While it runs, the chart is a static SVG drawing of its line traces (figureSketchSvg), replaced in place at most
 * once per minIntervalMs: jupyterlab-plotly draws a plotly output once and ignores later updates of its data.
 * close() replaces it by the plotly figure with its HTML fallback (figureBundle: plotly.js included when no chart of
 * this kernel session carried it yet), which is what the saved notebook and its HTML export keep. Outside a kernel,
 * nothing is printed until close(), which prints the final chart's description.
 */
export function showLive(figure: PlotlyFigure, options: LiveFigureOptions = {}): LiveFigure {
  describeShowable(figure); // validates
  const writer = options.writer ?? kernelDisplayWriter(); // taken now: the chart belongs to the calling cell
  const minInterval = options.minIntervalMs ?? LIVE_FIGURE_MIN_INTERVAL_MS;
  if (!(minInterval >= 0)) throw new Error(`showLive: minIntervalMs must be a number ≥ 0, got ${String(minInterval)}`);
  const displayId = `simclr-live-${SESSION}-${++liveCount}`;
  const height = options.height ?? (typeof figure.layout.height === 'number' ? figure.layout.height : undefined);
  const frame = (next: PlotlyFigure): MimeBundle => ({
    'image/svg+xml': figureSketchSvg(next, { height }),
    'text/plain': `${describeShowable(next)} (live)`,
  });
  let sent = 0;
  let latest = figure;
  let pending = false;
  let closed = false;
  let lastSent = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const send = () => {
    if (writer) sendBundle(frame(latest), { writer, print: options.print, displayId, update: true });
    sent += 1;
    lastSent = Date.now();
    pending = false;
  };
  if (writer) sendBundle(frame(figure), { writer, print: options.print, displayId });
  return {
    displayId,
    get updatesSent() { return sent; },
    update(next: PlotlyFigure) {
      describeShowable(next);
      latest = next;
      if (!writer || closed) return;
      const wait = lastSent + minInterval - Date.now();
      if (wait <= 0 && timer === undefined) send();
      else if (!pending) {
        pending = true;
        timer = setTimeout(() => { timer = undefined; if (pending && !closed) send(); }, Math.max(0, wait));
      }
    },
    close() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      closed = true;
      if (!writer) {
        (options.print ?? ((line: string) => console.log(line)))(describeShowable(latest));
        return;
      }
      sendBundle(figureBundle(latest, { id: `${displayId}-final`, height: options.height }), { writer, print: options.print, displayId, update: true });
      sent += 1;
    },
  };
}
