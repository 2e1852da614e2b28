/**
 * The SLOW cycle-by-cycle reference engine: bit-serial, load by load, slot by slot, bit-plane by
 * bit-plane, row by row, every event counted at the place it happens. It exists to be obviously
 * right, not fast: the fast engine (`engine.ts`) is tested against it (same outputs, same event
 * counts, same cycles). Use it on small matrices only.
 *
 * Per load (on macro ℓ mod M):
 * 1. write: the load's bits go through the write bus, row group by row group, one cycle per step,
 *    until both the rows and the bits are done (skipped for pre-loaded loads);
 * 2. rl decode: each slot's decoder adds one run field per cycle;
 * 3. pipeline fill: D + 1 cycles;
 * 4. for every input vector, for every bit-plane p (LSB first): if no valid row of the load has input
 *    bit p set and `skipZeroBitPlanes`, skip it; otherwise one cycle in which every slot ANDs the
 *    input bit with each valid row's weight, reduces the products through an explicit binary adder
 *    tree, and shift-accumulates the tree output (MSB plane negated for signed inputs);
 * 5. after each vector, each slot's accumulator is a segment partial sum, added digitally into its
 *    column's output.
 */
import { FORMATS } from '../formats/registry.js';
import { checkFirstLoad } from './engine.js';
import type { EncodedMatrix, FormatCodec } from '../formats/types.js';
import type { MacroConfig } from './config.js';
import { zeroEvents } from './events.js';
import { mapMatrix } from './mapping.js';
import { assembleResult, type SimInputs, type SimResult } from './result.js';
import {
  accumulatorRange, checkInputs, overflowError, routingLevels, rowPointerBits, shiftAccWidth, treeDepth,
} from './slot-model.js';

interface Slot {
  segment: number;
  col: number;
  base: number;
  rows: number[];
  values: number[];
}

/** Simulate with the cycle-by-cycle reference engine (small inputs only). */
export function simulateReference(enc: EncodedMatrix, inputs: SimInputs, config: MacroConfig, options: { firstLoad?: number } = {}): SimResult {
  return simulateReferenceWithCodec(enc, inputs, config, FORMATS[enc.id], options);
}

