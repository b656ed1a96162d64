/**
 * Showing things in a notebook: charts, HTML, images, tables and any value as MIME bundles sent to the running
 * Jupyter kernel (display_data), or a short text description outside a kernel.
 */
import { PlotlyFigure } from './figureBase';
import { FigureHtmlOptions, figureHtml } from './html';
import { describeValue } from './internal';
import { DisplayDataWriter, kernelDisplayWriter } from './kernel';
import { MimeBundle, PLOTLY_MIME } from './mime';
import { plotlyLoaderEmitted, resetPlotlyLoader } from './plotlyLoader';
import { TableOptions, TableRows, tableHtml, tableText } from './table';
import { RichDisplayOptions } from './tensorOptions';
import { toMimeBundle } from './toMimeBundle';

/** What show() accepts: a plotly figure, an HTML string, or PNG / JPEG bytes (e.g. from imageGridPng). */
export type Showable = PlotlyFigure | string | Uint8Array;

/** Where output goes; for tests and other kernels. */
export interface DisplayTarget {
  /** Receives each display message (default: the running kernel's writer, see kernelDisplayWriter). */
  writer?: DisplayDataWriter;
  /** Receives the text description when there is no writer (default console.log). */
  print?: (line: string) => void;
}

export interface ShowOptions extends FigureHtmlOptions, DisplayTarget {}

/** 'png', 'jpeg' or undefined, from the file signature. */
function imageKind(bytes: Uint8Array): 'png' | 'jpeg' | undefined {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return undefined;
}

/** Whether a value is a plotly figure {data: [...], layout: {...}}. */
export function isFigure(value: unknown): value is PlotlyFigure {
  const figure = value as PlotlyFigure;
  return figure != null && typeof figure === 'object' && Array.isArray(figure.data) && typeof figure.layout === 'object' && figure.layout !== null;
}

/**
 * One-line text description of a showable, for terminals and logs (and the text/plain of its bundle): a figure's
 * title and traces, an HTML snippet's size and first text, an image's format, size in pixels (PNG) and bytes.
 */
export function describeShowable(item: Showable): string {
  if (isFigure(item)) {
    const title = (item.layout.title as { text?: string } | undefined)?.text;
    const traces = item.data.map((trace) => `${trace.type}${typeof trace.name === 'string' ? ` '${trace.name}'` : ''}`);
    return `[figure${title ? ` '${title}'` : ''}: ${item.data.length} trace${item.data.length === 1 ? '' : 's'}${traces.length ? ` (${traces.join(', ')})` : ''}]`;
  }
  if (typeof item === 'string') {
    const text = item.replace(/<script[\s\S]*?<\/script>/gi, ' ').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
    return `[html: ${item.length} characters${text ? `, text '${text.length > 60 ? `${text.slice(0, 60)}…` : text}'` : ''}]`;
  }
  if (item instanceof Uint8Array) {
    const kind = imageKind(item);
    if (kind === 'png') {
      const view = new DataView(item.buffer, item.byteOffset, item.byteLength);
      const size = item.length >= 24 ? ` ${view.getUint32(16)}×${view.getUint32(20)}` : '';
      return `[png${size} image, ${item.length} bytes]`;
    }
    if (kind === 'jpeg') return `[jpeg image, ${item.length} bytes]`;
  }
  if (typeof (item as { then?: unknown } | null)?.then === 'function') {
    throw new Error('show: got a Promise; await it first, e.g. show(await imageGridPng(...))');
  }
  throw new Error(`show: expected a plotly figure {data, layout}, an HTML string or PNG/JPEG bytes, got ${describeValue(item)}`);
}

/**
 * A chart's MIME bundle: `application/vnd.plotly.v1+json` (what JupyterLab draws, through jupyterlab-plotly, also
 * in an untrusted notebook), `text/html` from figureHtml (the fallback for nbconvert's HTML export and the classic
 * Notebook; the first of a kernel session carries plotly.js) and `text/plain` (describeShowable).
 */
