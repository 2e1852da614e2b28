/**
 * The event classes of MODEL §5: what the simulator counts, exactly, from the encoded weights and
 * the input data. Energy is Σ count × per-event energy (`energy.ts`, table in `energy-table.ts`).
 *
 * Notation used below: a *load* ℓ is one macro fill (up to L segments, one per slot); `P(ℓ, b)` is
 * the number of **processed** bit-planes of input vector b on load ℓ (b_x, minus the planes that
 * `skipZeroBitPlanes` skips because the bit is 0 on every valid row of the load); `Pℓ = Σ_b P(ℓ, b)`.
 * A *valid row* is a physical slot entry that holds a real matrix row (every dense entry, every
 * coo / bitmask entry, rl entries that are not fillers, nm entries that are not padding). Padding
 * rows (rl fillers, nm padding, the empty tail of a slot, empty slots) are clock-gated: they take
 * time but no energy. `D = ceil(log2 R)` is the adder-tree depth.
 */

/** Exact event counts of one simulation (all plain numbers, exact integers). */
export interface EventCounts {
  /**
   * Bitcell AND products (1b input × 1b weight) whose input bit is 1, on valid rows, over processed
   * bit-planes: `b_w · Σ_{valid entries e} Σ_b popcount(x[b, row_e])` (skipped planes have no 1 bits
   * on the load's valid rows, so skipping never removes a counted AND).
   */
  bitcellAnds: number;
  /**
   * Bitcell AND products that are 1 (input bit 1 and stored weight bit 1), on valid rows over processed
   * planes: `Σ_{valid entries e} popcount(w_e mod 2^b_w) · Σ_b popcount(x[b, row_e])` — the data
   * activity at the adder-tree leaves (weight-bit density × input-bit density).
   */
  bitcellOnes: number;
  /**
   * Adder-tree data activity: each 1 leaving a bitcell AND ripples through the D levels above its leaf,
   * toggling about one sum bit per level: `D · bitcellOnes`. Priced separately from the structural
   * `adderTreeFaBits` (clocked active nodes), so sparse and low-activity data cost what they cost.
   */
  adderTreeDataBits: number;
  /**
   * Adder-tree full-adder bit activations: per slot, the tree over positions `0..R-1` has at level
   * `l = 1..D` nodes covering `2^l` positions; a node is active when at least one of its positions is
   * a valid row, and an active level-`l` node costs `b_w + l − 1` full-adder bits (its operand
   * width). Summed over slots and multiplied by the load's processed planes: `Σ_ℓ Pℓ · treeBits(ℓ)`.
   */
  adderTreeFaBits: number;
  /**
   * Shift-accumulate bits: each active slot (≥ 1 valid row) adds its tree output into a
   * `b_w + D + b_x`-bit accumulator once per processed plane: `Σ_ℓ Pℓ · activeSlots(ℓ) · (b_w + D + b_x)`.
   */
  shiftAccBits: number;
  /**
   * Input-routing 2:1 mux levels traversed, per valid row per processed plane. Levels per row =
   * `ceil(log2 fan-in)`: dense 0 (fan-in 1), coo `b_i` (fan-in 2^b_i), rl `ceil(log2 span)` with
   * span = last row − base + 1 of the segment, nm `ceil(log2 m)`, bitmask `D` (a log2 R-stage
   * butterfly). `Σ_ℓ Pℓ · Σ_{slots} validRows · levels`.
   */
  inputRoutingMuxLevels: number;
  /** rl decode additions: one per physical rl entry (run field, fillers included) per load. */
  rlDecodeAdds: number;
  /** rl decode adder bits: `rlDecodeAdds · b_base` (the row pointer is `b_base = max(1, ceil(log2 K))` bits). */
  rlDecodeAddBits: number;
  /** Input-buffer bits: one bit per distinct valid row of the load per processed plane: `Σ_ℓ Pℓ · distinctRows(ℓ)`. */
  inputBufferBits: number;
  /**
   * Bits written into the macros: for every **written** load (all loads, or only the re-writes when
   * `weightsResident`), each slot's physical entries × entryBits + the segment metadata bits + (bitmask
   * only) the segment's mask bits that configure its butterfly (span = last row − base + 1).
   */
  macroWriteBits: number;
  /** Global-buffer bits read to feed the macro writes (= macroWriteBits: every written bit is read once). */
  bufferReadBits: number;
  /** Outputs written to the output buffer: `N · B`. */
  outputWrites: number;
  /** Output bits written: `outputWrites · accumulatorBits`. */
  outputWriteBits: number;
  /** Digital partial-sum additions combining a column's segments: `Σ_j max(0, segments_j − 1) · B`. */
  partialSumAdds: number;
  /** Partial-sum adder bits: `partialSumAdds · accumulatorBits`. */
  partialSumAddBits: number;
  /** Bit-planes processed: `Σ_ℓ Pℓ` (one bit-serial cycle each). */
  bitPlanesProcessed: number;
  /** Bit-planes skipped: `loads · B · b_x − bitPlanesProcessed`. */
  bitPlanesSkipped: number;
  /** Valid rows over all loads (= valid entries of the encoding). */
  validRows: number;
  /** Padding rows over all loads: `loads · L · R − validRows`. */
  paddingRows: number;
}

/** The keys of EventCounts, in report order. */
export const EVENT_KEYS: readonly (keyof EventCounts)[] = [
  'bitcellAnds', 'bitcellOnes', 'adderTreeFaBits', 'adderTreeDataBits', 'shiftAccBits', 'inputRoutingMuxLevels', 'rlDecodeAdds',
  'rlDecodeAddBits', 'inputBufferBits', 'macroWriteBits', 'bufferReadBits', 'outputWrites',
  'outputWriteBits', 'partialSumAdds', 'partialSumAddBits', 'bitPlanesProcessed', 'bitPlanesSkipped',
  'validRows', 'paddingRows',
];

/** A zeroed EventCounts. */
export function zeroEvents(): EventCounts {
  const e = {} as EventCounts;
  for (const k of EVENT_KEYS) e[k] = 0;
  return e;
}

/** What fixes the derived events of a run (see {@link completeEvents}). */
export interface RunShape {
  /** Outputs N, input vectors B, input bits b_x. */
  readonly N: number;
  readonly B: number;
  readonly bx: number;
  /** Loads, slots per load L, rows R, accumulator width. */
  readonly loads: number;
  readonly slotsPerLoad: number;
  readonly rows: number;
  readonly accumulatorBits: number;
}

/**
 * Fill the events that follow from the others and the run's shape: output writes (N·B, at the
 * accumulator width), partial-sum add bits, buffer reads (= the bits written), skipped bit-planes
 * (loads·B·b_x − processed) and padding rows (loads·L·R − valid). The engine and the closed-form
 * counts (closed-form-counts.ts) both finish their records here.
 */
export function completeEvents(ev: EventCounts, r: RunShape): EventCounts {
  ev.bufferReadBits = ev.macroWriteBits;
  ev.outputWrites = r.N * r.B;
  ev.outputWriteBits = ev.outputWrites * r.accumulatorBits;
  ev.partialSumAddBits = ev.partialSumAdds * r.accumulatorBits;
  ev.bitPlanesSkipped = r.loads * r.B * r.bx - ev.bitPlanesProcessed;
  ev.paddingRows = r.loads * r.slotsPerLoad * r.rows - ev.validRows;
  return ev;
}
