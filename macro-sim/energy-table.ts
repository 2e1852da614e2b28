/**
 * The per-event energy table (Accelergy style: energy = Σ action count × energy per action) for a
 * 28 nm digital SRAM IMC macro at the reference supply {@link ENERGY_REFERENCE_VDD} = 0.9 V.
 *
 * Every constant names its source. Sources (see /work/shared/REFERENCES.md §2):
 * - [ZZ] KU Leuven ZigZag-IMC gate-level 28 nm / 0.9 V fit (KULeuven-MICAS/zigzag, imc cost model):
 *   NAND2 0.57 fJ/toggle, 1-bit full adder ≈ 3.4 fJ, 1b×1b multiply (NOR2) ≈ 0.28 fJ, DFF ≈ 1.7 fJ/bit,
 *   DRAM 3.7 pJ/bit.
 * - [CACTI] CACTI 7, 28 nm HP cells, energy per bit read / write: 8 KB 36 / 42 fJ; 32 KB 84 / 71 fJ;
 *   128 KB 183 / 132 fJ; 256 KB 244 / 193 fJ; 1 MB 496 / 396 fJ.
 * - [CAL] fitted in `macro-sim/calibration.ts` (least squares) on the `fit` points of
 *   `macro-sim/calibration-points.ts` (published digital SRAM IMC macros); held-out points check them.
 *
 * Values are overridable per key from a config (`energy: { macroWriteBitFj: "60 fJ" }`).
 */

/** Supply voltage the table is given at; dynamic energies scale with (vdd / 0.9 V)² (CV²). */
export const ENERGY_REFERENCE_VDD = 0.9;

/** Per-event energies in fJ at 0.9 V, plus leakage. One key per event class of {@link EventCounts}. */
export interface EnergyTable {
  /** One bitcell AND (1b × 1b multiply) whose input bit is 1. */
  readonly bitcellAndFj: number;
  /** One full-adder bit of an active adder-tree node per processed plane: clock and control, data-independent (calibrated). */
  readonly adderTreeFaBitFj: number;
  /** One adder-tree data toggle: a 1 at a leaf rippling through one tree level (calibrated). */
  readonly adderTreeDataBitFj: number;
  /** One bit of the bit-serial shift-accumulator (adder bit + register bit). */
  readonly shiftAccBitFj: number;
  /** One 2:1 mux level traversed by one input bit on its way to one valid row. */
  readonly inputRoutingMuxLevelFj: number;
  /** One bit of an rl decode (prefix-sum) addition. */
  readonly rlDecodeAddBitFj: number;
  /** One input bit read from the macro's input register and driven onto a row. */
  readonly inputBufferBitFj: number;
  /** One bit written into the macro array (weights, segment metadata, bitmask routing bits). */
  readonly macroWriteBitFj: number;
  /** One bit read from the global (on-chip) weight buffer for a macro load. */
  readonly bufferReadBitFj: number;
  /** One bit of an output written to the macro's output register. */
  readonly outputWriteBitFj: number;
  /** One bit of a digital partial-sum addition that combines a column's segments. */
  readonly partialSumAddBitFj: number;
  /** Leakage power in µW per Kb (1024 cells) of macro array, at 0.9 V. */
  readonly leakageUwPerKb: number;
}

/** Gate-level constants of REFERENCES §2 [ZZ], in fJ at 28 nm / 0.9 V. */
export const GATE_28NM = {
  /** NAND2, per toggle [ZZ]. */
  nand2Fj: 0.57,
  /** 1-bit full adder [ZZ]. */
  fullAdderFj: 3.4,
  /** 1b × 1b multiply, NOR2 [ZZ]. */
  nor2MultiplyFj: 0.28,
  /** D flip-flop, per bit [ZZ]. */
  dffFj: 1.7,
  /** DRAM access, per bit [ZZ]: 3.7 pJ. */
  dramBitFj: 3700,
} as const;

/** CACTI 7 28 nm per-bit read / write energies [CACTI], fJ. */
export const CACTI_28NM = {
  sram8KB: { readFj: 36, writeFj: 42 },
  sram32KB: { readFj: 84, writeFj: 71 },
  sram128KB: { readFj: 183, writeFj: 132 },
  sram256KB: { readFj: 244, writeFj: 193 },
  sram1MB: { readFj: 496, writeFj: 396 },
} as const;

