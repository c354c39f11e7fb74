/**
 * What the routing placeholders need to know about a tier. Structural on
 * purpose: a `WeirConfig` (whose `tiers` carry these fields and more) can be
 * passed as it is, without this package depending on @weir/config.
 */
export interface LadderTier {
  /** The tier's name, also a model name clients may ask for (e.g. "small"). */
  readonly name: string;
  /** Accept threshold for the QE score when this tier is a non-final rung (0..1). */
  readonly qeThreshold: number;
}

/** The model name that asks Weir to choose: the whole ladder, cheapest first. */
export const AUTO_MODEL = "weir-auto";
