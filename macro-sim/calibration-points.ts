/**
 * The published operating points the model is calibrated and validated on (data only; the runs and
 * the fit are in `calibration.ts`). Each point names its macro preset (organisation), its operating
 * point (precision, VDD, clock, input and weight sparsity), the published figure with its tag and
 * where it was read, and its role:
 * - `fit`: the free constants are fitted on these points (least squares);
 * - `held-out`: never used by a fit, only compared. A constant fitted on a point is never validated on
 *   that point.
 *
 * Roles, by one rule per kind of figure:
 * - energy: the one adder-tree constant (its data energy) is fitted on the measured [M] INT8 TOPS/W
 *   of ReDCIM, the macro whose data condition is stated. Every other efficiency figure and every gain
 *   — sparsity (Metis), supply (Guo, Colonnade), precision (Colonnade) — is held out.
 * - area: nothing is fitted; the gate-level areas (area-table.ts) are checked on every published area.
 * - maximum clock: the alpha-power-law threshold is fitted on D6CIM's 0.6 V and 0.9 V shmoo points and
 *   checked on its 1.1 V point.
 *
 * Left out, with the reason: D6CIM's 60.4 TOPS/W headline (its precision and supply are not established,
 * and CarbonSpot normalises the same macro to 22.4 TOPS/W INT8); Yue's 1615 TOPS/W sparse point (the
 * "average sparsity on the tested models" is not given as a number); figures of approximate-arithmetic
 * macros (He 2023, Wang DIMC 2022) and of nodes outside Stillmaker–Baas's 20–65 nm (Fujiwara 5 nm,
 * Mori 4 nm, Lee 12 nm, Metis's absolute 15 / 82 TOPS/W).
 *
 * Tags (../shared/REFERENCES.md): [M] measured silicon as reported by its authors; [2nd] a secondary
 * source's transcription or normalisation. Where a condition is not published, the point says what
 * it assumes (`assumed`), and that assumption is the same for every point that lacks it.
 */
import type { PresetName } from './presets.js';

/** How a point is used. */
export type PointRole = 'fit' | 'held-out';

/** The data a published figure was measured on. */
export interface DataCondition {
  /** Fraction of input values that are zero (exact). */
  readonly inputZeroFraction: number;
  /** Fraction of weights that are zero (exact); the rest uniform over the nonzero b_w-bit values. */
  readonly weightSparsity: number;
}

/** An operating point: precision, supply, clock and data. */
export interface OperatingPoint extends DataCondition {
  readonly weightBits: number;
  readonly inputBits: number;
  readonly signedInputs: boolean;
  readonly vdd: number;
  readonly clockMHz: number;
}

interface PointCommon {
  readonly id: string;
  /** The preset the point runs on (its organisation); frequency points name a macro without a preset. */
  readonly macro: PresetName | string;
  readonly role: PointRole;
  readonly tag: '[M]' | '[2nd]';
  /** Paper / table / transcription the figure was read from, with its wording where useful. */
  readonly source: string;
  /** What the point assumes where its source is silent. */
  readonly assumed?: string;
  /**
   * Macro parameters over the preset's (your own macro's organisation: rows, bitColumns, macros,
   * weightSets, …), validated like any macro config. Absent for the built-in points.
   */
  readonly macroParams?: Readonly<Record<string, unknown>>;
  /** Node of the published figure, nm, when it is not the preset's (your own macro). */
  readonly nodeNm?: number;
}

/** A published energy efficiency (TOPS/W, 1 MAC = 2 ops, dense-equivalent ops). */
export interface EfficiencyPoint extends PointCommon {
  readonly macro: PresetName;
  readonly metric: 'topsPerWatt';
  /** As published, at the macro's node. */
  readonly published: number;
  readonly operating: OperatingPoint;
}

/**
 * A published efficiency gain between two operating points of the same macro — data (sparsity),
 * supply (voltage) or precision: a trend, node-free.
 */
export interface GainPoint extends PointCommon {
  readonly macro: PresetName;
  readonly metric: 'efficiencyGain';
  /** TOPS/W at `operating` ÷ TOPS/W at `baseline`, as published. */
  readonly published: number;
  readonly operating: OperatingPoint;
  readonly baseline: OperatingPoint;
}

/** A published macro area (mm², at the macro's node). */
export interface AreaPoint extends PointCommon {
  readonly macro: PresetName;
  readonly metric: 'areaMm2';
  readonly published: number;
  /** Weight bits the macro is laid out for (its slot width). */
  readonly weightBits: number;
}

