/**
 * The macro parameters of MODEL §5 as one table: for every parameter its value type and range, its
 * unit, its default, its CLI flag and its help line. Everything that reads or writes a macro
 * parameter is generated from this table: `resolveMacroConfig` (validation and defaults), the
 * `--rows`, `--clock-mhz`, … flags of `run`, `encode` and `eval`, and the macro axes of a sweep
 * spec. A new parameter is one row here (plus its use in the model).
 *
 * Defaults are the SP-IMC assumptions of the `sp-imc-28nm` preset (macro-sim/presets.ts says why
 * each is assumed: SP-IMC's array size and clock are not public); presets override some of them.
 */
import type { TargetUnit } from './units.js';

/** The scalar macro parameters (MODEL §5 names). */
export interface MacroParams {
  /** R: rows of the array = adder-tree fan-in = segment capacity (entries per slot). */
  readonly rows: number;
  /** C: bit-columns of the array; a load holds floor(C / entryBits) slots. */
  readonly bitColumns: number;
  /** M: macros computing in parallel. */
  readonly macros: number;
  /**
   * G: weight sets each macro stores that share its adder trees and compute one at a time (the
   * "group depth" of ZigZag-IMC; e.g. Yan et al. ISSCC 2022 11.7 stores 16 sets of 32 rows per tree).
   * M·G loads stay resident; G scales the array area and leakage, not the compute.
   */
  readonly weightSets: number;
  /** b_x: input bits, fed bit-serially (one bit-plane per cycle). */
  readonly inputBits: number;
  /** Inputs are two's complement (the MSB bit-plane is weighted −2^(b_x−1)). */
  readonly signedInputs: boolean;
  readonly clockMHz: number;
  /** Supply voltage in V; dynamic energies scale with (vdd / 0.9)². */
  readonly vdd: number;
  /** Technology node in nm (the energy table is for 28 nm). */
  readonly techNm: number;
  /** Array rows written per cycle during a load. */
  readonly writeRowsPerCycle: number;
  /** Width of the weight-write bus in bits per cycle. */
  readonly writeBusBits: number;
  /** Ping-pong: the next round's write and decode run while the current round computes. */
  readonly overlapWrites: boolean;
  /** Weights of the first M loads are pre-loaded: only re-writes cost write time and energy. */
  readonly weightsResident: boolean;
  /** Skip a bit-plane when its input bits are zero on every valid row of the load. */
  readonly skipZeroBitPlanes: boolean;
  /** Width of partial-sum and output registers (signed); overflow is an error, never a wrap. */
  readonly accumulatorBits: number;
}

/** Name of a scalar macro parameter. */
export type MacroParamKey = keyof MacroParams;

interface ParamCommon {
  readonly key: MacroParamKey;
  /** CLI flag without the dashes (`clock-mhz`); booleans also get `--no-<flag>`. */
  readonly flag: string;
  /** One line for `--help` and the sweep docs. */
  readonly help: string;
}

/** An integer parameter in `[min, max]`. */
export interface IntParam extends ParamCommon {
  readonly kind: 'int';
  readonly min: number;
  readonly max: number;
  /** Placeholder of the flag's value (`<R>`). */
  readonly arg: string;
  /** Said after the range in an error, e.g. why the range is what it is. */
  readonly rangeNote?: string;
  /** A number, or the name of the parameter whose resolved value is the default. */
  readonly default: number | 'bitColumns';
}

/** A real-valued parameter in `(min, max]` or `[min, max]`, given as a number or a unit string. */
export interface NumberParam extends ParamCommon {
  readonly kind: 'number';
  readonly min: number;
  readonly max: number;
  /** The lower bound is exclusive. */
  readonly openMin: boolean;
  readonly arg: string;
  /** The unit the value is stored in; strings such as `"1 GHz"` are converted to it. */
  readonly unit: TargetUnit;
  readonly default: number;
}

/** A true/false parameter. */
export interface BooleanParam extends ParamCommon {
  readonly kind: 'boolean';
  readonly default: boolean;
}

/** One row of the table. */
export type MacroParam = IntParam | NumberParam | BooleanParam;

