/** What the trainer reports, and ready-made listeners: a terminal progress bar and a JSONL metrics file. */
import * as fs from 'fs';
import * as path from 'path';

/** Reported every `logEvery` steps (the only time the loss is read back from the device). */
export interface StepLog {
  /** Global optimiser step, 1-based after the step ran. */
  step: number;
  /** Epoch, 1-based. */
  epoch: number;
  /** Step within the epoch, 1-based. */
  stepInEpoch: number;
  stepsPerEpoch: number;
  totalSteps: number;
  /** Mean loss over the steps since the previous log. */
  loss: number;
  learningRate: number;
  temperature: number;
  /** Training images (not views) per second since the previous log. */
  imagesPerSecond: number;
  /** Seconds since training (this run) started. */
  elapsedSeconds: number;
  /** Global step at which this run started: 0, or the checkpoint's step when resumed (for the ETA). */
  startStep: number;
}

/** Reported at the end of every epoch. */
export interface EpochLog {
  epoch: number;
  step: number;
  /** Mean loss over the epoch's steps. */
  loss: number;
  learningRate: number;
  temperature: number;
  imagesPerSecond: number;
  epochSeconds: number;
  /** Whatever the optional evaluation hook returned (e.g. online kNN accuracy). */
  metrics: Record<string, number>;
}

/** Listeners; all optional. They may be async: the trainer awaits them. */
export interface TrainCallbacks {
  onStep?: (log: StepLog) => void | Promise<void>;
  onEpochEnd?: (log: EpochLog) => void | Promise<void>;
  /** Called after a checkpoint file was written. */
  onCheckpoint?: (file: string, step: number) => void | Promise<void>;
}

/** Combine several listener sets into one (called in order). */
export function combineCallbacks(...all: (TrainCallbacks | undefined)[]): TrainCallbacks {
  const list = all.filter((c): c is TrainCallbacks => c !== undefined);
  return {
    onStep: async (log) => { for (const c of list) await c.onStep?.(log); },
    onEpochEnd: async (log) => { for (const c of list) await c.onEpochEnd?.(log); },
    onCheckpoint: async (file, step) => { for (const c of list) await c.onCheckpoint?.(file, step); },
  };
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(r).padStart(2, '0')}` : `${m}:${String(r).padStart(2, '0')}`;
}

/**
 * Seconds the run still needs at its own pace so far: elapsed · (total − step) / (steps taken in this run). After a
 * resume the steps done before it took no time here, so they are not counted. Infinity before the first step.
 */
export function secondsLeft(log: StepLog): number {
  const stepsThisRun = log.step - (log.startStep ?? 0);
  return stepsThisRun > 0 ? (log.elapsedSeconds * (log.totalSteps - log.step)) / stepsThisRun : Infinity;
}

/**
 * A one-line terminal progress bar with loss, learning rate, images/s and ETA. On a TTY it redraws in
 * place; otherwise (CI logs, pipes) it prints one line per log and per epoch.
 */
export function progressBar(stream: NodeJS.WriteStream = process.stderr, width = 24): TrainCallbacks {
  const tty = stream.isTTY === true;
  return {
    onStep: (log) => {
      const fraction = log.step / log.totalSteps;
      const filled = Math.round(fraction * width);
      const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
      const eta = secondsLeft(log);
      const line = `epoch ${log.epoch} ${bar} ${log.step}/${log.totalSteps} loss ${log.loss.toFixed(4)} lr ${log.learningRate.toExponential(2)} τ ${log.temperature.toFixed(3)} ${log.imagesPerSecond.toFixed(0)} img/s ETA ${formatDuration(eta)}`;
      stream.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
    },
    onEpochEnd: (log) => {
      const extra = Object.entries(log.metrics).map(([k, v]) => ` ${k} ${v.toFixed(4)}`).join('');
      stream.write(`${tty ? '\r\x1b[K' : ''}epoch ${log.epoch} loss ${log.loss.toFixed(4)} (${log.epochSeconds.toFixed(1)} s, ${log.imagesPerSecond.toFixed(0)} img/s)${extra}\n`);
    },
  };
}

/**
 * Append every step and epoch log, and every checkpoint written, as one JSON object per line
 * (`{"type":"step",...}`, `{"type":"epoch",...}`, `{"type":"checkpoint",...}`). The file and its folder are
 * created at the first record.
 */
export function jsonlMetrics(file: string): TrainCallbacks {
  let ready = false;
  const append = (record: object) => {
    if (!ready) {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      ready = true;
    }
    fs.appendFileSync(file, `${JSON.stringify(record)}\n`);
  };
  return {
    onStep: (log) => append({ type: 'step', time: new Date().toISOString(), ...log }),
    onEpochEnd: (log) => append({ type: 'epoch', time: new Date().toISOString(), ...log }),
    onCheckpoint: (checkpoint, step) => append({ type: 'checkpoint', time: new Date().toISOString(), file: checkpoint, step }),
  };
}
