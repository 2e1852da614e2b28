/**
 * Test helpers for the macro simulator: small integer matrices, format-respecting random matrices
 * and encodings through the real codecs (formats/registry.ts).
 */
import fc from 'fast-check';
import { encodeMatrix } from '../../formats/registry.js';
import { resolveMacroConfig, type MacroConfig } from '../../macro-sim/config.js';
import type { SimInputs } from '../../macro-sim/result.js';
import type { EncodedMatrix, IntMatrix } from '../../formats/types.js';

/** A column-major IntMatrix from row-major `rows` (easier to write by hand). */
export function matrixFromRows(rows: readonly (readonly number[])[]): IntMatrix {
  const K = rows.length;
  const N = rows[0]!.length;
  const data = new Int16Array(K * N);
  for (let k = 0; k < K; k++) for (let j = 0; j < N; j++) data[j * K + k] = rows[k]![j]!;
  return { rows: K, cols: N, data };
}

/** Encode with the real codec. */
export function encode(q: IntMatrix, spec: string, valueBits: number, segmentRows: number): EncodedMatrix {
  return encodeMatrix(q, spec, { valueBits, segmentRows });
}

/** The plain integer product y[b, j] = Σ_k x[b, k] q[k, j], `[B, N]` row-major. */
export function plainProduct(q: IntMatrix, x: Int32Array, batch: number): Float64Array {
  const { rows: K, cols: N, data } = q;
  const y = new Float64Array(batch * N);
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += x[b * K + k]! * data[j * K + k]!;
      y[b * N + j] = s;
    }
  }
  return y;
}

/** One random simulation case: matrix, format, macro parameters and inputs. */
export interface SimCase {
  q: IntMatrix;
  spec: string;
  valueBits: number;
  macro: Record<string, unknown>;
  inputs: Int32Array;
  batch: number;
}

/** Make every group [g·m, g·m+m) of every column hold at most n nonzeros (keep the first ones). */
function enforceNm(q: IntMatrix, n: number, m: number): void {
  for (let j = 0; j < q.cols; j++) {
    for (let a = 0; a < q.rows; a += m) {
      let kept = 0;
      for (let k = a; k < Math.min(q.rows, a + m); k++) {
        if (q.data[j * q.rows + k] !== 0 && ++kept > n) q.data[j * q.rows + k] = 0;
      }
    }
  }
}

/** fast-check arbitrary of small, valid simulation cases over every format. */
export const simCaseArb: fc.Arbitrary<SimCase> = fc
  .record({
    K: fc.integer({ min: 1, max: 40 }),
    N: fc.integer({ min: 1, max: 5 }),
    valueBits: fc.integer({ min: 2, max: 8 }),
    density: fc.double({ min: 0, max: 1, noNaN: true }),
    spec: fc.constantFrom('dense', 'bitmask', 'coo', 'coo:2', 'coo:0', 'rl:1', 'rl:2', 'rl:4', 'nm:2:4', 'nm:1:3', 'nm:3:3'),
    rows: fc.integer({ min: 3, max: 16 }),
    slots: fc.integer({ min: 1, max: 4 }),
    extraColumns: fc.integer({ min: 0, max: 7 }),
    macros: fc.integer({ min: 1, max: 3 }),
    inputBits: fc.integer({ min: 2, max: 6 }),
    signedInputs: fc.boolean(),
    skipZeroBitPlanes: fc.boolean(),
    overlapWrites: fc.boolean(),
    weightsResident: fc.boolean(),
    writeRowsPerCycle: fc.integer({ min: 1, max: 3 }),
    writeBusBits: fc.integer({ min: 1, max: 64 }),
    batch: fc.integer({ min: 1, max: 3 }),
    inputZeroFraction: fc.constantFrom(0, 0.5, 0.9, 1),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  })
  .map((p) => {
    let s = p.seed >>> 0;
    const rand = (): number => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
    const Q = 2 ** (p.valueBits - 1) - 1;
    const data = new Int16Array(p.K * p.N);
    for (let i = 0; i < data.length; i++) data[i] = rand() < p.density ? Math.floor(rand() * (2 * Q + 1)) - Q : 0;
    const q: IntMatrix = { rows: p.K, cols: p.N, data };
    if (p.spec.startsWith('nm:')) {
      const [, n, m] = p.spec.split(':').map(Number);
      enforceNm(q, n!, m!);
    }
    const lo = p.signedInputs ? -(2 ** (p.inputBits - 1)) : 0;
    const hi = p.signedInputs ? 2 ** (p.inputBits - 1) - 1 : 2 ** p.inputBits - 1;
    const inputs = new Int32Array(p.batch * p.K);
    for (let i = 0; i < inputs.length; i++) inputs[i] = rand() < p.inputZeroFraction ? 0 : lo + Math.floor(rand() * (hi - lo + 1));
    // entryBits is known only after encoding: the case stores slots and extra columns, the test sizes C.
    return {
      q,
      spec: p.spec,
      valueBits: p.valueBits,
      macro: {
        rows: p.rows,
        macros: p.macros,
        inputBits: p.inputBits,
        signedInputs: p.signedInputs,
        skipZeroBitPlanes: p.skipZeroBitPlanes,
        overlapWrites: p.overlapWrites,
        weightsResident: p.weightsResident,
        writeRowsPerCycle: Math.min(p.writeRowsPerCycle, p.rows),
        writeBusBits: p.writeBusBits,
        accumulatorBits: 48,
        _slots: p.slots,
        _extraColumns: p.extraColumns,
      },
      inputs,
      batch: p.batch,
    };
  });

/** A case encoded with the real codec, on a macro of `_slots` slots plus `_extraColumns` spare bit-columns, and its inputs. */
export function caseSetup(c: SimCase): { enc: EncodedMatrix; config: MacroConfig; inputs: SimInputs } {
  const enc = encode(c.q, c.spec, c.valueBits, c.macro.rows as number);
  const { _slots, _extraColumns, ...macro } = c.macro;
  const config = resolveMacroConfig({ ...macro, bitColumns: enc.entryBits * (_slots as number) + (_extraColumns as number) });
  return { enc, config, inputs: { data: c.inputs, batch: c.batch } };
}
