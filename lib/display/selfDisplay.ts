/**
 * Letting the library's own result objects (backend report, training result, probe report) show themselves in
 * Jupyter as a compact table instead of an object dump, through the Jupyter display protocol
 * (`[Symbol.for('Jupyter.display')]()` → MIME bundle, the convention of Deno's kernel, understood by this
 * project's tslab wrapper and `toMimeBundle`). Free of tfjs, so any module can use it.
 */
import { tableHtml } from './table';

/** The protocol's method key (the same registered symbol as `displaySymbol`). */
const DISPLAY = Symbol.for('Jupyter.display');

/**
 * A small HTML table: a header row and rows of cells, numbers printed as given (format them first) and
 * right-aligned by the first row's types (tableHtml).
 */
export function simpleTableHtml(headers: string[], rows: (string | number)[][], caption?: string): string {
  const align = headers.map((_, c) => (typeof rows[0]?.[c] === 'number' ? 'right' : 'left') as 'left' | 'right');
  return tableHtml(rows.map((row) => row.map(String)), headers, { caption, align });
}

/**
 * Give `value` a non-enumerable display method returning `{ 'text/plain': text(value), 'text/html': html(value) }`.
 * Non-enumerable and symbol-keyed: JSON.stringify, spreading and deep-equality checks do not see it.
 * @returns the same object.
 */
export function withSelfDisplay<T extends object>(value: T, text: (v: T) => string, html: (v: T) => string): T {
  Object.defineProperty(value, DISPLAY, {
    value: () => ({ 'text/plain': text(value), 'text/html': html(value) }),
    enumerable: false,
    configurable: true,
    writable: true,
  });
  return value;
}
