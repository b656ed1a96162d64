/** Settings of the rich display (tensor → text, HTML table, PNG), merged over documented defaults. */

export interface RichDisplayOptions {
  /** Largest row count of a 2-D tensor shown as an HTML table (default 20: a table that fits a screen). */
  maxTableRows?: number;
  /** Largest column count of a 2-D tensor shown as an HTML table (default 20: keeps rows readable). */
  maxTableColumns?: number;
  /** Significant digits of float values in tables and text (default 4: enough to compare, short enough to scan). */
  significantDigits?: number;
  /** Values listed in the text of a tensor of rank > 2 (default 8: a glimpse, not a dump). */
  previewValues?: number;
  /** Smallest height and width (pixels) for an (H, W, 1|3) tensor to be drawn as an image (default 8: smaller ones are more likely data than pictures). */
  minImageSide?: number;
  /** Most images drawn from a batch (N, H, W, 1|3) (default 64: an 8×8 grid). */
  maxImages?: number;
  /** Small images are enlarged (nearest neighbour, whole factors) until their longer side reaches this many pixels (default 96: a 28×28 digit is drawn 3× larger, a 32×32 crop 3×). */
  targetImageSide?: number;
  /** Largest enlargement factor (default 8). */
  maxImageScale?: number;
  /** Pixels between images of a batch grid, drawn mid-grey (default 2: separates black and white images alike). */
  imageGap?: number;
}

export const RICH_DISPLAY_DEFAULTS: Required<RichDisplayOptions> = {
  maxTableRows: 20,
  maxTableColumns: 20,
  significantDigits: 4,
  previewValues: 8,
  minImageSide: 8,
  maxImages: 64,
  targetImageSide: 96,
  maxImageScale: 8,
  imageGap: 2,
};

/** Merges `options` over the defaults and checks every value (whole numbers, in range). */
export function resolveRichDisplayOptions(options: RichDisplayOptions = {}): Required<RichDisplayOptions> {
  const resolved = { ...RICH_DISPLAY_DEFAULTS, ...options };
  const minimum: Record<keyof RichDisplayOptions, number> = {
    maxTableRows: 1,
    maxTableColumns: 1,
    significantDigits: 1,
    previewValues: 0,
    minImageSide: 1,
    maxImages: 1,
    targetImageSide: 1,
    maxImageScale: 1,
    imageGap: 0,
  };
  for (const key of Object.keys(minimum) as (keyof RichDisplayOptions)[]) {
    const value = resolved[key];
    if (!Number.isInteger(value) || value < minimum[key]) {
      throw new Error(`rich display option ${key}: expected a whole number >= ${minimum[key]}, got ${String(value)}`);
    }
  }
  if (resolved.significantDigits > 21) {
    throw new Error(`rich display option significantDigits: expected at most 21, got ${resolved.significantDigits}`);
  }
  return resolved;
}
