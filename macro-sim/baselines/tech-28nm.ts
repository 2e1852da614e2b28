/**
 * 28 nm, 0.9 V constants shared by the digital baselines (`asic`, `systolic-asic`); the one
 * technology-normalisation rule every figure from another node goes through is
 * `scaleTo28nm` (../tech-scaling.ts, re-exported here). Every number names its source; derived numbers show their arithmetic.
 *
 * Sources (see ../../docs/MODEL-NOTES.md (Baselines) for the verdict of each):
 * - [Horowitz] M. Horowitz, "Computing's energy problem (and what we can do about it)", ISSCC 2014,
 *   DOI 10.1109/ISSCC.2014.6757323, Fig. 1.1.9 "Rough energy costs for various operations in 45nm
 *   0.9V": 8b mult 0.2 pJ, 32b mult 3.1 pJ, 8b add 0.03 pJ, 32b add 0.1 pJ, 8 KB cache 64b read 10 pJ.
 * - [SB] A. Stillmaker, B. Baas, "Scaling equations for the accurate prediction of CMOS device
 *   performance from 180 nm to 7 nm", Integration VLSI J. 58 (2017) 74–81, DOI
 *   10.1016/j.vlsi.2017.02.002: energy factor per node = a·V² + b·V + c (their Table 5, fitted to
 *   HSPICE on PTM/ITRS models), area factors per node pair (their area table).
 * - [CACTI] CACTI 7, 28 nm HP SRAM, energy per bit read / write (../shared/REFERENCES.md §2, [S]).
 * - [ZigZag] KU Leuven ZigZag-IMC 28 nm gate-level fit: DFF ≈ 1.7 fJ per bit (REFERENCES §2, [S]).
 */

import { scaleTo28nm } from '../tech-scaling.js';

export { NORMALISED_VDD, scaleTo28nm, stillmakerFactor, type TechMetric } from '../tech-scaling.js';

/** Energy factor 45 nm → 28 nm at 0.9 V, {@link scaleTo28nm}('energy', 45) ≈ 0.518 [SB]. */
export const SCALE_45_TO_28 = scaleTo28nm('energy', 45);

/** Horowitz 45 nm 8b × 8b multiply, pJ [Horowitz Fig. 1.1.9]. */
export const HOROWITZ_MULT8_PJ_45 = 0.2;
/** Horowitz 45 nm 32b × 32b multiply, pJ [Horowitz Fig. 1.1.9] (cross-check of the a·b rule). */
export const HOROWITZ_MULT32_PJ_45 = 3.1;
/** Horowitz 45 nm 32-bit add, pJ [Horowitz Fig. 1.1.9]. */
export const HOROWITZ_ADD32_PJ_45 = 0.1;

/** One flip-flop bit written, pJ (1.7 fJ) [ZigZag]. */
export const DFF_PJ_PER_BIT = 0.0017;

/**
 * Energy of a `aBits × bBits` integer multiply at 28 nm, pJ. An array multiplier's energy grows with
 * the number of partial-product bits `a·b`; Horowitz's own pair supports it (32b/8b: 3.1/0.2 = 15.5 ≈
 * (32·32)/(8·8) = 16). Derivation: 0.2 pJ × (a·b / 64) × {@link SCALE_45_TO_28}.
 */
export function multiplyPj(aBits: number, bBits: number): number {
  return HOROWITZ_MULT8_PJ_45 * ((aBits * bBits) / 64) * SCALE_45_TO_28;
}

/**
 * Energy of a `bits`-wide ripple add at 28 nm, pJ: linear in width from Horowitz's 32-bit add
 * (his 8-bit add, 0.03 pJ, is within 20 % of the 0.025 pJ this gives). Derivation: 0.1 pJ × bits/32 × {@link SCALE_45_TO_28}.
 */
export function addPj(bits: number): number {
  return HOROWITZ_ADD32_PJ_45 * (bits / 32) * SCALE_45_TO_28;
}

/** CACTI 7 28 nm SRAM sizes (bytes) of the table in REFERENCES §2. */
const CACTI_BYTES = [8 * 1024, 32 * 1024, 128 * 1024, 256 * 1024, 1024 * 1024];
/** Read energy per bit, pJ (36, 84, 183, 244, 496 fJ) [CACTI]. */
const CACTI_READ_PJ_PER_BIT = [0.036, 0.084, 0.183, 0.244, 0.496];
/** Write energy per bit, pJ (42, 71, 132, 193, 396 fJ) [CACTI]. */
const CACTI_WRITE_PJ_PER_BIT = [0.042, 0.071, 0.132, 0.193, 0.396];

/**
 * Index into the CACTI table of the smallest listed SRAM that holds `bytes` (the 1 MB entry for
 * anything larger: a bigger store is built from 1 MB banks, each read costs a 1 MB bank read).
 * A step function, so energy never decreases as the stored data grows.
 */
function cactiIndex(bytes: number): number {
  for (let i = 0; i < CACTI_BYTES.length; i++) if (bytes <= CACTI_BYTES[i]!) return i;
  return CACTI_BYTES.length - 1;
}

/** SRAM read energy per bit (pJ) for an SRAM bank holding `bytes` [CACTI]. */
export function sramReadPjPerBit(bytes: number): number {
  return CACTI_READ_PJ_PER_BIT[cactiIndex(bytes)]!;
}

/** SRAM write energy per bit (pJ) for an SRAM bank holding `bytes` [CACTI]. */
export function sramWritePjPerBit(bytes: number): number {
  return CACTI_WRITE_PJ_PER_BIT[cactiIndex(bytes)]!;
}
