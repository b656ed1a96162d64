/** A small 2-D tensor as an HTML table (the text/html of its MIME bundle). */
import * as tf from '@tensorflow/tfjs';
import { RichDisplayOptions, resolveRichDisplayOptions } from './tensorOptions';
import { formatNumber } from './tensorText';
import { tableHtml } from './table';

/** Whether a tensor is drawn as a table: rank 2, not disposed, within maxTableRows × maxTableColumns, not complex. */
export function isTableShaped(tensor: tf.Tensor, options?: RichDisplayOptions): boolean {
  const { maxTableRows, maxTableColumns } = resolveRichDisplayOptions(options);
  const [rows = 0, columns = 0] = tensor.shape as number[];
  return tensor.rank === 2 && !tensor.isDisposed && tensor.dtype !== 'complex64' && rows <= maxTableRows && columns <= maxTableColumns;
}

/**
 * An (R, C) tensor as `<table>`: a caption with dtype and shape, a header row of column indices, then one row per
 * tensor row led by its index (tableHtml). Floats with `significantDigits` significant digits, booleans as true/false,
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
    return typeof value === 'string' ? value : new TextDecoder().decode(value);
  };
  const body = range(rows).map((r) => [String(r), ...range(columns).map((c) => cell(values[r * columns + c]))]);
  const header = ['', ...range(columns).map(String)];
  return tableHtml(body, header, {
    caption: `Tensor ${tensor.dtype} [${rows}, ${columns}]`,
    rowHeaders: true,
    align: header.map(() => (tensor.dtype === 'string' ? 'left' : 'right')),
    style: 'border-collapse:collapse;font-family:monospace',
  });
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
