/**
 * Small cases computed by hand: every number below is derived in the comments from MODEL §5 and the
 * definitions in macro-sim/events.ts and macro-sim/timing.ts. Both engines must reproduce them.
 */
import { describe, expect, test } from 'vitest';
import { resolveMacroConfig } from '../../macro-sim/config.js';
import { simulate } from '../../macro-sim/engine.js';
import { simulateReference } from '../../macro-sim/reference-engine.js';
import { encode, matrixFromRows } from './helpers.js';

const engines = [
  ['fast', simulate],
  ['reference', simulateReference],
] as const;

describe.each(engines)('hand-computed cases (%s engine)', (_name, run) => {
  // Case A — dense, 2 loads on 1 macro.
  // q (K = 4, N = 2, b_w = 4): col0 = [1, 0, -2, 3], col1 = [0, 0, 0, 5]; dense, R = 4 → one
  // segment per column. entryBits = 4, C = 4 → L = 1 slot per load → loads = 2; M = 1 → rounds = 2,
  // re-writes = 1. Inputs (B = 1, b_x = 2): x = [1, 2, 0, 3] = binary 01, 10, 00, 11.
  const qA = matrixFromRows([
    [1, 0],
    [0, 0],
    [-2, 0],
    [3, 5],
  ]);
  const encA = () => encode(qA, 'dense', 4, 4);
  const xA = { data: new Int32Array([1, 2, 0, 3]), batch: 1 };
  const cfgA = (extra: Record<string, unknown> = {}) =>
    resolveMacroConfig({ rows: 4, bitColumns: 4, macros: 1, inputBits: 2, ...extra });

  test('case A: outputs are 1·1 + 3·3 = 10 and 3·5 = 15', () => {
    expect(Array.from(run(encA(), xA, cfgA()).outputs)).toEqual([10, 15]);
  });

  test('case A: mapping has 2 segments, L = 1, 2 loads, 2 rounds, 1 re-write, utilization 8 / (2·1·4) = 1', () => {
    expect(run(encA(), xA, cfgA()).mapping).toEqual({ segments: 2, slotsPerLoad: 1, loads: 2, rounds: 2, rewrites: 1, utilization: 1 });
  });

  test('case A: event counts match the hand arithmetic', () => {
    // popcounts of x: 1, 1, 0, 2 → each column's 4 valid rows sum to 4 → 8 → ANDs = b_w · 8 = 32.
    // Both loads use rows {0,1,2,3}: OR = 01|10|00|11 = 11 → 2 planes each → P = 4, none skipped.
    // D = 2; a full slot of 4 rows: level 1: 2 nodes × (4 + 1 − 1) = 8, level 2: 1 node × 5 = 5 → 13
    //   per plane → 13 × 4 = 52 FA bits.
    // Shift-accumulator b_w + D + b_x = 8 bits × 1 active slot × 4 planes = 32.
    // Input buffer: 4 distinct rows × 4 planes = 16. Dense routing: 0 levels.
    // Resident weights, M = 1: load 0 pre-loaded, load 1 written: 4 entries × 4 bits = 16 (no metadata).
    // Outputs: N·B = 2 writes × 32 bits. One segment per column → no partial-sum adds.
    // ANDs that are 1: weight bits (4-bit two's complement) 1 = 0001 → 1, 0 → 0, −2 = 1110 → 3,
    //   3 = 0011 → 2, 5 = 0101 → 2; × popSum of the row: col0 1·1 + 0·1 + 3·0 + 2·2 = 5, col1 2·2 = 4
    //   → 9; each ripples through D = 2 tree levels → 18 data bits.
    expect(run(encA(), xA, cfgA()).events).toEqual({
      bitcellAnds: 32, bitcellOnes: 9, adderTreeFaBits: 52, adderTreeDataBits: 18, shiftAccBits: 32, inputRoutingMuxLevels: 0, rlDecodeAdds: 0,
      rlDecodeAddBits: 0, inputBufferBits: 16, macroWriteBits: 16, bufferReadBits: 16, outputWrites: 2,
      outputWriteBits: 64, partialSumAdds: 0, partialSumAddBits: 0, bitPlanesProcessed: 4, bitPlanesSkipped: 0,
      validRows: 8, paddingRows: 0,
    });
  });

  test('case A: cycles are (0 + 3 + 2) + (4 + 3 + 2) = 14 without ping-pong, 70 ns at 200 MHz', () => {
    // fill = D + 1 = 3. Load 0: pre-loaded → setup 0, exec 3 + 2 planes = 5.
    // Load 1: write = max(ceil(4 rows / 1 per cycle), ceil(16 bits / 4-bit bus)) = 4; exec 5.
    const t = run(encA(), xA, cfgA()).timing;
    expect(t).toEqual({ cycles: 14, latencyNs: 70, writeCycles: 4, decodeCycles: 0, fillCycles: 6, computeCycles: 4 });
  });

  test('case A: ping-pong hides load 1\'s write: 0 + max(5, 4) + max(5, 0) = 10 cycles', () => {
    expect(run(encA(), xA, cfgA({ overlapWrites: true })).timing.cycles).toBe(10);
  });

  test('case A: without resident weights both loads are written: 32 bits and 4 + 5 + 4 + 5 = 18 cycles', () => {
    const r = run(encA(), xA, cfgA({ weightsResident: false }));
    expect(r.events.macroWriteBits).toBe(32);
    expect(r.timing.cycles).toBe(18);
  });

  // Case B — coo:2 with a span cut, two segments of one column in one load, two vectors.
  // Column (K = 8, b_w = 3): row 0 → 3, row 1 → −1, row 5 → 2, row 7 → 1. coo:2 (local row < 4), R = 4:
  // rows 0, 1 share base 0; row 5 − 0 ≥ 4 opens a segment at base 5; row 7 − 5 = 2 joins it.
  // entryBits = 3 + 2 = 5, C = 10 → L = 2 → 1 load, M = 2 → 1 round, no re-write.
  // Inputs (b_x = 3): x0 = [1,0,0,0,0,4,0,0], x1 = [0,0,0,0,0,0,0,3].
  const qB = matrixFromRows([[3], [-1], [0], [0], [0], [2], [0], [1]]);
  const encB = () => encode(qB, 'coo:2', 3, 4);
  const xB = { data: new Int32Array([1, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3]), batch: 2 };
  const cfgB = (extra: Record<string, unknown> = {}) =>
    resolveMacroConfig({ rows: 4, bitColumns: 10, macros: 2, inputBits: 3, ...extra });

  test('case B: outputs are 3·1 + 2·4 = 11 and 1·3 = 3', () => {
    expect(Array.from(run(encB(), xB, cfgB()).outputs)).toEqual([11, 3]);
  });

  test('case B: event counts match the hand arithmetic', () => {
    // popSum over both vectors: row0 1, row1 0, row5 1, row7 2 (3 = 011) → 4 → ANDs = 3 · 4 = 12.
    // Load rows {0,1,5,7}: x0 OR = 001|100 = 101 → 2 planes, 1 skipped; x1 OR = 011 → 2, 1 skipped.
    // D = 2; each slot has 2 valid rows: level 1: 1 node × 3, level 2: 1 node × 4 → 7; 2 slots → 14 × 4 planes = 56.
    // Shift-acc: (3 + 2 + 3) = 8 bits × 2 slots × 4 = 64. coo routing: b_i = 2 levels × 4 valid rows × 4 = 32.
    // Input buffer: 4 distinct rows × 4 = 16. Resident, load 0 < M: nothing written.
    // Two segments in the column → (2 − 1) × B = 2 partial-sum adds × 32 bits.
    // Padding: 1 load × 2 slots × 4 rows − 4 valid = 4.
    // Ones: weights (3-bit) 3 = 011 → 2, −1 = 111 → 3, 2 = 010 → 1, 1 = 001 → 1; × popSum
    //   2·1 + 3·0 + 1·1 + 1·2 = 5 → × D = 2 → 10 data bits.
    expect(run(encB(), xB, cfgB()).events).toEqual({
      bitcellAnds: 12, bitcellOnes: 5, adderTreeFaBits: 56, adderTreeDataBits: 10, shiftAccBits: 64, inputRoutingMuxLevels: 32, rlDecodeAdds: 0,
      rlDecodeAddBits: 0, inputBufferBits: 16, macroWriteBits: 0, bufferReadBits: 0, outputWrites: 2,
      outputWriteBits: 64, partialSumAdds: 2, partialSumAddBits: 64, bitPlanesProcessed: 4, bitPlanesSkipped: 2,
      validRows: 4, paddingRows: 4,
    });
  });

  test('case B: 3 fill + 4 processed planes = 7 cycles; written, + max(ceil(2/1), ceil(32/10)) = 4 → 11', () => {
    expect(run(encB(), xB, cfgB()).timing.cycles).toBe(7);
    // Written: each slot 2 entries × 5 bits + 6 metadata bits (b_base 3 + b_count 3) = 16 → 32 bits.
    const w = run(encB(), xB, cfgB({ weightsResident: false }));
    expect(w.events.macroWriteBits).toBe(32);
    expect(w.timing.cycles).toBe(11);
  });

  test('case B: without plane skipping all 3 planes of both vectors run: 6 processed, 3 + 6 = 9 cycles', () => {
    const r = run(encB(), xB, cfgB({ skipZeroBitPlanes: false }));
    expect(r.events.bitPlanesProcessed).toBe(6);
    expect(r.events.bitPlanesSkipped).toBe(0);
    expect(r.timing.cycles).toBe(9);
    expect(r.events.bitcellAnds).toBe(12); // skipped planes held no 1 bits
  });

  // Case C — rl:2 with fillers and decode.
  // K = 20, one column: row 0 → 1, row 19 → 2; rl:2 (maxRun 3), R = 8, b_w = 3. Row 19: gap 18 →
  // f = floor(18 / 4) = 4 fillers (0, run 3), then run 18 − 16 = 2: 6 physical entries, valid at
  // positions 0 and 5. entryBits = 5, C = 5 → L = 1. Inputs (b_x = 2): x[0] = 1, x[19] = 1, x[5] = 3
  // (row 5 is not a valid row of the segment, so it does not stop plane 1 from being skipped).
  const qC = matrixFromRows(Array.from({ length: 20 }, (_, k) => [k === 0 ? 1 : k === 19 ? 2 : 0]));
  const encC = () => encode(qC, 'rl:2', 3, 8);
  const xCdata = new Int32Array(20);
  xCdata[0] = 1;
  xCdata[19] = 1;
  xCdata[5] = 3;
  const xC = { data: xCdata, batch: 1 };
  const cfgC = () => resolveMacroConfig({ rows: 8, bitColumns: 5, inputBits: 2 });

  test('case C: output is 1·1 + 2·1 = 3 and the rl events match the hand arithmetic', () => {
    // ANDs: popSum 1 + 1 = 2 → 3 · 2 = 6. OR over rows {0, 19} = 01 → 1 plane, 1 skipped.
    // D = 3; valid positions {0, 5}: level 1 nodes {0, 2} → 2 × 3; level 2 {0, 1} → 2 × 4; level 3 {0} → 5 → 19.
    // Shift-acc (3 + 3 + 2) = 8. Routing: span 20 → ceil(log2 20) = 5 levels × 2 valid rows = 10.
    // Decode: 6 run fields → 6 adds × b_base (ceil(log2 20) = 5) = 30 bits. Input buffer 2 rows × 1 plane.
    const r = run(encC(), xC, cfgC());
    expect(Array.from(r.outputs)).toEqual([3]);
    // Ones: 1 = 001 and 2 = 010 → 1 each × popSum 1 → 2 (fillers are not valid rows) → × D = 3 → 6.
    expect(r.events).toEqual({
      bitcellAnds: 6, bitcellOnes: 2, adderTreeFaBits: 19, adderTreeDataBits: 6, shiftAccBits: 8, inputRoutingMuxLevels: 10, rlDecodeAdds: 6,
      rlDecodeAddBits: 30, inputBufferBits: 2, macroWriteBits: 0, bufferReadBits: 0, outputWrites: 1,
      outputWriteBits: 32, partialSumAdds: 0, partialSumAddBits: 0, bitPlanesProcessed: 1, bitPlanesSkipped: 1,
      validRows: 2, paddingRows: 6,
    });
  });

  test('case C: cycles = decode 6 + fill (3 + 1) + 1 plane = 11', () => {
    expect(run(encC(), xC, cfgC()).timing).toMatchObject({ cycles: 11, decodeCycles: 6, fillCycles: 4, computeCycles: 1 });
  });

  test('signed inputs weight the MSB plane negatively: [-1, 1] · [3, 2]ᵀ = −1', () => {
    const q = matrixFromRows([[3], [2]]);
    const r = run(encode(q, 'dense', 3, 2), { data: new Int32Array([-1, 1]), batch: 1 }, resolveMacroConfig({ rows: 2, bitColumns: 3, inputBits: 2, signedInputs: true }));
    expect(Array.from(r.outputs)).toEqual([-1]);
  });
});

