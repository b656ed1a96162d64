/** Tables of results (probe accuracies, run summaries) as HTML for notebooks and as aligned text for terminals. */
import { checkNonNegativeInteger, describeValue, escapeHtml } from './internal';
import { withDefaults } from '../options';

/** Table rows: objects keyed by column name, or arrays in column order (then `columns` is required). */
export type TableRows = Record<string, unknown>[] | unknown[][];

export interface TableOptions {
  /** Decimals for non-integer numbers. */
  decimals?: number;
  /** A caption above the table ('' for none). */
  caption?: string;
  /** Alignment per column (default: numbers right, text left). */
  align?: ('left' | 'right')[];
  /** Draw each row's first cell as a header cell (<th>), e.g. a row index. */
  rowHeaders?: boolean;
  /** Inline CSS of the <table> element (HTML only). */
  style?: string;
}

export const TABLE_DEFAULTS = {
  decimals: 4, // accuracies to 0.01 %, losses to 1e-4
  caption: '',
};

/** Format one cell: integers as they are, other finite numbers with `decimals`, NaN/±Infinity spelled out, null/undefined empty. */
export function formatCell(value: unknown, decimals: number): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : Number.isFinite(value) ? value.toFixed(decimals) : String(value);
  if (typeof value === 'object') return JSON.stringify(value) ?? String(value);
  return String(value);
}

/** Column names and cell strings of a table, validated. @returns header (C,) and cells (R, C), numeric flags per column. */
export function tableCells(rows: TableRows, columns?: string[], options?: TableOptions): { header: string[]; cells: string[][]; numeric: boolean[] } {
  const caller = 'table';
  const { decimals } = withDefaults(TABLE_DEFAULTS, options);
  checkNonNegativeInteger(decimals, 'decimals', caller);
  if (!Array.isArray(rows)) throw new Error(`${caller}: rows must be an array of objects or arrays, got ${describeValue(rows)}`);
  const arrayRows = rows.length > 0 && Array.isArray(rows[0]);
  let header = columns;
  if (header === undefined) {
    if (arrayRows) throw new Error(`${caller}: rows given as arrays need the column names`);
    const seen = new Set<string>();
    for (const row of rows as Record<string, unknown>[]) for (const key of Object.keys(row ?? {})) seen.add(key);
    header = [...seen]; // in first-seen order
  }
  if (!Array.isArray(header) || header.some((c) => typeof c !== 'string')) throw new Error(`${caller}: columns must be an array of strings, got ${describeValue(header)}`);
  const names = header;
  const raw = rows.map((row, r) => {
    if (Array.isArray(row)) {
      if (row.length !== names.length) throw new Error(`${caller}: row ${r} has ${row.length} cells for ${names.length} columns`);
      return row;
    }
    if (row === null || typeof row !== 'object') throw new Error(`${caller}: row ${r} must be an object or an array, got ${describeValue(row)}`);
    return names.map((name) => (row as Record<string, unknown>)[name]);
  });
  const numeric = names.map((_, c) => raw.length > 0 && raw.every((row) => typeof row[c] === 'number' || row[c] == null));
  return { header: names, cells: raw.map((row) => row.map((value) => formatCell(value, decimals))), numeric };
}

/**
 * An HTML <table>: a header row, then one row per entry; numbers right-aligned (or as `align` says), all text
 * escaped. The one table builder of the workbench (result tables, tensor tables, the library's report objects).
 */
export function tableHtml(rows: TableRows, columns?: string[], options?: TableOptions): string {
  const { header, cells, numeric } = tableCells(rows, columns, options);
  if (options?.align !== undefined && (!Array.isArray(options.align) || options.align.some((a) => a !== 'left' && a !== 'right'))) {
    throw new Error(`table: align must be an array of 'left' / 'right', got ${describeValue(options.align)}`);
  }
  const caption = options?.caption ? `<caption style="text-align:left">${escapeHtml(options.caption)}</caption>` : '';
  const align = (c: number) => ` style="text-align:${options?.align?.[c] ?? (numeric[c] ? 'right' : 'left')}"`;
  const head = `<tr>${header.map((name, c) => `<th${align(c)}>${escapeHtml(name)}</th>`).join('')}</tr>`;
  const cell = (text: string, c: number) => {
    const tag = options?.rowHeaders && c === 0 ? 'th' : 'td';
    return `<${tag}${align(c)}>${escapeHtml(text)}</${tag}>`;
  };
  const body = cells.map((row) => `<tr>${row.map(cell).join('')}</tr>`).join('\n');
  const style = options?.style ? ` style="${escapeHtml(options.style)}"` : '';
  return `<table class="simclr-workbench-table"${style}>${caption}\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** The same table as monospaced text: columns padded to their widest cell, numbers right-aligned. */
export function tableText(rows: TableRows, columns?: string[], options?: TableOptions): string {
  const { header, cells, numeric } = tableCells(rows, columns, options);
  const widths = header.map((name, c) => Math.max(name.length, ...cells.map((row) => row[c].length)));
  const line = (row: string[]) => row.map((cell, c) => (numeric[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [...(options?.caption ? [options.caption] : []), line(header), rule, ...cells.map(line)].join('\n');
}
