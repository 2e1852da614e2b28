/**
 * 28 nm, 0.9 V energy constants shared by the digital baselines (`asic`, and the EIE calibration
 * it uses). Every number names its source; derived numbers show their arithmetic.
 * Sources (see ../shared/REFERENCES.md §2):
 * - [Horowitz] M. Horowitz, "Computing's energy problem (and what we can do about it)", ISSCC 2014,
 *   45 nm, 0.9 V: 8b mult 0.2 pJ, 32b mult 3.1 pJ, 8b add 0.03 pJ, 32b add 0.1 pJ.
 * - [Scale] CV² scaling 45 → 28 nm at equal VDD ≈ × 0.62 (REFERENCES §2, tag [D]).
 * - [CACTI] CACTI 7, 28 nm HP SRAM, energy per bit read / write (REFERENCES §2).
 * - [ZigZag] KU Leuven ZigZag-IMC 28 nm gate-level fit: DFF ≈ 1.7 fJ per bit (REFERENCES §2).
 */

/** CV² scaling factor 45 nm → 28 nm at equal VDD [Scale]. */
export const SCALE_45_TO_28 = 0.62;

/** Horowitz 45 nm 8b × 8b multiply, pJ [Horowitz]. */
export const HOROWITZ_MULT8_PJ_45 = 0.2;
/** Horowitz 45 nm 32-bit add, pJ [Horowitz]. */
export const HOROWITZ_ADD32_PJ_45 = 0.1;

/** One flip-flop bit written, pJ (1.7 fJ) [ZigZag]. */
export const DFF_PJ_PER_BIT = 0.0017;

/**
 * Energy of a `aBits × bBits` integer multiply at 28 nm, pJ. An array multiplier's energy grows with
 * the number of partial-product bits `a·b`; Horowitz's own pair supports it (32b/8b: 3.1/0.2 = 15.5 ≈
 * (32·32)/(8·8) = 16). Derivation: 0.2 pJ × (a·b / 64) × 0.62.
 */
export function multiplyPj(aBits: number, bBits: number): number {
  return HOROWITZ_MULT8_PJ_45 * ((aBits * bBits) / 64) * SCALE_45_TO_28;
}

/**
 * Energy of a `bits`-wide ripple add at 28 nm, pJ: linear in width from Horowitz's 32-bit add
 * (his 8-bit add, 0.03 pJ, is within 20 % of the 0.025 pJ this gives). Derivation: 0.1 pJ × bits/32 × 0.62.
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