/**
 * The adder-tree data energy [CAL], fJ per toggle-level at 0.9 V: fitted by least squares in
 * `macro-sim/calibration.ts` (`fitEnergyConstants`) on the `fit` points of
 * `macro-sim/calibration-points.ts` (ReDCIM's INT8 36.5 TOPS/W); every other point is held out.
 * `test/macro-sim/calibration.test.ts` re-runs the fit and checks this value (3 significant digits).
 *
 * Why fitted: with gate-level standard-cell full adders (3.4 fJ [ZZ]) a dense INT8 run lands 4–5×
 * below the 20–37 TOPS/W that 28 nm digital IMC macros measure — their trees are custom (compound or
 * transmission-gate adders, carry-save stages). For scale: a half-activated standard-cell FA (one input
 * 0) is 1.70 fJ [ZZ: 2 × XOR2 capacitance × V²]; the fit gives ~0.22 of that per toggle-level.
 */
export const CALIBRATED_ADDER_TREE_DATA_BIT_FJ = 0.371;
/**
 * Data-independent tree energy per active full-adder bit per plane: 0. A combinational adder tree
 * switches only where its inputs toggle — ZigZag-IMC prices tree energy as gate energy × input toggle
 * rate × weight density — so the whole tree energy is the data term. The event is still counted, so a
 * design with a clocked (pipelined) tree can price it by overriding `adderTreeFaBitFj`.
 */
export const ADDER_TREE_STATIC_FA_BIT_FJ = 0;

/**
 * The default 28 nm / 0.9 V table. Each entry's derivation is in its comment.
 */
export const DEFAULT_ENERGY_TABLE: EnergyTable = Object.freeze({
  // NOR2 1b×1b multiply [ZZ]: the bitcell's AND with the input bit.
  bitcellAndFj: GATE_28NM.nor2MultiplyFj,
  // [ZZ] 0: see ADDER_TREE_STATIC_FA_BIT_FJ.
  adderTreeFaBitFj: ADDER_TREE_STATIC_FA_BIT_FJ,
  // Calibrated [CAL]; see CALIBRATED_ADDER_TREE_DATA_BIT_FJ.
  adderTreeDataBitFj: CALIBRATED_ADDER_TREE_DATA_BIT_FJ,
  // [D] one full-adder bit (3.4 fJ) + one accumulator register bit (DFF 1.7 fJ) [ZZ] = 5.1 fJ.
  shiftAccBitFj: GATE_28NM.fullAdderFj + GATE_28NM.dffFj,
  // [D] a 2:1 mux ≈ 2 NAND2 toggles [ZZ]: 2 × 0.57 = 1.14 fJ per level per bit.
  inputRoutingMuxLevelFj: 2 * GATE_28NM.nand2Fj,
  // [D] one full-adder bit [ZZ] per bit of the row-pointer adder.
  rlDecodeAddBitFj: GATE_28NM.fullAdderFj,
  // [D] the input bit sits in a DFF input register [ZZ] that drives the row (1.7 fJ/bit).
  inputBufferBitFj: GATE_28NM.dffFj,
  // [CACTI] an 8 KB (64 Kb) SRAM array, write energy per bit: 42 fJ.
  macroWriteBitFj: CACTI_28NM.sram8KB.writeFj,
  // [CACTI] a 256 KB global weight buffer, read energy per bit: 244 fJ (DRAM instead: 3700 fJ [ZZ]).
  bufferReadBitFj: CACTI_28NM.sram256KB.readFj,
  // [ZZ] the output lands in the macro's output register (DFF 1.7 fJ/bit). Published macro TOPS/W
  // stop at the macro boundary; to price a system-level output buffer, override with a CACTI write
  // energy (8 KB: 42 fJ/bit).
  outputWriteBitFj: GATE_28NM.dffFj,
  // [D] one full-adder bit + one partial-sum register bit [ZZ]: 3.4 + 1.7 = 5.1 fJ.
  partialSumAddBitFj: GATE_28NM.fullAdderFj + GATE_28NM.dffFj,
  // [assumption] ≈ 1 nA per 6T cell at 0.9 V for 28 nm HP (order of magnitude of foundry HP bitcell
  // leakage): 1024 cells × 1 nA × 0.9 V = 0.92 µW per Kb. Leakage is < 1 % of a dense run's energy,
  // so this assumption does not move the calibration.
  leakageUwPerKb: 1024 * 1e-9 * 0.9 * 1e6,
});

/** The table's keys, in report order. */
export const ENERGY_KEYS = Object.keys(DEFAULT_ENERGY_TABLE) as readonly (keyof EnergyTable)[];

/** Unit of each key: every key is in fJ except leakage (µW per Kb). */
export function energyKeyUnit(key: keyof EnergyTable): 'fJ' | 'uW' {
  return key === 'leakageUwPerKb' ? 'uW' : 'fJ';
}