export function figureBundle(figure: PlotlyFigure, options: FigureHtmlOptions = {}): MimeBundle {
  const text = describeShowable(figure); // validates
  return {
    [PLOTLY_MIME]: { data: figure.data, layout: figure.layout, config: { responsive: true } },
    'text/html': figureHtml(figure, options),
    'text/plain': text,
  };
}

/** The MIME bundle of a showable (see figureBundle for charts). */
export function showableBundle(item: Showable, options: FigureHtmlOptions = {}): MimeBundle {
  const text = describeShowable(item); // validates
  if (isFigure(item)) return figureBundle(item, options);
  if (typeof item === 'string') return { 'text/html': item, 'text/plain': text };
  const base64 = Buffer.from(item.buffer, item.byteOffset, item.byteLength).toString('base64');
  return { [imageKind(item) === 'png' ? 'image/png' : 'image/jpeg']: base64, 'text/plain': text };
}

/**
 * Sends a bundle to `writer` (display_data, or update_display_data when `update`), or prints its text/plain when
 * there is no writer or the writer throws. @returns whether the bundle was sent.
 */
export function sendBundle(bundle: MimeBundle, target: DisplayTarget & { displayId?: string; update?: boolean }): boolean {
  const writer = target.writer ?? kernelDisplayWriter();
  const print = target.print ?? ((line: string) => console.log(line));
  if (!writer) {
    print(bundle['text/plain']);
    return false;
  }
  try {
    writer({ data: bundle, metadata: {}, transient: target.displayId ? { display_id: target.displayId } : {} }, target.update === true);
    return true;
  } catch (error) {
    print(`${bundle['text/plain']} (display failed: ${error instanceof Error ? error.message : String(error)})`);
    return false;
  }
}

/**
 * Display a figure (see figureBundle), an HTML string, or PNG/JPEG bytes in the notebook. Outside a kernel (plain
 * Node, tests) it prints describeShowable(item) instead and never throws for valid input. Returns nothing, so a
 * `show(...)` on a cell's last line adds no extra output.
 */
export function show(item: Showable, options: ShowOptions = {}): void {
  const description = describeShowable(item); // validates
  const writer = options.writer ?? kernelDisplayWriter();
  if (!writer) {
    (options.print ?? ((line: string) => console.log(line)))(description);
    return;
  }
  const loaderWasEmitted = plotlyLoaderEmitted();
  const sent = sendBundle(showableBundle(item, options), { ...options, writer });
  if (!sent && !loaderWasEmitted) resetPlotlyLoader(); // the loader did not reach the page: the next chart must carry it
}

/**
 * Display rows as a table: a bundle with the HTML table and the aligned text (see tableHtml / tableText), or the
 * text alone outside a kernel. @param rows objects keyed by column, or arrays (then columns is required).
 */
export function showTable(rows: TableRows, columns?: string[], options: TableOptions & DisplayTarget = {}): void {
  const text = tableText(rows, columns, options); // validates
  const writer = options.writer ?? kernelDisplayWriter();
  if (!writer) {
    (options.print ?? ((line: string) => console.log(line)))(text);
    return;
  }
  sendBundle({ 'text/html': tableHtml(rows, columns, options), 'text/plain': text }, { ...options, writer });
}

/**
 * Shows `value` as a display_data output of the running cell (tensor tables and images, Jupyter.display objects:
 * see toMimeBundle); outside a kernel, prints its text/plain. Await it (`await display(x)`) so the output arrives
 * before the cell ends; the cell is chosen when display() is called. Resolves to the bundle sent.
 */
export async function display(value: unknown, options?: RichDisplayOptions & DisplayTarget): Promise<MimeBundle> {
  const writer = options?.writer ?? kernelDisplayWriter(); // taken now: the output belongs to the calling cell
  const bundle = await toMimeBundle(value, options);
  sendBundle(bundle, { writer, print: options?.print });
  return bundle;
}
