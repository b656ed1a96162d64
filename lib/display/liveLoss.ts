/**
 * One live chart for the training runs of a cell (a sweep over τ or heads): each run's loss curve is added as the
 * run trains and redrawn in place (showLive), with the run's step, speed and time left in the title; a run loaded
 * from a cache adds its logged curve at once. Nothing is shown until the first curve has a point, so a cell whose
 * runs are all cached shows just the final chart.
 */
import { secondsLeft, StepLog, TrainCallbacks } from '../train/callbacks';
import { lineChart, LineSeries } from './figures';
import { LiveFigure, LiveFigureOptions, showLive } from './live';

export interface LiveLossCurvesOptions extends LiveFigureOptions {
  /** Chart title (default 'Training loss'); while a run trains, its progress is appended. */
  title?: string;
  /** y-axis title (default 'loss (nats)'). */
  yTitle?: string;
}

export interface LiveLossCurves {
  /** Listeners that draw the named run's curve as it trains (pass them to the trainer or trainCached). */
  callbacks(name: string): TrainCallbacks;
  /** Add a finished run's logged steps at once (a run loaded from a cache). */
  add(name: string, steps: StepLog[]): void;
  /** Replace the drawing by the final plotly chart of every curve. */
  close(): void;
}

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '…';
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s` : `${s} s`;
}

/**
 * Live loss curves for several runs in one chart:
 *
 *     const curves = liveLossCurves({ title: 'Training loss by τ' });
 *     for (const t of temperatures) {
 *       const run = await trainCached({ config: …, dataset, callbacks: curves.callbacks(`τ = ${t}`) });
 *       if (run.cached) curves.add(`τ = ${t}`, run.steps);
 *     }
 *     curves.close();
 */
export function liveLossCurves(options: LiveLossCurvesOptions = {}): LiveLossCurves {
  const { title = 'Training loss', yTitle = 'loss (nats)', ...liveOptions } = options;
  const series: (LineSeries & { x: number[]; y: number[] })[] = [];
  let live: LiveFigure | undefined;
  let progress = '';
  const figure = () => lineChart(series.length ? series : [{ name: 'loss', x: [], y: [] }], { title: progress ? `${title} — ${progress}` : title, xTitle: 'step', yTitle, height: liveOptions.height ?? 360 });
  const curve = (name: string) => {
    let found = series.find((s) => s.name === name);
    if (!found) {
      found = { name, x: [], y: [] };
      series.push(found);
    }
    return found;
  };
  const redraw = () => {
    if (!live) live = showLive(figure(), liveOptions);
    else live.update(figure());
  };
  return {
    callbacks(name: string): TrainCallbacks {
      return {
        onStep: (log: StepLog) => {
          const c = curve(name);
          c.x.push(log.step);
          c.y.push(log.loss);
          progress = `${name}: step ${log.step}/${log.totalSteps}, ${log.imagesPerSecond.toFixed(0)} img/s, ${formatSeconds(secondsLeft(log))} left`;
          redraw();
        },
      };
    },
    add(name: string, steps: StepLog[]) {
      const c = curve(name);
      c.x.splice(0, c.x.length, ...steps.map((s) => s.step));
      c.y.splice(0, c.y.length, ...steps.map((s) => s.loss));
      redraw();
    },
    close() {
      progress = '';
      if (!live) {
        if (series.length === 0) return;
        live = showLive(figure(), liveOptions);
      }
      live.update(figure());
      live.close();
    },
  };
}
