/** The option helpers every layer shares: merging an options object over documented defaults, and integer checks. */

/**
 * Merge options over defaults, ignoring keys whose value is undefined (so `{temperature: undefined}` keeps the
 * default). Keys of `options` that `defaults` lacks are kept too. Returns a new object; neither input is changed.
 */
export function withDefaults<D extends object, O extends object>(defaults: D, options: O | undefined): D & O {
  const merged: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  if (options != null) {
    for (const [key, value] of Object.entries(options)) {
      if (value !== undefined) merged[key] = value;
    }
  }
  return merged as D & O;
}

/** The value as a positive integer, or an Error naming the option (`what`, e.g. 'knnPredict: k') and the value received. */
export function checkPositiveInteger(what: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(`${what} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}