describe('hand-computed energy and area (case A: dense 4 × 4, b_w = 4, b_x = 2, M = 1)', () => {
  const q = matrixFromRows([
    [1, 0],
    [0, 0],
    [-2, 0],
    [3, 5],
  ]);
  const cfg = resolveMacroConfig({ rows: 4, bitColumns: 4, macros: 1, inputBits: 2 });
  const r = simulate(encode(q, 'dense', 4, 4), { data: new Int32Array([1, 2, 0, 3]), batch: 1 }, cfg);

  test('energy = Σ events × table at 0.9 V, component by component', () => {
    // Events of case A above × the default table (energy-table.ts), fJ → pJ:
    const t = cfg.energy;
    const expected: Record<string, number> = {
      bitcell: 32 * t.bitcellAndFj, adderTree: 52 * t.adderTreeFaBitFj, adderTreeData: 18 * t.adderTreeDataBitFj,
      shiftAccumulate: 32 * t.shiftAccBitFj, inputRouting: 0, rlDecode: 0, inputBuffer: 16 * t.inputBufferBitFj,
      macroWrite: 16 * t.macroWriteBitFj, bufferRead: 16 * t.bufferReadBitFj, outputWrite: 64 * t.outputWriteBitFj, partialSum: 0,
    };
    for (const [k, fj] of Object.entries(expected)) expect(r.energy.breakdownPj[k]).toBeCloseTo(fj / 1000, 12);
    // Leakage: 0.9216 µW per Kb × (4·4 / 1024) Kb × 70 ns = 1.008 fJ (µW · ns = fJ).
    expect(r.energy.breakdownPj.leakage).toBeCloseTo((0.9216 * (16 / 1024) * 70) / 1000, 12);
    // Spelled out with the default table's numbers:
    // 32·0.28 + 52·0 + 18·0.371 + 32·5.1 + 16·1.7 + 16·42 + 16·244 + 64·1.7 fJ + 1.008 fJ leakage.
    expect(r.energy.totalPj).toBeCloseTo((32 * 0.28 + 52 * 0 + 18 * 0.371 + 32 * 5.1 + 16 * 1.7 + 16 * 42 + 16 * 244 + 64 * 1.7 + 1.008) / 1000, 6);
  });

  test('area = Σ components × unit areas (area-table.ts), by hand', () => {
    // R = 4, C = 4, G = 1, b_w = 4, b_x = 2, L = 1 slot, D = 2:
    // bits 16; multipliers L·R·b_w = 16; tree: level 1 2 × 4 + level 2 1 × 5 = 13 FA;
    // accumulator b_w + D + b_x = 8 bits; input buffer R·b_x = 8 DFF; no routing, no rl decode.
    expect(r.area.counts).toEqual({ bits: 16, multipliers: 16, treeFullAdders: 13, accumulatorBits: 8, inputBufferBits: 8, routingMux2: 0, rlDecodeFullAdders: 0 });
    // µm²: 16·0.2417 + 16·0.614 + 13·4.789 + 8·(4.789 + 3.684) + 8·3.684 + control (64·3.684 + 400·0.614 = 481.4)
    const um2 = 16 * (0.00396e6 / 16384) + 16 * 0.614 + 13 * 4.7892 + 8 * (4.7892 + 3.684) + 8 * 3.684 + (64 * 3.684 + 400 * 0.614);
    expect(r.area.totalMm2).toBeCloseTo(um2 / 1e6, 9);
    // TOPS/mm²: 2 · K·N·B / latency / 1000 / area = 2·8 / 70 ns / 1000 / area.
    expect(r.area.topsPerMm2).toBeCloseTo((2 * 8) / 70 / 1000 / r.area.totalMm2, 9);
  });

  test('a format adds its routing: coo:2 on the same macro counts R · b_i mux2 per slot over a window of max(R, 4)', () => {
    const coo = simulate(encode(q, 'coo:2', 4, 4), { data: new Int32Array([1, 2, 0, 3]), batch: 1 }, resolveMacroConfig({ rows: 4, bitColumns: 12, inputBits: 2 }));
    // entryBits 6 → L = 2 slots; window 2^2 = 4 → max(4, 4) · 2 levels = 8 mux2 per slot → 16.
    expect(coo.area.counts.routingMux2).toBe(16);
    expect(coo.area.breakdownMm2.inputRouting).toBeCloseTo((16 * 2 * 0.614) / 1e6, 12);
  });
});