/** A published highest clock at a supply voltage (a shmoo point). */
export interface FrequencyPoint extends PointCommon {
  readonly metric: 'maxClockMHz';
  readonly vdd: number;
  /** MHz. */
  readonly published: number;
}

/** One calibration point. */
export type CalibrationPoint = EfficiencyPoint | GainPoint | AreaPoint | FrequencyPoint;

const NOMINAL = 'VDD not in the sources found: 0.9 V nominal (as ZigZag-IMC assumes for these macros)';

const GUO_SOURCE =
  'Guo et al., ISSCC 2023 7.2, BF16 efficiency per supply as typed from the paper by a design-space-exploration repo (code comments "0.9V: 14.04 … 0.8V: 20.13 … 0.7V: 25.87 … 0.6V: 31.60" TFLOPS/W) [2nd]; the ratio to 0.9 V is what is compared (node- and number-format-free)';
/** Guo's BF16 efficiency per supply [2nd], (V, TFLOPS/W); the first is the 0.9 V reference. */
const GUO_BF16_TFLOPS_PER_W: ReadonlyArray<readonly [vdd: number, tflopsPerW: number]> = [[0.9, 14.04], [0.8, 20.13], [0.7, 25.87], [0.6, 31.6]];

/** Guo's efficiency at `vdd` over 0.9 V, on the INT8 run of guo-int8 (held out). */
function guoSupplyGain(vdd: number, tflopsPerW: number): GainPoint {
  const op = (v: number): OperatingPoint => ({ weightBits: 8, inputBits: 8, signedInputs: false, vdd: v, clockMHz: 182, inputZeroFraction: 0.5, weightSparsity: 0.5 });
  return {
    id: `guo-vdd-${String(vdd).replace('.', 'v')}`, macro: 'guo-28nm', metric: 'efficiencyGain', role: 'held-out', tag: '[2nd]',
    published: tflopsPerW / GUO_BF16_TFLOPS_PER_W[0]![1], source: GUO_SOURCE,
    assumed: `the INT8 run of guo-int8 (50 % / 50 % zeros) at ${vdd} V vs 0.9 V, same 182 MHz clock`,
    operating: op(vdd), baseline: op(0.9),
  };
}

/**
 * Colonnade's energy per MAC (fJ) at input = weight bits, read off its Fig. 16a by MIT CiMLoop
 * (mit-emze/cimloop, colonnade_jssc_2021/_tests.py) [2nd]: (bits, V, fJ/MAC), 100 MHz.
 */
const COLONNADE_FJ_PER_MAC: ReadonlyArray<readonly [bits: number, vdd: number, fj: number]> = [
  [8, 0.8, 1169.65], [8, 0.7, 725.43], [8, 0.6, 292.03], [4, 0.8, 423.43], [16, 0.8, 3995.18],
];

/** Colonnade's efficiency at (bits, vdd) over 8b × 8b at 0.8 V (TOPS/W ratio = energy-per-MAC ratio; held out). */
function colonnadeGain(id: string, bits: number, vdd: number, fj: number): GainPoint {
  const op = (b: number, v: number): OperatingPoint => ({ weightBits: b, inputBits: b, signedInputs: false, vdd: v, clockMHz: 100, inputZeroFraction: 0, weightSparsity: 0 });
  return {
    id, macro: 'colonnade-65nm', metric: 'efficiencyGain', role: 'held-out', tag: '[2nd]', published: 1169.65 / fj,
    source: `Colonnade (H. Kim et al., IEEE JSSC 2021, 65 nm, 128 × 128 bit-serial digital CIM), energy per MAC read off Fig. 16a by MIT CiMLoop (mit-emze/cimloop, colonnade_jssc_2021/_tests.py) [2nd]: ${bits}b × ${bits}b at ${vdd} V ${fj} fJ/MAC vs 8b × 8b at 0.8 V 1169.65 fJ/MAC, 100 MHz`,
    assumed: 'data condition not stated: uniformly random inputs and weights',
    operating: op(bits, vdd), baseline: op(8, 0.8),
  };
}

