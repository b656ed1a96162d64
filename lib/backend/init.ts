/** Picking and initialising the best available tfjs backend. */
import * as os from 'os';
import * as tf from '@tensorflow/tfjs';
import { BACKEND_ORDER, BackendName, BackendReport, BackendUnavailableError, INSTALL_HINTS, SkippedBackend, parseBackendName } from './types';
import { describeNativeDevice, isPackageInstalled, loadNativeTensorflow } from './tensorflow';
import { adapterName, probeWebGpu, probeWebGpuIsolated, registerTfjsWebGpu } from './webgpu';
import { registerFastKernels } from '../kernels/register';
import { loadNativeConv } from '../kernels/native';
import { simpleTableHtml, withSelfDisplay } from '../display/selfDisplay';

/** Options for `initBackend`. */
export interface BackendOptions {
  /** Which backend to use. Default 'auto': the environment variable SIMCLR_BACKEND if set, else the
   *  first that works of tensorflow (on a GPU, or on the CPU when the oneDNN addon is missing) → webgpu
   *  (hardware adapter) → wasm → cpu. */
  backend?: BackendName | 'auto';
  /** Accept a software WebGPU adapter (lavapipe, SwiftShader) in auto mode. Default false: on a CPU they
   *  are slower than wasm. An explicit `backend: 'webgpu'` always accepts one. Env SIMCLR_ALLOW_SOFTWARE_GPU=1 sets it. */
  allowSoftwareAdapter?: boolean;
  /** Replace slow training kernels with the library's fast ones (lib/kernels) on the chosen backend. Default true. */
  fastKernels?: boolean;
  /** Print the report with console.log. Default false. */
  log?: boolean;
}

type Attempt = { ok: true; device: string; onGpu: boolean; softwareAdapter: boolean; tensorflowVersion?: string } | { ok: false; skip: SkippedBackend };

/** Why 'auto' passes over TensorFlow on a CPU (the figures are in bench/NOTES.md and the README). */
export const TENSORFLOW_CPU_NOTE = 'on the CPU, wasm with the oneDNN addon trains the workbook\'s models faster (bench/NOTES.md)';

