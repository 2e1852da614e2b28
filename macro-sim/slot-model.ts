/**
 * Definitions shared by both engines (not algorithms): widths and fan-ins of one slot's datapath,
 * the accumulator range, and the checks that a matrix fits the macro. Keeping the *definitions* in
 * one place lets the fast and the reference engine differ only in how they count.
 */
import { SimulationError } from '../errors.js';
import { ceilLog2 } from '../formats/segment-meta.js';
import type { EncodedMatrix } from '../formats/types.js';
import type { MacroConfig } from './config.js';

/** Adder-tree depth D = ceil(log2 R) (R ≥ 2, so D ≥ 1). */
export function treeDepth(rows: number): number {
  return ceilLog2(rows);
}

/** Shift-accumulator width `b_w + D + b_x`: the tree output (b_w + D bits) shifted by up to b_x − 1. */
export function shiftAccWidth(valueBits: number, rows: number, inputBits: number): number {
  return valueBits + treeDepth(rows) + inputBits;
}

/** Row-pointer width of the rl decoder: `b_base = max(1, ceil(log2 K))` (MODEL §4). */
export function rowPointerBits(K: number): number {
  return Math.max(1, ceilLog2(K));
}

/**
 * Input-routing mux levels for each valid row of a segment, `ceil(log2 fan-in)` (MODEL §5):
 * dense 1 → 0, coo 2^b_i → b_i, rl span → ceil(log2 span), nm m → ceil(log2 m), bitmask → D.
 */
export function routingLevels(enc: EncodedMatrix, rows: number, span: number): number {
  switch (enc.id) {
    case 'dense':
      return 0;
    case 'coo':
      return enc.indexFieldBits;
    case 'rl':
      return ceilLog2(Math.max(1, span));
    case 'nm':
      return ceilLog2(enc.params['m']!);
    case 'bitmask':
      return treeDepth(rows);
  }
}

/** Slots per load L = floor(C / entryBits); throws SimulationError when L = 0 or segments exceed R. */
export function slotsPerLoad(enc: EncodedMatrix, config: MacroConfig): number {
  const L = Math.floor(config.bitColumns / enc.entryBits);
  if (L === 0) {
    throw new SimulationError(
      'SLOT_TOO_WIDE',
      `entryBits ${enc.entryBits} > bitColumns ${config.bitColumns}: no segment fits a slot; lower --weight-bits or the index bits, or raise --bit-columns`,
    );
  }
  if (enc.segmentRows > config.rows) {
    throw new SimulationError(
      'SEGMENT_TOO_TALL',
      `segments hold up to ${enc.segmentRows} entries but the macro has ${config.rows} rows; encode with segment rows = ${config.rows} (--rows)`,
    );
  }
  return L;
}

/** Largest and smallest value of a signed `bits`-bit register. */
export function accumulatorRange(bits: number): { min: number; max: number } {
  const half = 2 ** (bits - 1);
  return { min: -half, max: half - 1 };
}

/** Bits of the smallest signed register that holds `v` (an exact integer). */
export function signedBitsNeeded(v: number): number {
  let bits = 1;
  let half = 1; // 2^(bits-1)
  while (v < -half || v > half - 1) {
    bits++;
    half *= 2;
  }
  return bits;
}

/** The overflow error: names the column, the vector, the value and the bits needed. */
export function overflowError(what: 'segment partial sum' | 'output', col: number, vector: number, value: number, bits: number): SimulationError {
  return new SimulationError(
    'ACCUMULATOR_OVERFLOW',
    `${what} of column ${col} (input vector ${vector}) is ${value}, which needs ${signedBitsNeeded(value)} signed bits but accumulatorBits is ${bits}; raise macro.accumulatorBits to ${signedBitsNeeded(value)} or more`,
  );
}

/**
 * Check inputs `[B, K]` against b_x (unsigned `[0, 2^b_x − 1]`, signed `[−2^(b_x−1), 2^(b_x−1) − 1]`).
 * Throws SimulationError `INPUT_OUT_OF_RANGE` naming the first offender.
 */
export function checkInputs(data: Int32Array, batch: number, K: number, config: MacroConfig): void {
  if (!Number.isInteger(batch) || batch < 1) {
    throw new SimulationError('BAD_BATCH', `batch must be a positive integer; got ${batch}`);
  }
  if (data.length !== batch * K) {
    throw new SimulationError('INPUT_SHAPE', `inputs hold ${data.length} values but batch ${batch} × K ${K} = ${batch * K} are needed; pass [B, K] row-major inputs`);
  }
  const bx = config.inputBits;
  const lo = config.signedInputs ? -(2 ** (bx - 1)) : 0;
  const hi = config.signedInputs ? 2 ** (bx - 1) - 1 : 2 ** bx - 1;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < lo || v > hi) {
      const b = Math.floor(i / K);
      throw new SimulationError(
        'INPUT_OUT_OF_RANGE',
        `input [${b}, ${i - b * K}] = ${v} is outside the ${config.signedInputs ? 'signed' : 'unsigned'} ${bx}-bit range [${lo}, ${hi}]; raise --input-bits${config.signedInputs ? '' : ' or use --signed-inputs'}`,
      );
    }
  }
}
