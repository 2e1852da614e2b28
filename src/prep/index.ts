/** Weight and input preparation (MODEL §1–3): layouts, pruning, quantization, random inputs. */
export * from './layout.js';
export * from './matrix.js';
export * from './prune.js';
export * from './quantize.js';
export * from './prepare.js';
export { RNG_NAME, Xoshiro128ss } from '../../macro-sim/rng.js';
export { smallestCut, markSmallest, type Cut } from './select.js';
