/**
 * What each load of the macro produces (MODEL §5), as an RTL testbench checks it: per slot and input
 * vector the segment's partial sum, and the load's compute cycles.
 *
 * - The partial sum of a slot for vector b is `Σ value_i · x[b, row_i]` over the slot's valid entries
 *   (rl fillers and nm padding are not valid): what the bit-serial AND / adder-tree /
 *   shift-accumulate of the macro leaves in the slot's accumulator after the vector's bit-planes
 *   (MSB plane weighted `−2^(b_x−1)` for signed inputs, so the sum is the two's complement value).
 * - A load's compute cycles are its processed bit-planes: for every vector, the b_x planes, less
 *   those in which no valid row of the load has its input bit set when `skipZeroBitPlanes` is on
 *   (the cycle-by-cycle reference engine's rule). Their sum over the loads is the simulator's
 *   `timing.computeCycles` (tested).
 * Rows are read from the encoded segments by the format's own decoder (never from the matrix).
 */
import { FORMATS } from '../formats/registry.js';
import type { EncodedMatrix } from '../formats/types.js';
import type { MacroConfig } from './config.js';
import type { SimInputs } from './result.js';
import { checkInputs, slotsPerLoad } from './slot-model.js';

/** The expected results of one load. */
export interface LoadPartials {
  readonly load: number;
  /** Occupied slots of the load. */
  readonly slots: number;
  /** `[B][slots]` partial sums, vector-major: `partials[b·slots + j]`. */
  readonly partials: Float64Array;
  /** Bit-planes the load processes over all vectors (its compute cycles). */
  readonly computeCycles: number;
}

/**
 * The partial sums and compute cycles of load `load` of `enc` for `inputs` on `config`.
 * @example loadPartials(enc, { data: x, batch: 2 }, cfg, 0).partials // [b0 slot0, b0 slot1, …, b1 slot0, …]
 */
export function loadPartials(enc: EncodedMatrix, inputs: SimInputs, config: MacroConfig, load: number): LoadPartials {
  const K = enc.rows, B = inputs.batch, x = inputs.data;
  checkInputs(x, B, K, config);
  const L = slotsPerLoad(enc, config);
  const S = enc.segments.length;
  if (!Number.isInteger(load) || load < 0 || load * L >= S) throw new RangeError(`loadPartials: load ${load} is not one of the ${Math.ceil(S / L)} loads`);
  const codec = FORMATS[enc.id];
  const first = load * L, slots = Math.min(S, first + L) - first;
  const rows = new Int32Array(enc.segmentRows), values = new Int32Array(enc.segmentRows);
  const partials = new Float64Array(B * slots);
  const validRows = new Set<number>();
  for (let j = 0; j < slots; j++) {
    const n = codec.readSegment(enc, first + j, rows, values);
    for (let i = 0; i < n; i++) {
      const r = rows[i]!;
      if (r < 0) continue;
      validRows.add(r);
      const v = values[i]!;
      for (let b = 0; b < B; b++) partials[b * slots + j] += v * x[b * K + r]!;
    }
  }
  const bx = config.inputBits;
  let computeCycles = 0;
  if (!config.skipZeroBitPlanes) computeCycles = B * bx;
  else {
    const mask = bx >= 32 ? -1 : (1 << bx) - 1; // the b_x-bit two's complement pattern the macro sees
    for (let b = 0; b < B; b++) {
      let planes = 0;
      for (const r of validRows) planes |= x[b * K + r]! & mask;
      for (let p = 0; p < bx; p++) computeCycles += (planes >>> p) & 1;
    }
  }
  return { load, slots, partials, computeCycles };
}
