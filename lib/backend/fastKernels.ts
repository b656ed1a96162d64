/** Hook between backend selection and the fast kernels of lib/kernels (kept separate so either can change alone). */
import type { BackendName } from './types';

/** Register the library's fast training kernels for a backend; returns the kernel names replaced. */
export function registerFastKernelsFor(backend: BackendName): string[] {
  // lib/kernels is loaded lazily so that choosing a backend never fails because of a kernel module.
  let kernels: { registerFastKernels?: (name: string) => string[] } | undefined;
  try {
    kernels = require('../kernels');
  } catch (err) {
    if ((err as { code?: string }).code === 'MODULE_NOT_FOUND') return [];
    throw err;
  }
  return kernels?.registerFastKernels ? kernels.registerFastKernels(backend === 'tensorflow' ? 'tensorflow' : backend) : [];
}
