/**
 * Macro presets: the default SP-IMC assumption and macros organised like published digital SRAM IMC
 * macros (the calibration targets of `calibration-points.ts`). A preset is a partial
 * {@link MacroConfig} plus its provenance; `resolveMacroConfig` fills the rest from the defaults.
 *
 * Organisation: our model has an adder tree of fan-in `rows` R per slot, `bitColumns` C per array,
 * `weightSets` G stored sets sharing the trees, and `macros` M arrays computing in parallel. The
 * published organisations are read as KU Leuven's ZigZag-IMC DIMC validation transcribes them
 * (github KULeuven-MICAS/zigzag-imc, `dimc_validation*.py`: `input_channel` = tree fan-in,
 * `output_channel` × weight bits = bit-columns, `rows / input_channel` = weight sets, `banks` = M).
 * Every preset is modelled at 28 nm; figures of other nodes are normalised by `tech-scaling.ts`.
 */
import type { AreaTable } from './area-table.js';
import type { EnergyTable } from './energy-table.js';
import type { MacroParams } from './params.js';

/** The macro parameters a preset sets (any subset of ./params.ts, plus energy and area overrides). */
export type PresetParams = Partial<MacroParams> & { readonly energy?: Partial<EnergyTable>; readonly area?: Partial<AreaTable> };

/** A named macro preset. */
export interface MacroPreset {
  readonly name: string;
  /** One line for `--help` and reports. */
  readonly description: string;
  /** Paper, venue, year (and where the organisation was read). */
  readonly source: string;
  /** Node of the published silicon, nm (the model runs at 28 nm; see tech-scaling.ts). */
  readonly nodeNm: number;
  /** The published array as written in the paper / its transcription. */
  readonly publishedArray?: string;
  /** Published macro area in mm² at `nodeNm` (absent when not published). */
  readonly publishedAreaMm2?: number;
  readonly params: PresetParams;
}

/** Preset names. */
export type PresetName =
  | 'sp-imc-28nm' | 'redcim-28nm' | 'yan-28nm' | 'guo-28nm' | 'yue-28nm' | 'chih-22nm' | 'metis-12nm' | 'colonnade-65nm' | 'd6cim-28nm';

/** The default preset. */
export const DEFAULT_PRESET: PresetName = 'sp-imc-28nm';

const ZZ = 'organisation as transcribed by ZigZag-IMC (KULeuven-MICAS/zigzag-imc, dimc_validation.py)';

