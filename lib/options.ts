/** The option helpers every layer shares: merging an options object over documented defaults, and integer checks. */

/**
 * Merge options over defaults, ignoring keys whose value is undefined (so `{temperature: undefined}` keeps the
 * default). Keys of `options` that `defaults` lacks are kept too. Returns a new object; neither input is changed.
 */
export function withDefaults<T extends object>(defaults: T, options: Partial<T> | undefined): T {
  const merged = { ...defaults };
  if (options != null) {
    for (const key of Object.keys(options) as (keyof T)[]) {
      if (options[key] !== undefined) merged[key] = options[key] as T[keyof T];
    }
  }
  return merged;
}