/** Every scalar macro parameter, in report order. */
export const MACRO_PARAMS: readonly MacroParam[] = [
  { key: 'rows', kind: 'int', min: 2, max: 65536, default: 256, flag: 'rows', arg: '<R>', help: 'macro rows R (= adder-tree fan-in = segment capacity)' },
  { key: 'bitColumns', kind: 'int', min: 1, max: 65536, default: 256, flag: 'bit-columns', arg: '<C>', help: 'macro bit-columns C (a load holds floor(C / entry bits) slots)' },
  { key: 'macros', kind: 'int', min: 1, max: 1_000_000, default: 1, flag: 'macros', arg: '<M>', help: 'number of macros M computing in parallel' },
  {
    key: 'weightSets', kind: 'int', min: 1, max: 65536, default: 1, flag: 'weight-sets', arg: '<G>',
    help: 'weight sets stored per macro that share its adder trees (group depth G): M·G loads stay resident, one set computes at a time',
  },
  { key: 'inputBits', kind: 'int', min: 1, max: 16, default: 8, flag: 'input-bits', arg: '<b>', help: 'input precision b_x (bit-serial)' },
  { key: 'signedInputs', kind: 'boolean', default: false, flag: 'signed-inputs', help: "inputs are signed (two's complement, MSB plane weighted negatively)" },
  { key: 'clockMHz', kind: 'number', min: 0, max: 100_000, openMin: true, unit: 'MHz', default: 200, flag: 'clock-mhz', arg: '<f>', help: 'clock (a number in MHz or a unit string, e.g. "1 GHz")' },
  { key: 'vdd', kind: 'number', min: 0.5, max: 1.2, openMin: false, unit: 'V', default: 0.9, flag: 'vdd', arg: '<v>', help: 'supply voltage (V or a unit string); dynamic energies scale with vdd²' },
  {
    key: 'techNm', kind: 'int', min: 28, max: 28, default: 28, flag: 'tech-nm', arg: '<nm>',
    rangeNote: ' nm (the only node with cited energy constants; override `energy` and keep 28)', help: 'technology node in nm (28: the node of the cited energy constants)',
  },
  { key: 'writeRowsPerCycle', kind: 'int', min: 1, max: 65536, default: 1, flag: 'write-rows-per-cycle', arg: '<n>', help: 'array rows written per cycle during a load' },
  { key: 'writeBusBits', kind: 'int', min: 1, max: 1 << 24, default: 'bitColumns', flag: 'write-bus-bits', arg: '<n>', help: 'weight-write bus width in bits (default: one array row, C bits)' },
  { key: 'overlapWrites', kind: 'boolean', default: false, flag: 'overlap-writes', help: "ping-pong: hide the next load's write behind compute" },
  { key: 'weightsResident', kind: 'boolean', default: true, flag: 'weights-resident', help: 'weights pre-loaded: no write cost when everything fits' },
  { key: 'skipZeroBitPlanes', kind: 'boolean', default: true, flag: 'skip-zero-bit-planes', help: 'skip all-zero input bit-planes' },
  {
    key: 'accumulatorBits', kind: 'int', min: 2, max: 53, default: 32, flag: 'accumulator-bits', arg: '<n>',
    rangeNote: ' (outputs are exact doubles up to 2^53)', help: 'partial-sum and output register width (overflow is an error)',
  },
];

/** The scalar keys, in report order. */
export const MACRO_KEYS: readonly MacroParamKey[] = MACRO_PARAMS.map((p) => p.key);

/** The table row of `key`. */
export function macroParam(key: MacroParamKey): MacroParam {
  return MACRO_PARAMS.find((p) => p.key === key)!;
}

/** True when `key` names a scalar macro parameter. */
export function isMacroParamKey(key: string): key is MacroParamKey {
  return MACRO_PARAMS.some((p) => p.key === key);
}

const show = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v) ?? String(v));

/**
 * Why `value` (already unit-converted) is not a valid value of `p`, or null when it is.
 *
 * @example paramProblem(macroParam('rows'), 1) // "must be an integer in [2, 65536]; got 1"
 */
export function paramProblem(p: MacroParam, value: unknown): string | null {
  switch (p.kind) {
    case 'boolean':
      return typeof value === 'boolean' ? null : `must be true or false; got ${show(value)}`;
    case 'int': {
      if (typeof value === 'number' && Number.isInteger(value) && value >= p.min && value <= p.max) return null;
      const range = p.min === p.max ? `${p.min}` : p.max === Infinity ? `an integer ≥ ${p.min}` : `an integer in [${p.min}, ${p.max}]`;
      return `must be ${range}${p.rangeNote ?? ''}; got ${show(value)}`;
    }
    case 'number': {
      const ok = typeof value === 'number' && Number.isFinite(value) && (p.openMin ? value > p.min : value >= p.min) && value <= p.max;
      if (ok) return null;
      const range = p.max === Infinity ? `${p.openMin ? '>' : '≥'} ${p.min}` : `in ${p.openMin ? '(' : '['}${p.min}, ${p.max}]`;
      return `must be ${range} ${p.unit}; got ${show(value)}`;
    }
  }
}
