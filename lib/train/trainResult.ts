/** What `SimclrTrainer.fit` returns, and how it shows itself (a line per epoch as text, a table in a notebook). */
import { simpleTableHtml, withSelfDisplay } from '../display/selfDisplay';
import { EpochLog, StepLog } from './callbacks';

/** What `fit` returns. */
export interface TrainResult {
  epochs: EpochLog[];
  steps: StepLog[];
  /** True when stopped by the signal before the last epoch finished. */
  stopped: boolean;
  step: number;
  seconds: number;
}

function epochRows(result: TrainResult): (string | number)[][] {
  return result.epochs.map((e) => [e.epoch, e.step, e.loss.toFixed(4), e.learningRate.toExponential(2), e.temperature.toFixed(3), Math.round(e.imagesPerSecond), e.epochSeconds.toFixed(1), Object.entries(e.metrics).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ')]);
}

const EPOCH_HEADERS = ['epoch', 'step', 'loss', 'lr', 'τ', 'img/s', 's', 'metrics'];

/** One line per epoch plus a summary line: how a TrainResult prints. */
export function formatTrainResult(result: TrainResult): string {
  const lines = epochRows(result).map((r) => EPOCH_HEADERS.map((h, i) => `${h} ${r[i]}`).filter((t) => !t.endsWith(' ')).join('  '));
  lines.push(`${result.stopped ? 'stopped' : 'finished'} at step ${result.step} in ${result.seconds.toFixed(1)} s`);
  return lines.join('\n');
}

/** A TrainResult as an HTML table of its epochs (what a notebook shows for `await trainer.fit()`). */
export function trainResultHtml(result: TrainResult): string {
  return simpleTableHtml(EPOCH_HEADERS, epochRows(result), `${result.stopped ? 'stopped' : 'finished'} at step ${result.step} in ${result.seconds.toFixed(1)} s`);
}

/** The same result object, given its text and HTML display (non-enumerable: JSON and equality checks do not see it). */
export function displayableTrainResult(result: TrainResult): TrainResult {
  return withSelfDisplay(result, formatTrainResult, trainResultHtml);
}
