/**
 * A chart that updates in place while a cell runs (a loss curve during training): one display_data output with a
 * display_id, replaced by update_display_data messages (Jupyter's protocol; JupyterLab, the classic Notebook and
 * nbclient all apply them, so the saved notebook keeps the last state).
 */
import { PlotlyFigure } from './figureBase';
import { FigureHtmlOptions } from './html';
import { kernelDisplayWriter } from './kernel';
import { plotlyLoaderEmitted } from './plotlyLoader'; // 'always' below marks the loader as emitted for later charts
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
  /** Send the latest figure now, with the full fallback (plotly.js included when this chart carried it first). */
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
 * Each message carries the plotly JSON (JupyterLab) and a text/html fallback. If this chart is the first of the
 * kernel session, its first and last messages include plotly.js (so the saved notebook's HTML export draws); the
 * updates in between leave it out (the page already has it). Outside a kernel, nothing is printed until close(),
 * which prints the final chart's description.
 */
export function showLive(figure: PlotlyFigure, options: LiveFigureOptions = {}): LiveFigure {
  describeShowable(figure); // validates
  const writer = options.writer ?? kernelDisplayWriter(); // taken now: the chart belongs to the calling cell
  const minInterval = options.minIntervalMs ?? LIVE_FIGURE_MIN_INTERVAL_MS;
  if (!(minInterval >= 0)) throw new Error(`showLive: minIntervalMs must be a number ≥ 0, got ${String(minInterval)}`);
  const displayId = `simclr-live-${SESSION}-${++liveCount}`;
  const carriesLoader = !plotlyLoaderEmitted();
  const htmlId = (n: number) => `${displayId}-${n}`; // each message's chart div gets its own id
  let sent = 0;
  let latest = figure;
  let pending = false;
  let lastSent = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const send = (final: boolean) => {
    const includePlotly = carriesLoader && final ? 'always' : 'never';
    const bundle = figureBundle(latest, { id: htmlId(sent + 1), height: options.height, includePlotly });
    if (writer) sendBundle(bundle, { writer, print: options.print, displayId, update: true });
    sent += 1;
    lastSent = Date.now();
    pending = false;
  };
  if (writer) {
    sendBundle(figureBundle(figure, { id: htmlId(0), height: options.height, includePlotly: carriesLoader ? 'always' : 'never' }), { writer, print: options.print, displayId });
  }
  return {
    displayId,
    get updatesSent() { return sent; },
    update(next: PlotlyFigure) {
      describeShowable(next);
      latest = next;
      if (!writer) return;
      const wait = lastSent + minInterval - Date.now();
      if (wait <= 0 && timer === undefined) send(false);
      else if (!pending) {
        pending = true;
        timer = setTimeout(() => { timer = undefined; if (pending) send(false); }, Math.max(0, wait));
      }
    },
    close() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      if (writer) send(true);
      else (options.print ?? ((line: string) => console.log(line)))(describeShowable(latest));
    },
  };
}
