/** display(value): show a value's MIME bundle in the running Jupyter cell, or print its text outside Jupyter. */
import * as path from 'path';
import { MimeBundle, toMimeBundle } from './mimeBundle';
import { RichDisplayOptions } from './options';

/** What tslab's kernel (and the workbook's wrapper kernel) calls to send one display_data message. */
export type DisplayDataWriter = (content: { data: MimeBundle; metadata: object; transient: object }, update: boolean) => void;

/**
 * The running cell's display_data writer, or undefined outside a kernel. Found in tslab's jupyter module among
 * the loaded modules (tslab keeps the current cell's writer in `lastWriteDisplayData`), without loading tslab.
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

/** Where display() sends its output; for tests and other kernels. */
export interface DisplayTarget {
  /** Receives the bundle (default: the running kernel's writer). */
  writer?: DisplayDataWriter;
  /** Receives the text/plain when there is no writer (default console.log). */
  print?: (text: string) => void;
}

/**
 * Shows `value` as a display_data output of the running cell (tensor tables and images, Jupyter.display objects:
 * see toMimeBundle); outside a kernel, prints its text/plain. Await it (`await display(x)`) so the output arrives
 * before the cell ends; the cell is chosen when display() is called. Resolves to the bundle sent.
 */
export async function display(value: unknown, options?: RichDisplayOptions & DisplayTarget): Promise<MimeBundle> {
  const writer = options?.writer ?? kernelDisplayWriter(); // taken now: the output belongs to the calling cell
  const bundle = await toMimeBundle(value, options);
  if (writer) writer({ data: bundle, metadata: {}, transient: {} }, false);
  else (options?.print ?? console.log)(bundle['text/plain']);
  return bundle;
}
