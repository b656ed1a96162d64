/**
 * Letting the library's own result objects (backend report, training result, probe report) show themselves in
 * Jupyter as a compact table instead of an object dump, through the Jupyter display protocol
 * (`[Symbol.for('Jupyter.display')]()` → MIME bundle, the convention of Deno's kernel, understood by this
 * project's tslab wrapper and `toMimeBundle`). Dependency-free so any module can use it.
 */

/** The protocol's method key (the same registered symbol as `displaySymbol`). */
const DISPLAY = Symbol.for('Jupyter.display');

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A small HTML table: a header row and rows of cells (numbers printed as given; format them first). */
export function simpleTableHtml(headers: string[], rows: (string | number)[][], caption?: string): string {
  const cell = (tag: 'th' | 'td', v: string | number) => `<${tag} style="text-align:${typeof v === 'number' ? 'right' : 'left'};padding:2px 8px">${escapeHtml(String(v))}</${tag}>`;
  const head = `<tr>${headers.map((h) => cell('th', h)).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${r.map((v) => cell('td', v)).join('')}</tr>`).join('');
  return `<table>${caption ? `<caption style="text-align:left">${escapeHtml(caption)}</caption>` : ''}${head}${body}</table>`;
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
