/**
 * Calibration bands: how far a modelled energy or area may be from silicon, taken from the held-out
 * errors of `imc-sim calibrate` (never from fitted points). Errors of efficiency and area are
 * ratios, so the band is multiplicative: F = exp(RMS of ln(modelled / published)) over the held-out
 * points, and a figure X is reported with the band [X / F, X · F].
 *
 * The factors are stored (a run does not re-run the calibration); `test/macro-sim/calibration.test.ts`
 * recomputes them from the calibration and checks these values. Derivation (docs/CALIBRATION.md):
 * - energy: the held-out TOPS/W points (Yan, Yue dense, Guo, Chih) — a modelled energy E has band
 *   [E / F_E, E · F_E];
 * - area: the held-out macro areas (ReDCIM, Yan, Guo, Yue, Chih, Colonnade, D6CIM);
 * - relative: the held-out efficiency gains (Metis sparsity, Guo and Colonnade supply, Colonnade precision).
 */

/** Multiplicative energy band from the held-out TOPS/W errors [CAL]. */
export const ENERGY_BAND_FACTOR = 2.55;
/** Multiplicative area band from the held-out macro-area errors [CAL]. */
export const AREA_BAND_FACTOR = 1.72;
/**
 * Multiplicative band of a ratio of two runs on the same macro (another format, sparsity, supply or
 * precision), from the held-out efficiency-gain errors [CAL]: comparisons on one macro are ~2× tighter
 * than absolute figures across designs.
 */
export const RELATIVE_BAND_FACTOR = 1.38;

/** A band `[low, high]` around a value. */
export type Band = readonly [low: number, high: number];

/**
 * The band of `value` for a multiplicative factor.
 * @example bandOf(100, 2) // [50, 200]
 */
export function bandOf(value: number, factor: number): Band {
  return [value / factor, value * factor];
}

/**
 * The band factor of a set of (modelled, published) pairs: exp(RMS of ln(modelled / published)).
 * @example bandFactor([[2, 1], [1, 2]]) // 2
 */
export function bandFactor(pairs: readonly (readonly [modelled: number, published: number])[]): number {
  if (pairs.length === 0) return 1;
  let s = 0;
  for (const [m, p] of pairs) s += Math.log(m / p) ** 2;
  return Math.exp(Math.sqrt(s / pairs.length));
}
