/**
 * The input activations of a run (MODEL §2): from a file (`[B, K]` or `[K]`, quantized with one
 * scale) or seeded pseudo-random integers with a stated zero fraction.
 */
import { ConfigError, InputError } from '../../errors.js';
import type { Tensor } from '../io/tensor.js';
import { tensorToFloat64 } from '../io/tensor-access.js';
import { DEFAULT_INPUT_SEED, RANDOM_INPUTS_GENERATOR, quantizeInputs, randomInputs } from './quantize.js';

/** Default batch of random inputs. */
export const DEFAULT_BATCH = 16;
/** Default zero fraction of random inputs (MODEL §2). */
export const DEFAULT_ZERO_FRACTION = 0.5;

/** Quantized inputs plus where they came from. */
export interface PreparedInputs {
  /** `[B, K]` row-major integers in the b_x-bit range. */
  readonly q: Int32Array;
  /** Float activations the integers stand for (`q · scale`), used as x in the SQNR reference. */
  readonly x: Float64Array;
  readonly batch: number;
  readonly scale: number;
  readonly description: InputDescription;
}

/** How the inputs were made (reported in JSON so runs are reproducible). */
export type InputDescription =
  | { source: 'file'; name: string; batch: number; bits: number; signed: boolean; scale: number }
  | { source: 'random'; generator: string; seed: number; zeroFraction: number; batch: number; bits: number; scale: 1 };

/** Options for {@link prepareInputs}. */
export interface InputOptions {
  readonly K: number;
  readonly bits: number;
  readonly signed: boolean;
  /** Activations `[B, K]` or `[K]`; absent → random. */
  readonly tensor?: Tensor;
  /** Random: number of vectors (default 16). File: use the first `batch` rows (default all). */
  readonly batch?: number;
  readonly seed?: number;
  readonly zeroFraction?: number;
}

/** Throw ConfigError `BAD_BATCH` unless `batch` is a whole number ≥ 1. */
export function checkBatch(batch: number): void {
  if (!(typeof batch === 'number' && Number.isInteger(batch) && batch >= 1)) {
    throw new ConfigError('BAD_BATCH', `--batch must be a whole number ≥ 1; got ${batch}`);
  }
}

/** Build the quantized inputs of a run. */
export function prepareInputs(o: InputOptions): PreparedInputs {
  if (o.batch !== undefined) checkBatch(o.batch);
  if (o.tensor) {
    const t = o.tensor;
    const shape = t.shape;
    // [K] is one vector; [B, ...] is B vectors whose trailing dimensions flatten (C order) to K, so
    // images [B, 1, 28, 28] feed a 784-input layer directly.
    let rows: number;
    const trailing = shape.slice(1).reduce((a, b) => a * b, 1);
    if (shape.length === 1 && shape[0] === o.K) rows = 1;
    else if (shape.length >= 2 && trailing === o.K) rows = shape[0]!;
    else {
      throw new InputError('INPUT_SHAPE', `inputs '${t.name}' have shape (${shape.join(', ')}) but the layer's fan-in is K = ${o.K}; give [B, ${o.K}] activations (or [B, ...] whose trailing dimensions multiply to ${o.K}, or one [${o.K}] vector)`);
    }
    const batch = o.batch ?? rows;
    if (!Number.isInteger(batch) || batch < 1 || batch > rows) {
      throw new InputError('INPUT_BATCH', `--batch ${batch} asks for more vectors than inputs '${t.name}' holds (${rows}); use --batch 1..${rows}`);
    }
    if (rows === 0) throw new InputError('INPUT_SHAPE', `inputs '${t.name}' are empty`);
    const all = tensorToFloat64(t);
    const xs = batch === rows ? all : all.subarray(0, batch * o.K);
    const { q, scale } = quantizeInputs(xs, o.bits, o.signed, `inputs '${t.name}'`);
    return { q, x: xs, batch, scale, description: { source: 'file', name: t.name, batch, bits: o.bits, signed: o.signed, scale } };
  }
  if (o.signed) {
    throw new InputError('RANDOM_SIGNED', 'random inputs are unsigned; give signed activations with --inputs x.npy to use --signed-inputs');
  }
  const batch = o.batch ?? DEFAULT_BATCH;
  const seed = o.seed ?? DEFAULT_INPUT_SEED;
  const zeroFraction = o.zeroFraction ?? DEFAULT_ZERO_FRACTION;
  const q = randomInputs(batch, o.K, o.bits, zeroFraction, seed);
  return {
    q,
    x: Float64Array.from(q),
    batch,
    scale: 1,
    description: { source: 'random', generator: RANDOM_INPUTS_GENERATOR, seed, zeroFraction, batch, bits: o.bits, scale: 1 },
  };
}
