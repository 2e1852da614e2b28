/**
 * Macro presets: the default SP-IMC assumption and macros shaped like the published 28 nm digital SRAM
 * IMC macros of REFERENCES §2 (the calibration targets). A preset is a partial {@link MacroConfig}
 * plus its provenance; `resolveMacroConfig` fills the rest from the defaults.
 *
 * Geometry mapping (our model has one adder-tree fan-in `rows`, `bitColumns` per array and `macros`
 * arrays that compute in parallel):
 * - ReDCIM "64 banks × 32 × 48": we read the 64 banks as the 64 inputs of the column adder tree and
 *   the 32 rows of a bank as 32 time-multiplexed weight sets → 32 macros of 64 rows × 48 bit-columns.
 *   (Reading it as 64 arrays of 32 rows changes TOPS/W by the shift-accumulate share only.)
 * - Yan "2 × 512 × 32", Guo "8 × 64 × 128", Yue "4 × 128 × 128": `macros × rows × bitColumns`.
 */
import type { EnergyTable } from './energy-table.js';
import type { MacroParams } from './params.js';

/** How a published figure is used by calibration. */
export type PresetRole = 'calibration' | 'validation';

/** A published efficiency figure a preset is checked against. */
export interface PublishedFigure {
  /** Reported TOPS/W (1 MAC = 2 ops) at the stated precision. */
  readonly topsPerWatt: number;
  /** Weight bits of the reported figure. */
  readonly weightBits: number;
  /** Input bits of the reported figure. */
  readonly inputBits: number;
  /** `[M]` measured silicon, `[2nd]` a secondary source's normalisation (REFERENCES tags). */
  readonly tag: '[M]' | '[2nd]';
  /**
   * `calibration`: the energy constants are fitted to this figure and it must be reproduced within
   * ±30 %. `validation`: reported beside, not fitted (see calibration.ts for why).
   */
  readonly role: PresetRole;
}

/** The macro parameters a preset sets (any subset of ./params.ts, plus energy overrides). */
export type PresetParams = Partial<MacroParams> & { readonly energy?: Partial<EnergyTable> };

/** A named macro preset. */
export interface MacroPreset {
  readonly name: string;
  /** One line for `--help` and reports. */
  readonly description: string;
  /** Paper, venue, year. */
  readonly source: string;
  /** The published array as written in the paper / REFERENCES. */
  readonly publishedArray?: string;
  readonly published?: PublishedFigure;
  readonly params: PresetParams;
}

/** Preset names. */
export type PresetName = 'sp-imc-28nm' | 'redcim-28nm' | 'yan-28nm' | 'guo-28nm' | 'yue-28nm';

/** The default preset. */
export const DEFAULT_PRESET: PresetName = 'sp-imc-28nm';

/** Every preset by name. */
export const PRESETS: Readonly<Record<PresetName, MacroPreset>> = Object.freeze({
  'sp-imc-28nm': {
    name: 'sp-imc-28nm',
    description: 'SP-IMC (CICC 2024) as assumed here: 256 × 256 (64 Kb) digital SRAM IMC macro, 28 nm, 0.9 V, 200 MHz',
    source:
      'A. Sridharan, F. Zhang, J.-s. Seo, D. Fan, "SP-IMC: A Sparsity Aware In-Memory-Computing Macro in 28nm CMOS ' +
      'with Configurable Sparse Representation for Highly Sparse DNN Workloads", IEEE CICC 2024. Array size, clock ' +
      'and efficiency are not public: 256 × 256 and 200 MHz are our assumption, energies calibrated on ReDCIM / Yan.',
    params: { rows: 256, bitColumns: 256, macros: 1, inputBits: 8, clockMHz: 200, vdd: 0.9 },
  },
  'redcim-28nm': {
    name: 'redcim-28nm',
    description: 'ReDCIM-like: 32 × (64 rows × 48 bit-columns) = 96 Kb, 195 MHz, INT8',
    source: 'F. Tu et al. (ReDCIM), 28 nm reconfigurable digital CIM processor, ISSCC 2022 paper 15.5: 36.5 TOPS/W INT8 [M]',
    publishedArray: '96 Kb: 64 banks × 32 × 48, 0.9408 mm²',
    published: { topsPerWatt: 36.5, weightBits: 8, inputBits: 8, tag: '[M]', role: 'calibration' },
    params: { rows: 64, bitColumns: 48, macros: 32, inputBits: 8, clockMHz: 195, vdd: 0.9 },
  },
  'yan-28nm': {
    name: 'yan-28nm',
    description: 'Yan-like: 2 × (512 rows × 32 bit-columns) = 32 Kb, 333 MHz, INT8',
    source: 'B. Yan et al., 28 nm 1.041 Mb/mm² signed-INT8 SRAM CIM macro, ISSCC 2022 paper 11.7: 27.38 TOPS/W INT8 [M]',
    publishedArray: '32 Kb: 2 × 512 × 32, 0.03 mm²',
    published: { topsPerWatt: 27.38, weightBits: 8, inputBits: 8, tag: '[M]', role: 'calibration' },
    params: { rows: 512, bitColumns: 32, macros: 2, inputBits: 8, clockMHz: 333, vdd: 0.9 },
  },
  'guo-28nm': {
    name: 'guo-28nm',
    description: 'Guo-like: 8 × (64 rows × 128 bit-columns) = 64 Kb, 182 MHz, INT8',
    source: 'A. Guo et al., 28 nm 64 Kb floating-point digital CIM macro, ISSCC 2023 paper 7.2: 19.5 TOPS/W INT8 as normalised by a secondary source [2nd]',
    publishedArray: '64 Kb: 8 × 64 × 128, 0.1462 mm²',
    published: { topsPerWatt: 19.5, weightBits: 8, inputBits: 8, tag: '[2nd]', role: 'validation' },
    params: { rows: 64, bitColumns: 128, macros: 8, inputBits: 8, clockMHz: 182, vdd: 0.9 },
  },
  'yue-28nm': {
    name: 'yue-28nm',
    description: 'Yue-like: 4 × (128 rows × 128 bit-columns) = 64 Kb, 400 MHz, INT4',
    source: 'J. Yue et al., 28 nm sparse-digital CIM, ISSCC 2023 paper 16.3 / JSSC 2024: 275 TOPS/W dense INT4 [M]',
    publishedArray: '64 Kb: 4 × 128 × 128, 0.269 mm²',
    published: { topsPerWatt: 275, weightBits: 4, inputBits: 4, tag: '[M]', role: 'validation' },
    params: { rows: 128, bitColumns: 128, macros: 4, inputBits: 4, clockMHz: 400, vdd: 0.9 },
  },
});

/** True when `name` is a preset name. */
export function isPresetName(name: string): name is PresetName {
  return Object.prototype.hasOwnProperty.call(PRESETS, name);
}
