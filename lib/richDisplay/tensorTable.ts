/** A small 2-D tensor as an HTML table (the text/html of its MIME bundle). */
import * as tf from '@tensorflow/tfjs';
import { RichDisplayOptions, resolveRichDisplayOptions } from './options';
import { formatNumber } from './tensorText';

/** Escapes the five HTML special characters (&, <, >, ", '). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Whether a tensor is drawn as a table: rank 2, not disposed, within maxTableRows × maxTableColumns, not complex. */
export function isTableShaped(tensor: tf.Tensor, options?: RichDisplayOptions): boolean {
  const { maxTableRows, maxTableColumns } = resolveRichDisplayOptions(options);
  const [rows = 0, columns = 0] = tensor.shape as number[];
  return tensor.rank === 2 && !tensor.isDisposed && tensor.dtype !== 'complex64' && rows <= maxTableRows && columns <= maxTableColumns;
}

/**
 * An (R, C) tensor as `<table>`: a caption with dtype and shape, a header row of column indices, then one row per
 * tensor row led by its index. Floats with `significantDigits` significant digits, booleans as true/false,
 * strings escaped. Throws when the tensor is not table-shaped (see isTableShaped).
 */
export function tensorTableHtml(tensor: tf.Tensor, options?: RichDisplayOptions): string {
  const { significantDigits, maxTableRows, maxTableColumns } = resolveRichDisplayOptions(options);
  if (!isTableShaped(tensor, options)) {
    throw new Error(
      `tensorTableHtml: expected a live rank-2 tensor of at most ${maxTableRows}×${maxTableColumns}, ` +
        `got ${tensor.dtype} [${tensor.shape.join(', ')}]${tensor.isDisposed ? ' (disposed)' : ''}`,
    );
  }
  const [rows, columns] = tensor.shape as [number, number];
  const values = tensor.dataSync() as ArrayLike<number | string | Uint8Array>;
  const cell = (value: number | string | Uint8Array): string => {
    if (tensor.dtype === 'bool') return value ? 'true' : 'false';
    if (typeof value === 'number') return formatNumber(value, significantDigits);
    return escapeHtml(typeof value === 'string' ? value : new TextDecoder().decode(value));
  };
  const align = tensor.dtype === 'string' ? 'left' : 'right';
  const lines = [
    '<table class="simclr-tensor" style="border-collapse:collapse;font-family:monospace">',
    `<caption style="text-align:left">Tensor ${tensor.dtype} [${rows}, ${columns}]</caption>`,
    '<thead><tr><th></th>' + range(columns).map((c) => `<th>${c}</th>`).join('') + '</tr></thead>',
    '<tbody>',
  ];
  for (const r of range(rows)) {
    const cells = range(columns).map((c) => `<td style="text-align:${align}">${cell(values[r * columns + c])}</td>`);
    lines.push(`<tr><th>${r}</th>${cells.join('')}</tr>`);
  }
  lines.push('</tbody>', '</table>');
  return lines.join('\n');
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