function cpuModel(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model?.trim() || 'CPU'} (${cpus.length} cores)`;
}

async function switchTo(name: string): Promise<string | null> {
  // tf.setBackend logs and returns false when the backend's factory throws; capture that as a reason.
  const warn = console.warn;
  const messages: string[] = [];
  console.warn = (...args: unknown[]) => messages.push(args.map(String).join(' '));
  try {
    const ok = await tf.setBackend(name);
    return ok ? null : messages.join(' ').trim() || `tf.setBackend('${name}') returned false`;
  } catch (err) {
    return (err as Error).message;
  } finally {
    console.warn = warn;
  }
}

async function tryBackend(name: BackendName, explicit: boolean, allowSoftware: boolean): Promise<Attempt> {
  const skip = (status: SkippedBackend['status'], reason: string): Attempt => ({ ok: false, skip: { backend: name, status, reason } });
  switch (name) {
    case 'tensorflow': {
      // Measured (bench/NOTES.md): on the CPU, TensorFlow trains the workbook's models slower than wasm with the
      // oneDNN addon, so 'auto' takes TensorFlow on the CPU only when that addon is missing. Only the GPU package can
      // find a GPU: with just the CPU one installed, auto does not even load TensorFlow (~1 s, and its log line).
      const preferWasmOnCpu = !explicit && loadNativeConv().available;
      if (preferWasmOnCpu && !isPackageInstalled('@tensorflow/tfjs-node-gpu') && isPackageInstalled('@tensorflow/tfjs-node')) {
        return skip('slower on CPU', `@tensorflow/tfjs-node is TensorFlow's CPU build: ${TENSORFLOW_CPU_NOTE}; ask for backend 'tensorflow' to use it`);
      }
      const loaded = loadNativeTensorflow();
      if (!loaded.ok) return skip(loaded.status ?? 'not installed', loaded.reason);
      const described = describeNativeDevice(loaded);
      if (preferWasmOnCpu && !described.onGpu) {
        return skip('slower on CPU', `${described.device}: ${TENSORFLOW_CPU_NOTE}; ask for backend 'tensorflow' to use it`);
      }
      const failure = await switchTo('tensorflow');
      if (failure) return skip('failed to load', failure);
      return { ok: true, ...described, softwareAdapter: false, tensorflowVersion: loaded.tensorflowVersion };
    }
    case 'webgpu': {
      if (!explicit && !allowSoftware) {
        // Look first from a child process: on a machine without a usable GPU, Dawn never starts in this one (its
        // start-up warnings would land in the notebook's output and logs).
        const look = await probeWebGpuIsolated();
        if (!look.ok || !look.adapter) return skip(look.status ?? 'no adapter', look.reason);
        if (look.adapter.software) {
          return skip('software adapter', `only a software adapter was found (${adapterName(look.adapter)}); ask for backend 'webgpu' or set allowSoftwareAdapter to use it`);
        }
      }
      const probe = await probeWebGpu();
      if (!probe.ok || !probe.adapter) return skip(probe.status ?? 'no adapter', probe.reason);
      if (probe.adapter.software && !explicit && !allowSoftware) {
        return skip('software adapter', `only a software adapter was found (${adapterName(probe.adapter)}); ask for backend 'webgpu' or set allowSoftwareAdapter to use it`);
      }
      registerTfjsWebGpu();
      const failure = await switchTo('webgpu');
      if (failure) return skip('failed to load', failure);
      return { ok: true, device: adapterName(probe.adapter), onGpu: !probe.adapter.software, softwareAdapter: probe.adapter.software };
    }
    case 'wasm': {
      try {
        require('@tensorflow/tfjs-backend-wasm');
      } catch (err) {
        return skip('not installed', (err as Error).message.split('\n')[0]);
      }
      const failure = await switchTo('wasm');
      if (failure) return skip('failed to load', failure);
      return { ok: true, device: `WebAssembly on ${cpuModel()}`, onGpu: false, softwareAdapter: false };
    }
    case 'cpu': {
      const failure = await switchTo('cpu');
      if (failure) return skip('failed to load', failure);
      return { ok: true, device: `JavaScript on ${cpuModel()}, one thread`, onGpu: false, softwareAdapter: false };
    }
  }
}

/**
 * Pick, initialise and activate a tfjs backend, and say what was chosen and why.
 *
 * Order (unless `options.backend` or env `SIMCLR_BACKEND=tensorflow|webgpu|wasm|cpu|auto` says otherwise):
 * TensorFlow native (`@tensorflow/tfjs-node-gpu`, then `@tensorflow/tfjs-node`) when it runs on a CUDA GPU, or on
 * the CPU when wasm's oneDNN addon is missing (measured slower than wasm + oneDNN otherwise) → WebGPU through Dawn
 * on a hardware adapter → wasm → cpu. An explicitly requested backend that cannot be used throws
 * `BackendUnavailableError` naming what is missing and how to get it; it never silently falls back.
 *
 * @returns the report: backend, device (GPU adapter name, or whether TensorFlow uses a GPU), skipped options with reasons.
 */
