/** Display charts, HTML, images and tables in a tslab notebook, or print a short text description elsewhere. */
import * as path from 'path';
import { PlotlyFigure } from './figureBase';
import { FigureHtmlOptions, figureHtml } from './html';
import { describeValue } from './internal';
import { plotlyLoaderEmitted, resetPlotlyLoader } from './plotlyLoader';
import { TableOptions, TableRows, tableHtml, tableText } from './table';

/** Where rich output goes: tslab's `display` has this shape (text/html, image/png, image/jpeg outputs). */
export interface DisplaySink {
  html(html: string): void;
  png(bytes: Uint8Array): void;
  jpeg(bytes: Uint8Array): void;
}

/** What show() accepts: a plotly figure, an HTML string, or PNG / JPEG bytes (e.g. from imageGridPng). */
export type Showable = PlotlyFigure | string | Uint8Array;

export interface ShowOptions extends FigureHtmlOptions {
  /** Send output here instead of the detected tslab display (tests; other kernels with the same API). */
  display?: DisplaySink;
  /** Where the text description goes when there is no display (default console.log). */
  print?: (line: string) => void;
}

/**
 * tslab's display when this code runs inside a tslab kernel, else undefined. Looked up without importing tslab at
 * module load (it pulls in a TypeScript compiler): first through `globalThis.__tslab__.require('tslab')`, the
 * require tslab gives notebook code (its hook returns the kernel's own tslab, whichever copy that is); then
 * through an already-loaded tslab whose Jupyter connection is live. Outside a kernel tslab's display throws
 * "Not ready", so plain Node scripts and tests get undefined here.
 */
export function tslabDisplay(): DisplaySink | undefined {
  const hook = (globalThis as { __tslab__?: { require?: (id: string) => unknown } }).__tslab__;
  try {
    const display = (hook?.require?.('tslab') as { display?: DisplaySink } | undefined)?.display;
    if (isSink(display)) return display;
  } catch {
    // not a tslab kernel after all
  }
  for (const file of Object.keys(require.cache)) {
    if (!file.endsWith(path.join('tslab', 'dist', 'jupyter.js'))) continue;
    if ((require.cache[file]?.exports as { lastWriteDisplayData?: unknown }).lastWriteDisplayData == null) continue;
    try {
      const display = (require(path.join(path.dirname(file), 'public.js')) as { display?: DisplaySink }).display;
      if (isSink(display)) return display;
    } catch {
      // an unexpected tslab layout: fall back to text
    }
  }
  return undefined;
}

function isSink(value: unknown): value is DisplaySink {
  const sink = value as DisplaySink | undefined;
  return sink != null && typeof sink.html === 'function' && typeof sink.png === 'function';
}

/** 'png', 'jpeg' or undefined, from the file signature. */
function imageKind(bytes: Uint8Array): 'png' | 'jpeg' | undefined {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return undefined;
}

function isFigure(value: unknown): value is PlotlyFigure {
  const figure = value as PlotlyFigure;
  return figure != null && typeof figure === 'object' && Array.isArray(figure.data) && typeof figure.layout === 'object' && figure.layout !== null;
}

/**
 * One-line text description of a showable, for terminals and logs: a figure's title and traces, an HTML snippet's
 * size and first text, an image's format, size in pixels (PNG) and bytes.
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
 * Display a figure (as figureHtml), an HTML string, or PNG/JPEG bytes in the notebook. Outside a tslab kernel (plain
 * Node, tests) it prints describeShowable(item) instead and never throws for valid input. Returns nothing, so a
 * `show(...)` on a cell's last line adds no extra output.
 */
export function show(item: Showable, options: ShowOptions = {}): void {
  const description = describeShowable(item); // validates
  const sink = options.display ?? tslabDisplay();
  const print = options.print ?? ((line: string) => console.log(line));
  if (!sink) {
    print(description);
    return;
  }
  const loaderWasEmitted = plotlyLoaderEmitted();
  const html = isFigure(item) ? figureHtml(item, options) : typeof item === 'string' ? item : undefined;
  try {
    if (html !== undefined) sink.html(html);
    else if (imageKind(item as Uint8Array) === 'png') sink.png(item as Uint8Array);
    else sink.jpeg(item as Uint8Array);
  } catch (error) {
    if (!loaderWasEmitted) resetPlotlyLoader(); // the loader did not reach the page: the next chart must carry it
    print(`${description} (display failed: ${error instanceof Error ? error.message : String(error)})`);
  }
}

/**
 * Display rows as a table: HTML in a notebook, aligned text elsewhere (see tableHtml / tableText for the formats).
 * @param rows objects keyed by column, or arrays (then columns is required). @param columns names and order.
 */
export function showTable(rows: TableRows, columns?: string[], options: TableOptions & Pick<ShowOptions, 'display' | 'print'> = {}): void {
  const sink = options.display ?? tslabDisplay();
  const print = options.print ?? ((line: string) => console.log(line));
  if (sink) {
    const html = tableHtml(rows, columns, options); // validates
    try {
      sink.html(html);
      return;
    } catch (error) {
      print(`(table display failed: ${error instanceof Error ? error.message : String(error)})`);
    }
  }
  print(tableText(rows, columns, options));
}
