/** Helpers shared by the display modules (not re-exported from the package). */

/** A short description of a value for error messages ("an array of length 3", "string 'a'", "a Float32Array of length 4"). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of length ${(value as unknown as ArrayLike<number>).length}`;
  return `${typeof value === 'object' ? 'an object' : typeof value} (${Object.prototype.toString.call(value)})`;
}

/** True for arrays and typed arrays of numbers (anything indexable with a numeric length, except strings). */
export function isArrayLikeOfNumbers(value: unknown): value is ArrayLike<number> {
  if (Array.isArray(value)) return value.every((v) => typeof v === 'number');
  return ArrayBuffer.isView(value) && !(value instanceof DataView) && typeof (value as unknown as ArrayLike<number>).length === 'number';
}

/** Throw unless value is a non-negative integer. */
export function checkNonNegativeInteger(value: unknown, name: string, caller: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new Error(`${caller}: ${name} must be a non-negative integer, got ${describeValue(value)}`);
  }
  return value;
}

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
