/**
 * The per-component area table of a 28 nm digital SRAM IMC macro (µm² per unit). Like the energy
 * table, area = Σ component count × area per unit (`area.ts` counts the components).
 *
 * Sources:
 * - [ZZ] KU Leuven ZigZag-IMC 28 nm technology parameters (github KULeuven-MICAS/zigzag-imc,
 *   `zigzag/inputs/examples/hardware/Dimc.py`): NAND2 0.614 µm², XOR2 = 2.4 × NAND2, DFF = 6 × NAND2;
 *   a 1-bit full adder = 3 NAND2 + 2 XOR2; a 1b × 1b multiplier = one NOR2 (= NAND2 area). ZigZag-IMC
 *   fitted its NAND2 unit on four 28 nm digital IMC macros, so it absorbs local wiring.
 * - [CACTI] CACTI 7 at 28 nm as tabulated by ZigZag-IMC's DIMC validation
 *   (`dimc_validation.py`, `cacti_ISSCC2022_11_7`): a 2 KB (16,384-bit) bank is 0.00396 mm², i.e.
 *   0.242 µm² per bit including row decoders, sense amplifiers and write drivers.
 * Nothing here is fitted by imc-sim: `imc-sim calibrate` checks the sum against every published macro
 * area of `calibration-points.ts` (all held out).
 */

/** Area per unit in µm² at 28 nm. One key per component class of `area.ts`. */
export interface AreaTable {
  /** One stored bit, array periphery included (decoders, sense amps, write drivers) [CACTI]. */
  readonly bitcellUm2: number;
  /** One 1b × 1b multiplier (NOR2) next to a weight bit that feeds a tree [ZZ]. */
  readonly multiplierUm2: number;
  /** One full adder of the column adder trees [ZZ]. */
  readonly adderTreeFaUm2: number;
  /** One full adder outside the trees (shift-accumulators, rl prefix-sum decoders) [ZZ]. */
  readonly fullAdderUm2: number;
  /** One flip-flop bit (input buffer, accumulator registers) [ZZ]. */
  readonly dffUm2: number;
  /** One 2:1 multiplexer of an input-routing network [D: 2 NAND2, as its energy in energy-table.ts]. */
  readonly mux2Um2: number;
  /** Control per macro: load sequencer, bit-plane counter, clock gating (see its derivation). */
  readonly controlUm2: number;
}

/** Gate-level 28 nm areas [ZZ], µm². */
export const GATE_AREA_28NM = {
  nand2Um2: 0.614,
  xor2Um2: 0.614 * 2.4,
  dffUm2: 0.614 * 6,
  /** 3 NAND2 + 2 XOR2 = 1.842 + 2.947 = 4.789 µm². */
  fullAdderUm2: 3 * 0.614 + 2 * 0.614 * 2.4,
} as const;

/** CACTI 7 28 nm bank area per bit [CACTI]: 0.00396 mm² / 16,384 bits. */
export const CACTI_28NM_BIT_UM2 = 0.00396e6 / 16384;

/** The default 28 nm table. */
export const DEFAULT_AREA_TABLE: AreaTable = Object.freeze({
  bitcellUm2: CACTI_28NM_BIT_UM2,
  multiplierUm2: GATE_AREA_28NM.nand2Um2,
  adderTreeFaUm2: GATE_AREA_28NM.fullAdderUm2,
  fullAdderUm2: GATE_AREA_28NM.fullAdderUm2,
  dffUm2: GATE_AREA_28NM.dffUm2,
  mux2Um2: 2 * GATE_AREA_28NM.nand2Um2,
  // [D] sized as a sequencer: 64 DFF (load/set/plane counters, state) + 400 NAND2 of next-state and
  // clock-gating logic = 64 × 3.684 + 400 × 0.614 = 481 µm² per macro. Assumption on the design, not a
  // published figure; it is < 2 % of the smallest preset's area, so the calibration does not rest on it.
  controlUm2: 64 * GATE_AREA_28NM.dffUm2 + 400 * GATE_AREA_28NM.nand2Um2,
});

/** The table's keys, in report order. */
export const AREA_KEYS = Object.keys(DEFAULT_AREA_TABLE) as readonly (keyof AreaTable)[];