/** Every point, in report order. */
export const CALIBRATION_POINTS: readonly CalibrationPoint[] = [
  {
    id: 'redcim-int8', macro: 'redcim-28nm', metric: 'topsPerWatt', role: 'fit', tag: '[M]', published: 36.5,
    source: 'Tu et al., ISSCC 2022 15.5 title / JSSC 2023 abstract: "36.5 TOPS/W at INT8"; data condition "(50% input toggle rate, 50% weight sparsity)" from ZigZag-IMC dimc_validation.py [2nd]',
    assumed: `${NOMINAL}; 50 % toggle rate as uniformly random input values`,
    operating: { weightBits: 8, inputBits: 8, signedInputs: false, vdd: 0.9, clockMHz: 195, inputZeroFraction: 0, weightSparsity: 0.5 },
  },
  {
    id: 'yan-int8', macro: 'yan-28nm', metric: 'topsPerWatt', role: 'held-out', tag: '[M]', published: 27.38,
    source: 'Yan et al., ISSCC 2022 11.7 title: "27.38-TOPS/W Signed-INT8"; condition "(50% input sparsity, unknown weight sparsity, average performance reported)" from ZigZag-IMC dimc_validation.py [2nd]; measured at 0.8 V with a 3 ns clock (a literature digest of the paper [2nd])',
    assumed: 'the 27.38 TOPS/W taken at the 0.8 V / 333 MHz measurement point; unknown weight sparsity taken as dense',
    operating: { weightBits: 8, inputBits: 8, signedInputs: true, vdd: 0.8, clockMHz: 333, inputZeroFraction: 0.5, weightSparsity: 0 },
  },
  {
    id: 'yue-int4-dense', macro: 'yue-28nm', metric: 'topsPerWatt', role: 'held-out', tag: '[M]', published: 275,
    source: 'Yan, Yue et al., JSSC 2024 abstract: "275–1615-TOPS/W@INT4 … macro energy efficiency from dense to the average sparsity on the tested models" (the dense end)',
    assumed: `${NOMINAL}; dense = no zero weights, uniformly random inputs`,
    operating: { weightBits: 4, inputBits: 4, signedInputs: false, vdd: 0.9, clockMHz: 400, inputZeroFraction: 0, weightSparsity: 0 },
  },
  {
    id: 'guo-int8', macro: 'guo-28nm', metric: 'topsPerWatt', role: 'held-out', tag: '[2nd]', published: 19.5,
    source: 'Guo et al., ISSCC 2023 7.2, INT8 figure as transcribed by ZigZag-IMC dimc_validation.py "(50% input sparsity, 50% weight sparsity)", TOP/s/W 19.5',
    assumed: NOMINAL,
    operating: { weightBits: 8, inputBits: 8, signedInputs: false, vdd: 0.9, clockMHz: 182, inputZeroFraction: 0.5, weightSparsity: 0.5 },
  },
  {
    id: 'chih-4b', macro: 'chih-22nm', metric: 'topsPerWatt', role: 'held-out', tag: '[M]', published: 89,
    source: 'Chih et al., ISSCC 2021 16.4 title "An 89TOPS/W … in 22nm"; 4b × 4b per REFERENCES §2; normalised to 28 nm by tech-scaling.ts',
    assumed: `${NOMINAL}; data condition not found: uniformly random inputs, dense weights; 200 MHz`,
    operating: { weightBits: 4, inputBits: 4, signedInputs: false, vdd: 0.9, clockMHz: 200, inputZeroFraction: 0, weightSparsity: 0 },
  },
  {
    id: 'metis-sparsity-gain', macro: 'metis-12nm', metric: 'efficiencyGain', role: 'held-out', tag: '[M]', published: 82 / 15,
    source: 'Hager et al., ISSCC 2024 11.3 (figures of the D-IMC engine: "15 to 82 TOPS/W of energy efficiency in the D-IMC"): "15 TOPS/W at 0.68V … for random uniform activations and weights … Under high sparsity conditions, e.g., 50% input and 90% weight sparsity, the energy efficiency reaches up to 82 TOPS/W" (82 / 15 = 5.47×)',
    assumed: 'both at 0.68 V, 800 MHz (the sparse point\'s supply is not stated); INT8 signed activations and weights (signedness not stated)',
    operating: { weightBits: 8, inputBits: 8, signedInputs: true, vdd: 0.68, clockMHz: 800, inputZeroFraction: 0.5, weightSparsity: 0.9 },
    baseline: { weightBits: 8, inputBits: 8, signedInputs: true, vdd: 0.68, clockMHz: 800, inputZeroFraction: 0, weightSparsity: 0 },
  },
  ...GUO_BF16_TFLOPS_PER_W.slice(1).map(([vdd, tflops]) => guoSupplyGain(vdd, tflops)),
  ...COLONNADE_FJ_PER_MAC.filter(([bits, vdd]) => bits === 8 && vdd !== 0.8).map(([, vdd, fj]) => colonnadeGain(`colonnade-vdd-${String(vdd).replace('.', 'v')}`, 8, vdd, fj)),
  ...COLONNADE_FJ_PER_MAC.filter(([bits, vdd]) => bits !== 8 && vdd === 0.8).map(([bits, , fj]) => colonnadeGain(`colonnade-${bits}b`, bits, 0.8, fj)),
  {
    id: 'colonnade-area', macro: 'colonnade-65nm', metric: 'areaMm2', role: 'held-out', tag: '[2nd]', published: 0.2272, weightBits: 8,
    source: 'Colonnade, JSSC 2021 Fig. 17 as read by MIT CiMLoop: total 227,200 µm² (bitcell array with in-cell adders 83.9 %); 65 nm, normalised by tech-scaling.ts',
  },
  {
    id: 'd6cim-area', macro: 'd6cim-28nm', metric: 'areaMm2', role: 'held-out', tag: '[2nd]', published: 0.0159, weightBits: 8,
    source: 'D6CIM, ESSCIRC 2023: macro area 0.0159 mm² in KU Leuven CarbonSpot expr.py (DOI 10.1109/ESSCIRC59616.2023.10268725); 16 Kb at the title\'s 1005 Kb/mm² gives 0.0163 mm² [D]',
  },
  {
    id: 'guo-area', macro: 'guo-28nm', metric: 'areaMm2', role: 'held-out', tag: '[M]', published: 0.1462, weightBits: 8,
    source: 'Guo et al., ISSCC 2023 7.2: 64 Kb macro, 0.1462 mm² (ZigZag-IMC dimc_validation.py, \'area\': 0.1462)',
  },
  {
    id: 'chih-area', macro: 'chih-22nm', metric: 'areaMm2', role: 'held-out', tag: '[2nd]', published: 0.202, weightBits: 4,
    source: 'Chih et al., ISSCC 2021 16.4: macro area 0.202 mm² at 22 nm (KU Leuven CarbonSpot expr.py); normalised to 28 nm by tech-scaling.ts',
  },
  {
    id: 'redcim-area', macro: 'redcim-28nm', metric: 'areaMm2', role: 'held-out', tag: '[2nd]', published: 0.9408, weightBits: 8,
    source: 'Tu et al., ISSCC 2022 15.5: CIM macro area 0.9408 mm² (ZigZag-IMC dimc_validation.py, \'area\': 0.9408)',
  },
  {
    id: 'yan-area', macro: 'yan-28nm', metric: 'areaMm2', role: 'held-out', tag: '[M]', published: 0.03, weightBits: 8,
    source: 'Yan et al., ISSCC 2022 11.7 title "1.041-Mb/mm2": 32 Kb / 1.041 Mb/mm² = 0.030 mm²',
  },
  {
    id: 'yue-area', macro: 'yue-28nm', metric: 'areaMm2', role: 'held-out', tag: '[2nd]', published: 0.269, weightBits: 4,
    source: 'Yue et al., ISSCC 2023 16.3: 64 Kb macro, 0.269 mm² (ZigZag-IMC dimc_validation4.py, \'area\': 0.269)',
  },
  {
    id: 'd6cim-fmax-0v6', macro: 'd6cim-28nm', metric: 'maxClockMHz', role: 'fit', tag: '[2nd]', nodeNm: 28, vdd: 0.6, published: 30,
    source: 'D6CIM: Oh, Lin, Seok, ESSCIRC 2023 (28 nm digital CIM), shmoo plot / Table I as read by a literature digest of the paper [2nd]: "最低0.6 V/30 MHz"',
  },
  {
    id: 'd6cim-fmax-0v9', macro: 'd6cim-28nm', metric: 'maxClockMHz', role: 'fit', tag: '[2nd]', nodeNm: 28, vdd: 0.9, published: 233,
    source: 'D6CIM: Oh, Lin, Seok, ESSCIRC 2023 (28 nm digital CIM), shmoo plot / Table I as read by a literature digest of the paper [2nd]: "0.9 V: 233 MHz"',
  },
  {
    id: 'd6cim-fmax-1v1', macro: 'd6cim-28nm', metric: 'maxClockMHz', role: 'held-out', tag: '[2nd]', nodeNm: 28, vdd: 1.1, published: 360,
    source: 'D6CIM: Oh, Lin, Seok, ESSCIRC 2023 (28 nm digital CIM), shmoo plot / Table I as read by a literature digest of the paper [2nd]: "1.1 V: 正文360 MHz、图363 MHz" (text 360, figure 363)',
  },
];