export async function initBackend(options: BackendOptions = {}): Promise<BackendReport> {
  const fromCaller = options.backend && options.backend !== 'auto' ? options.backend : undefined;
  if (fromCaller && !BACKEND_ORDER.includes(fromCaller)) {
    throw new Error(`initBackend: unknown backend '${fromCaller}'; expected one of auto, ${BACKEND_ORDER.join(', ')}`);
  }
  const fromEnv = fromCaller ? undefined : parseBackendName(process.env.SIMCLR_BACKEND, 'SIMCLR_BACKEND');
  const requested = fromCaller ?? fromEnv;
  const allowSoftware = options.allowSoftwareAdapter ?? ['1', 'true', 'yes'].includes((process.env.SIMCLR_ALLOW_SOFTWARE_GPU ?? '').toLowerCase());
  const skipped: SkippedBackend[] = [];
  const candidates = requested ? [requested] : BACKEND_ORDER;

  for (const name of candidates) {
    const attempt = await tryBackend(name, requested !== undefined, allowSoftware);
    if (!attempt.ok) {
      if (requested) {
        const source = fromCaller ? 'requested by the caller' : 'requested by SIMCLR_BACKEND';
        throw new BackendUnavailableError(name, `${attempt.skip.reason} (${source})`, INSTALL_HINTS[name]);
      }
      skipped.push(attempt.skip);
      continue;
    }
    await tf.ready();
    const fastKernels = options.fastKernels === false ? [] : registerFastKernels(name);
    const report: BackendReport = {
      backend: name,
      tfBackend: tf.getBackend(),
      device: attempt.device,
      onGpu: attempt.onGpu,
      softwareAdapter: attempt.softwareAdapter,
      requestedBy: fromCaller ? 'caller' : fromEnv ? 'environment' : 'auto',
      skipped,
      fastKernels,
    };
    if (attempt.tensorflowVersion) report.tensorflowVersion = attempt.tensorflowVersion;
    if (name === 'wasm') {
      const native = loadNativeConv();
      const used = native.available && fastKernels.includes('Conv2D');
      report.native = used ? native.detail : `not used: ${options.fastKernels === false ? 'fast kernels turned off' : native.detail}`;
      report.device += used ? `; convolutions on oneDNN, ${native.threads} threads` : ', one thread';
    }
    if (options.log) console.log(formatBackendReport(report));
    return withSelfDisplay(report, formatBackendReport, backendReportHtml);
  }
  // cpu is always last and always works; reaching here means even it failed.
  throw new Error(`initBackend: no backend could be initialised: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}`);
}

/**
 * A backend report as text: a few lines (backend, device, every skipped option with its reason, fast kernels,
 * the oneDNN addon), or with `brief` one calm line for the top of a notebook, e.g.
 * `backend: wasm on WebAssembly on AMD EPYC (2 cores); convolutions on oneDNN, 2 threads (2 options skipped; details: formatBackendReport(report))`.
 */
export function formatBackendReport(report: BackendReport, options: { brief?: boolean } = {}): string {
  if (options.brief) {
    const skipped = report.skipped.length ? `; ${report.skipped.length} other option${report.skipped.length === 1 ? '' : 's'} skipped (details: formatBackendReport(report))` : '';
    const requested = report.requestedBy === 'auto' ? '' : ` (requested by ${report.requestedBy})`;
    return `backend: ${report.backend}${requested} — ${report.device}${report.onGpu ? ' [GPU]' : ''}${skipped}`;
  }
  const lines = [`backend: ${report.backend} (${report.requestedBy === 'auto' ? 'best available' : `requested by ${report.requestedBy}`})`, `device:  ${report.device}${report.onGpu ? ' [GPU]' : ''}`];
  for (const s of report.skipped) lines.push(`skipped: ${s.backend} — ${s.status}: ${s.reason}`);
  if (report.fastKernels.length) lines.push(`fast kernels: ${report.fastKernels.join(', ')}`);
  if (report.native) lines.push(`convolutions: ${report.native}`);
  return lines.join('\n');
}

/** The report as an HTML table: the chosen backend and device, then each skipped option with its reason. */
export function backendReportHtml(report: BackendReport): string {
  const rows: string[][] = [[report.backend, 'chosen', `${report.device}${report.onGpu ? ' [GPU]' : ''}`]];
  for (const s of report.skipped) rows.push([s.backend, `skipped: ${s.status}`, s.reason]);
  if (report.fastKernels.length) rows.push(['', 'fast kernels', report.fastKernels.join(', ')]);
  if (report.native) rows.push(['', 'convolutions', report.native]);
  return simpleTableHtml(['backend', 'status', 'device / reason'], rows);
}
