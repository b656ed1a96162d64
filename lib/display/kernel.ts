/** Where display output goes: the running Jupyter kernel's display_data writer (tslab's, or the workbook wrapper's). */
import * as path from 'path';
import type { MimeBundle } from './mime';

/** What goes into one display_data / update_display_data message. */
export interface DisplayContent {
  data: MimeBundle;
  metadata: object;
  /** `{display_id}` names an output that update_display_data can replace later (live charts). */
  transient: { display_id?: string };
}

/** Sends one display message: display_data, or update_display_data when `update` (tslab's writer has this shape). */
export type DisplayDataWriter = (content: DisplayContent, update: boolean) => void;

/**
 * The running cell's display writer, or undefined outside a kernel (plain Node, tests). tslab's jupyter module keeps
 * it in `lastWriteDisplayData` (the workbook's wrapper kernel sets it to the running cell's); it is looked up among
 * the loaded modules, so tslab (and its TypeScript compiler) is never loaded by this.
 */
export function kernelDisplayWriter(): DisplayDataWriter | undefined {
  const suffix = path.join('tslab', 'dist', 'jupyter.js');
  for (const [file, loaded] of Object.entries(require.cache)) {
    if (!file.endsWith(suffix)) continue;
    const writer = (loaded?.exports as { lastWriteDisplayData?: unknown } | undefined)?.lastWriteDisplayData;
    if (typeof writer === 'function') return writer as DisplayDataWriter;
  }
  return undefined;
}