/** Every preset by name. */
export const PRESETS: Readonly<Record<PresetName, MacroPreset>> = Object.freeze({
  'sp-imc-28nm': {
    name: 'sp-imc-28nm',
    description: 'SP-IMC (CICC 2024) as assumed here: 256 × 256 (64 Kb) digital SRAM IMC macro, 28 nm, 0.9 V, 200 MHz',
    source:
      'A. Sridharan, F. Zhang, J.-s. Seo, D. Fan, "SP-IMC: A Sparsity Aware In-Memory-Computing Macro in 28nm CMOS ' +
      'with Configurable Sparse Representation for Highly Sparse DNN Workloads", IEEE CICC 2024. Array size, clock ' +
      'and efficiency are not public: 256 × 256 and 200 MHz are our assumption; energies calibrated on the macros of calibration-points.ts.',
    nodeNm: 28,
    params: { rows: 256, bitColumns: 256, macros: 1, weightSets: 1, inputBits: 8, clockMHz: 200, vdd: 0.9 },
  },
  'redcim-28nm': {
    name: 'redcim-28nm',
    description: 'ReDCIM-like: 64 banks × (32-input trees × 48 bit-columns) = 96 Kb, 195 MHz, INT8',
    source: `F. Tu et al., "A 28nm 29.2TFLOPS/W BF16 and 36.5TOPS/W INT8 Reconfigurable Digital CIM Processor…", ISSCC 2022 15.5 (DOI 10.1109/ISSCC42614.2022.9731762); ${ZZ}`,
    nodeNm: 28,
    publishedArray: '96 Kb: 64 banks × 32 rows × 48 columns, 0.9408 mm²',
    publishedAreaMm2: 0.9408,
    params: { rows: 32, bitColumns: 48, macros: 64, weightSets: 1, inputBits: 8, clockMHz: 195, vdd: 0.9 },
  },
  'yan-28nm': {
    name: 'yan-28nm',
    description: 'Yan-like: 2 banks × 16 weight sets × (32-input trees × 32 bit-columns) = 32 Kb, 0.8 V, 333 MHz, INT8 (signed in the paper: use --signed-inputs with signed --inputs)',
    source: `B. Yan et al., "A 1.041-Mb/mm2 27.38-TOPS/W Signed-INT8 Dynamic-Logic-Based ADC-less SRAM Compute-In-Memory Macro in 28nm…", ISSCC 2022 11.7 (DOI 10.1109/ISSCC42614.2022.9731545); ${ZZ}`,
    nodeNm: 28,
    publishedArray: '32 Kb: 2 banks × (32·16) rows × 32 columns, 0.03 mm² (1.041 Mb/mm²)',
    publishedAreaMm2: 0.03,
    params: { rows: 32, bitColumns: 32, macros: 2, weightSets: 16, inputBits: 8, clockMHz: 333, vdd: 0.8 },
  },
  'guo-28nm': {
    name: 'guo-28nm',
    description: 'Guo-like: 8 banks × (128-input trees × 64 bit-columns; double-bit 6T cells) = 64 Kb, 182 MHz, INT8',
    source: `A. Guo et al., "A 28nm 64-Kb 31.6-TFLOPS/W Digital-Domain Floating-Point-Computing-Unit and Double-Bit 6T-SRAM CIM Macro…", ISSCC 2023 7.2 (DOI 10.1109/ISSCC42615.2023.10067260); ${ZZ}`,
    nodeNm: 28,
    publishedArray: '64 Kb: 8 banks × 64 rows × 128 columns (128 input channels, 8 outputs), 0.1462 mm²',
    publishedAreaMm2: 0.1462,
    params: { rows: 128, bitColumns: 64, macros: 8, weightSets: 1, inputBits: 8, clockMHz: 182, vdd: 0.9 },
  },
  'yue-28nm': {
    name: 'yue-28nm',
    description: 'Yue-like: 4 banks × 2 weight sets × (128-input trees × 64 bit-columns) = 64 Kb, 400 MHz, INT4',
    source: `J. Yue et al., "A 28nm 16.9-300TOPS/W Computing-in-Memory Processor… Intensive-CIM Sparse-Digital Architecture", ISSCC 2023 16.3 (DOI 10.1109/ISSCC42615.2023.10067779); S. Yan, J. Yue et al., JSSC 2024 (DOI 10.1109/JSSC.2024.3363871); ${ZZ}`,
    nodeNm: 28,
    publishedArray: '64 Kb: 4 banks × 128 rows × 128 columns (128 input channels, 8 outputs), 0.269 mm²',
    publishedAreaMm2: 0.269,
    params: { rows: 128, bitColumns: 64, macros: 4, weightSets: 2, inputBits: 4, clockMHz: 400, vdd: 0.9 },
  },
  'chih-22nm': {
    name: 'chih-22nm',
    description: 'Chih-like (TSMC, 22 nm, modelled at 28 nm): 64 Kb as 256-input trees × 256 bit-columns, 4b inputs',
    source:
      'Y.-D. Chih et al., "An 89TOPS/W and 16.3TOPS/mm2 All-Digital SRAM-Based Full-Precision Compute-In Memory Macro in 22nm…", ' +
      'ISSCC 2021 16.4 (DOI 10.1109/ISSCC42613.2021.9365766); 64 Kb and 0.202 mm² from KU Leuven CarbonSpot expr.py; the ' +
      '256 × 256 organisation and the 200 MHz clock are our assumption (not in the sources found).',
    nodeNm: 22,
    publishedArray: '64 Kb, 0.202 mm² (22 nm)',
    publishedAreaMm2: 0.202,
    params: { rows: 256, bitColumns: 256, macros: 1, weightSets: 1, inputBits: 4, clockMHz: 200, vdd: 0.9 },
  },
  'metis-12nm': {
    name: 'metis-12nm',
    description: 'Metis-AIPU-like D-IMC (12 nm, modelled at 28 nm): 16 banks × 4 weight sets × (512-input trees × 256 bit-columns), 0.7 V, 875 MHz, INT8',
    source:
      'B. Hager et al. (Axelera AI), "Metis AIPU: A 12nm 15TOPS/W 209.6TOPS SoC for Cost- and Energy-Efficient Inference at the Edge", ' +
      'ISSCC 2024 11.3 (DOI 10.1109/ISSCC49657.2024.10454395): "16 custom-designed IMC memory arrays (IMC banks), each of 512 input ' +
      'channels, 32 output channels, and 4 weight sets"; "57.3 TOPS at 0.7V and 875MHz".',
    nodeNm: 12,
    publishedArray: '8 Mib: 16 banks × 512 inputs × 32 outputs × 8 b × 4 weight sets',
    params: { rows: 512, bitColumns: 256, macros: 16, weightSets: 4, inputBits: 8, clockMHz: 875, vdd: 0.7 },
  },
  'colonnade-65nm': {
    name: 'colonnade-65nm',
    description: 'Colonnade-like (65 nm, modelled at 28 nm): 128 rows summed per column × 128 bit-columns, bit-serial, 100 MHz, 0.8 V',
    source:
      'H. Kim, T. Yoo, T. T.-H. Kim, B. Kim, "Colonnade: A Reconfigurable SRAM-Based Digital Bit-Serial Compute-In-Memory Macro for ' +
      'Processing Neural Networks", IEEE JSSC 2021 (DOI 10.1109/JSSC.2021.3061508): 16 Kb (128 × 128), a full adder per bitcell accumulating ' +
      'down the column, 1 input bit per cycle, 100 MHz test clock; organisation as in MIT CiMLoop (colonnade_jssc_2021). Our adder ' +
      'tree stands in for its in-column adder chain (the same full adders per MAC, up to the tree\'s log-depth widths).',
    nodeNm: 65,
    publishedArray: '16 Kb: 128 × 128, 0.2272 mm² (65 nm)',
    publishedAreaMm2: 0.2272,
    params: { rows: 128, bitColumns: 128, macros: 1, weightSets: 1, inputBits: 8, clockMHz: 100, vdd: 0.8, accumulatorBits: 48 },
  },
  'd6cim-28nm': {
    name: 'd6cim-28nm',
    description: 'D6CIM-like: 8 weight sets × (16-input trees × 128 bit-columns) = 16 Kb, 1.1 V, 360 MHz, UINT8',
    source:
      'Oh, Lin, Seok, "D6CIM: 60.4-TOPS/W … All-Digital 6T-SRAM-Based Compute-in-Memory Macro …", ESSCIRC 2023 (28 nm; DOI ' +
      '10.1109/ESSCIRC59616.2023.10268725): 128 × 128 6T cells, 8 columns per 8-bit weight (16 outputs), one 16-row group and one ' +
      'input bit per clock, 64 clocks per 8-bit VMM, 1.1 V / 360 MHz (a literature digest of the paper; KU Leuven CarbonSpot: 0.0159 mm²).',
    nodeNm: 28,
    publishedArray: '16 Kb: 128 × 128, 16 outputs × 8 b, 16 rows per clock; 0.0159 mm²',
    publishedAreaMm2: 0.0159,
    params: { rows: 16, bitColumns: 128, macros: 1, weightSets: 8, inputBits: 8, clockMHz: 360, vdd: 1.1 },
  },
});

/** True when `name` is a preset name. */
export function isPresetName(name: string): name is PresetName {
  return Object.prototype.hasOwnProperty.call(PRESETS, name);
}
