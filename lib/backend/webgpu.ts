/** WebGPU in Node through Dawn (`webgpu` package): adapter discovery and registering tfjs-backend-webgpu. */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** What the adapter says about itself (WebGPU `GPUAdapterInfo`). */
export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** llvmpipe/lavapipe, SwiftShader, WARP or an adapter marked as fallback. */
  software: boolean;
}

export interface WebGpuProbe {
  ok: boolean;
  status?: 'not installed' | 'no adapter' | 'failed to load';
  reason: string;
  adapter?: AdapterSummary;
}

let dawnGpu: unknown = null; // kept alive for the life of the process: tfjs holds devices made from it

const SOFTWARE_PATTERN = /llvmpipe|lavapipe|swiftshader|software|warp|microsoft basic render/i;

/** Summarise an adapter's info and decide whether it is a software rasteriser. */
export function summarizeAdapter(adapter: any): AdapterSummary {
  const info = adapter?.info ?? {};
  const summary = {
    vendor: String(info.vendor ?? ''),
    architecture: String(info.architecture ?? ''),
    device: String(info.device ?? ''),
    description: String(info.description ?? ''),
  };
  const text = `${summary.vendor} ${summary.architecture} ${summary.device} ${summary.description}`;
  return { ...summary, software: adapter?.isFallbackAdapter === true || SOFTWARE_PATTERN.test(text) };
}

/** A readable name for the adapter, e.g. 'NVIDIA H200 (nvidia, Vulkan)'. */
export function adapterName(a: AdapterSummary): string {
  const main = a.description || a.device || a.vendor || 'unknown GPU';
  return a.software ? `${main} [software adapter]` : main;
}

function ensureRuntimeDir(): void {
  // Dawn's Vulkan loader wants a writable XDG_RUNTIME_DIR on Linux.
  if (process.platform === 'linux' && !process.env.XDG_RUNTIME_DIR) {
    const dir = path.join(os.tmpdir(), `simclr-xdg-${process.getuid?.() ?? 'user'}`);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    process.env.XDG_RUNTIME_DIR = dir;
  }
}

/** Create Dawn's `navigator.gpu` (once) and ask it for an adapter. Does not touch tfjs. */
export async function probeWebGpu(): Promise<WebGpuProbe> {
  let dawn: { create: (flags: string[]) => any; globals: Record<string, unknown> };
  try {
    dawn = require('webgpu');
  } catch (err) {
    const e = err as { code?: string; message: string };
    if (e.code === 'MODULE_NOT_FOUND') return { ok: false, status: 'not installed', reason: "the 'webgpu' package (Dawn for Node) is not installed" };
    return { ok: false, status: 'failed to load', reason: `the 'webgpu' package failed to load: ${e.message.split('\n')[0]}` };
  }
  try {
    ensureRuntimeDir();
    if (!dawnGpu) {
      Object.assign(globalThis, dawn.globals);
      dawnGpu = dawn.create([]);
    }
    const nav = (globalThis as any).navigator;
    if (!nav || nav.gpu !== dawnGpu) {
      Object.defineProperty(globalThis, 'navigator', { value: { ...(nav ?? {}), gpu: dawnGpu }, configurable: true, writable: true });
    }
    const adapter = await (dawnGpu as any).requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) {
      return { ok: false, status: 'no adapter', reason: 'Dawn found no GPU adapter (no Vulkan/Metal/D3D12 driver with a usable device)' };
    }
    return { ok: true, reason: 'adapter found', adapter: summarizeAdapter(adapter) };
  } catch (err) {
    return { ok: false, status: 'failed to load', reason: `Dawn failed: ${(err as Error).message.split('\n')[0]}` };
  }
}

/**
 * Ask for an adapter in a child Node process, so that Dawn's start-up warnings on stderr (e.g. "maxDynamic…
 * artificially reduced …", printed by its C++ code straight to the process's stderr, where no JavaScript can
 * catch them) go to a pipe that is dropped instead of into a notebook's output or a log. Automatic backend
 * selection uses this to skip a machine with no GPU or only a software adapter without creating Dawn in this
 * process at all; Dawn is created here only for a backend that will really be used (probeWebGpu).
 * Costs one short child process (about a second). Never throws.
 */
export function probeWebGpuIsolated(timeoutMs = 60_000): Promise<WebGpuProbe> {
  let modulePath: string;
  try {
    modulePath = require.resolve('webgpu');
  } catch {
    return Promise.resolve({ ok: false, status: 'not installed', reason: "the 'webgpu' package (Dawn for Node) is not installed" });
  }
  ensureRuntimeDir();
  const script = `
    const dawn = require(${JSON.stringify(modulePath)});
    Object.assign(globalThis, dawn.globals);
    dawn.create([]).requestAdapter({ powerPreference: 'high-performance' }).then((a) => {
      process.stdout.write(JSON.stringify(a ? { info: { vendor: a.info?.vendor, architecture: a.info?.architecture, device: a.info?.device, description: a.info?.description }, isFallbackAdapter: a.isFallbackAdapter === true } : null));
      process.exit(0);
    }, (e) => { process.stdout.write(JSON.stringify({ error: String(e && e.message || e) })); process.exit(0); });`;
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', script], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 1 << 20 }, (error, stdout) => {
      let reply: any;
      try {
        reply = JSON.parse(stdout);
      } catch {
        const detail = error ? error.message.split('\n')[0] : 'no reply';
        resolve({ ok: false, status: 'failed to load', reason: `Dawn failed in a probe process: ${detail}` });
        return;
      }
      if (reply === null) resolve({ ok: false, status: 'no adapter', reason: 'Dawn found no GPU adapter (no Vulkan/Metal/D3D12 driver with a usable device)' });
      else if (reply.error) resolve({ ok: false, status: 'failed to load', reason: `Dawn failed: ${String(reply.error).split('\n')[0]}` });
      else resolve({ ok: true, reason: 'adapter found', adapter: summarizeAdapter(reply) });
    });
  });
}

/** Load tfjs-backend-webgpu after `navigator.gpu` exists, so that it registers the 'webgpu' backend. */
export function registerTfjsWebGpu(): void {
  require('@tensorflow/tfjs-backend-webgpu');
}