/** {@link simulateReference} with an explicit codec. */
export function simulateReferenceWithCodec(enc: EncodedMatrix, inputs: SimInputs, config: MacroConfig, codec: FormatCodec, options: { firstLoad?: number } = {}): SimResult {
  const firstLoad = checkFirstLoad(options.firstLoad);
  const mapping = mapMatrix(enc, config, firstLoad);
  const K = enc.rows;
  const N = enc.cols;
  const B = inputs.batch;
  checkInputs(inputs.data, B, K, config);
  const R = config.rows;
  const M = config.macros;
  const bx = config.inputBits;
  const bw = enc.valueBits;
  const L = mapping.slotsPerLoad;
  const D = treeDepth(R);
  const leaves = 2 ** D;
  const { min: accMin, max: accMax } = accumulatorRange(config.accumulatorBits);
  const ev = zeroEvents();
  const outputs = new Float64Array(B * N);
  const segmentsSeen = new Map<number, number>(); // column → segments already added (per vector pass)

  // The bit of an input the macro sees on plane p: two's complement, b_x bits.
  const inputBit = (b: number, row: number, p: number): number => (inputs.data[b * K + row]! >> p) & 1;

  const setupOf: number[] = [];
  const execOf: number[] = [];
  let writeTotal = 0;
  let decodeTotal = 0;
  let fillTotal = 0;
  let computeTotal = 0;

  for (let ld = 0; ld < mapping.loads; ld++) {
    // Fill the load's slots from the stream.
    const slots: Slot[] = [];
    for (let s = ld * L; s < Math.min(enc.segments.length, (ld + 1) * L); s++) {
      const rowsBuf = new Int32Array(enc.segmentRows);
      const valsBuf = new Int32Array(enc.segmentRows);
      const n = codec.readSegment(enc, s, rowsBuf, valsBuf);
      slots.push({ segment: s, col: enc.segments.col[s]!, base: enc.segments.base[s]!, rows: Array.from(rowsBuf.subarray(0, n)), values: Array.from(valsBuf.subarray(0, n)) });
    }

    // 1. Write (cycle by cycle).
    let writeCycles = 0;
    const written = !(config.weightsResident && firstLoad + ld < M * config.weightSets); // M macros × G resident sets
    if (written) {
      let bitsLeft = 0;
      let rowsLeft = 0;
      for (const slot of slots) {
        let slotBits = 0;
        for (let i = 0; i < slot.rows.length; i++) slotBits += enc.entryBits; // each physical entry
        slotBits += enc.segmentMetadataBits; // base + count registers
        if (enc.id === 'bitmask') {
          // the mask bits from base to the last entry configure the slot's butterfly
          slotBits += slot.rows[slot.rows.length - 1]! - slot.base + 1;
        }
        bitsLeft += slotBits;
        rowsLeft = Math.max(rowsLeft, slot.rows.length);
      }
      ev.macroWriteBits += bitsLeft;
      ev.bufferReadBits += bitsLeft;
      while (bitsLeft > 0 || rowsLeft > 0) {
        bitsLeft -= config.writeBusBits;
        rowsLeft -= config.writeRowsPerCycle;
        writeCycles++;
      }
    }

    // 2. rl decode: one run field per slot per cycle.
    let decodeCycles = 0;
    if (enc.id === 'rl') {
      for (let t = 0; ; t++) {
        let busy = false;
        for (const slot of slots) {
          if (t < slot.rows.length) {
            busy = true;
            ev.rlDecodeAdds++;
            ev.rlDecodeAddBits += rowPointerBits(K);
          }
        }
        if (!busy) break;
        decodeCycles++;
      }
    }

    // 3. Pipeline fill.
    const fillCycles = D + 1;

    // Valid rows of the load and the routing levels of each slot.
    const loadRows = new Set<number>();
    const levels: number[] = [];
    for (const slot of slots) {
      let last = -1;
      for (const r of slot.rows) if (r >= 0) { loadRows.add(r); last = r; }
      levels.push(routingLevels(enc, R, last - slot.base + 1));
    }

    // 4. Bit-serial compute.
    let computeCycles = 0;
    for (let b = 0; b < B; b++) {
      const acc = slots.map(() => 0);
      for (let p = 0; p < bx; p++) {
        let anyBit = false;
        for (const r of loadRows) if (inputBit(b, r, p) === 1) anyBit = true;
        if (!anyBit && config.skipZeroBitPlanes) {
          ev.bitPlanesSkipped++;
          continue;
        }
        ev.bitPlanesProcessed++;
        computeCycles++;
        ev.inputBufferBits += loadRows.size; // one bit per distinct valid row leaves the input buffer
        for (let si = 0; si < slots.length; si++) {
          const slot = slots[si]!;
          // Leaves: AND of input bit and weight on valid rows; padding positions are gated.
          const value = new Array<number>(leaves).fill(0);
          const active = new Array<boolean>(leaves).fill(false);
          for (let i = 0; i < slot.rows.length; i++) {
            const r = slot.rows[i]!;
            if (r < 0) continue;
            active[i] = true;
            ev.inputRoutingMuxLevels += levels[si]!;
            const bit = inputBit(b, r, p);
            if (bit === 1) {
              ev.bitcellAnds += bw;
              value[i] = slot.values[i]!;
              // AND outputs that are 1: the stored weight bits (two's complement, b_w bits) that are 1.
              for (let k = 0; k < bw; k++) {
                if (((slot.values[i]! >> k) & 1) === 1) {
                  ev.bitcellOnes++;
                  ev.adderTreeDataBits += D; // the 1 ripples through the D tree levels above its leaf
                }
              }
            }
          }
          // Explicit binary adder tree.
          let width = leaves;
          for (let l = 1; l <= D; l++) {
            width /= 2;
            for (let a = 0; a < width; a++) {
              const on = active[2 * a]! || active[2 * a + 1]!;
              if (on) ev.adderTreeFaBits += bw + l - 1;
              value[a] = value[2 * a]! + value[2 * a + 1]!;
              active[a] = on;
            }
          }
          if (!active[0]) continue; // empty slot: gated
          ev.shiftAccBits += shiftAccWidth(bw, R, bx);
          const weight = config.signedInputs && p === bx - 1 ? -(2 ** p) : 2 ** p;
          acc[si] += value[0]! * weight;
        }
      }
      // 5. Digital partial sums into the outputs.
      for (let si = 0; si < slots.length; si++) {
        const slot = slots[si]!;
        const part = acc[si]!;
        if (part < accMin || part > accMax) throw overflowError('segment partial sum', slot.col, b, part, config.accumulatorBits);
        const key = slot.col * B + b;
        const seen = segmentsSeen.get(key) ?? 0;
        if (seen > 0) {
          ev.partialSumAdds++;
          ev.partialSumAddBits += config.accumulatorBits;
        }
        segmentsSeen.set(key, seen + 1);
        const sum = outputs[b * N + slot.col]! + part;
        if (sum < accMin || sum > accMax) throw overflowError('output', slot.col, b, sum, config.accumulatorBits);
        outputs[b * N + slot.col] = sum;
      }
    }

    for (const slot of slots) for (const r of slot.rows) if (r >= 0) ev.validRows++;
    setupOf.push(writeCycles + decodeCycles);
    execOf.push(fillCycles + computeCycles);
    writeTotal += writeCycles;
    decodeTotal += decodeCycles;
    fillTotal += fillCycles;
    computeTotal += computeCycles;
  }

  // Outputs and padding.
  ev.outputWrites = N * B;
  ev.outputWriteBits = N * B * config.accumulatorBits;
  ev.paddingRows = mapping.loads * L * R - ev.validRows;

  // Clock: macros of a round start together; ping-pong hides the next round's setup.
  let clock = 0;
  const rounds = Math.ceil(mapping.loads / M);
  const roundLoads = (r: number): number[] => {
    const out: number[] = [];
    for (let l = r * M; l < Math.min(mapping.loads, (r + 1) * M); l++) out.push(l);
    return out;
  };
  if (!config.overlapWrites) {
    for (let r = 0; r < rounds; r++) clock += Math.max(0, ...roundLoads(r).map((l) => setupOf[l]! + execOf[l]!));
  } else {
    // Each round's setup ends before it computes; round r+1's setup starts when round r computes.
    let setupDone = Math.max(0, ...roundLoads(0).map((l) => setupOf[l]!));
    for (let r = 0; r < rounds; r++) {
      const start = Math.max(clock, setupDone);
      const end = start + Math.max(0, ...roundLoads(r).map((l) => execOf[l]!));
      if (r + 1 < rounds) setupDone = start + Math.max(0, ...roundLoads(r + 1).map((l) => setupOf[l]!));
      clock = end;
    }
    clock = Math.max(clock, setupDone);
  }

  return assembleResult(enc, B, config, outputs, mapping, ev, {
    cycles: clock,
    writeCycles: writeTotal,
    decodeCycles: decodeTotal,
    fillCycles: fillTotal,
    computeCycles: computeTotal,
  });
}
