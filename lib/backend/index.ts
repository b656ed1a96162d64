export * from './types';
export { initBackend, formatBackendReport } from './init';
export type { BackendOptions } from './init';
export { probeWebGpu, summarizeAdapter, adapterName } from './webgpu';
export type { AdapterSummary, WebGpuProbe } from './webgpu';
export { loadNativeTensorflow } from './tensorflow';
