/**
 * Checks shared by every encoder: the matrix shape, the encode options (MODEL §4 ranges) and the
 * signed value range `[-Q, Q]`, `Q = 2^(b_w-1) - 1` (MODEL §2: symmetric, so `-2^(b_w-1)` is never
 * produced by quantization and is rejected here too).
 */
import { ConfigError, FormatError, InputError } from '../errors.js';
import type { EncodeOptions, IntMatrix } from './types.js';

/** Widest value field (MODEL §2: weights are 2..16 bits). */
export const MAX_VALUE_BITS = 16;
/** Narrowest value field. */
export const MIN_VALUE_BITS = 2;

/** `Q = 2^(b_w-1) - 1`, the largest magnitude a `b_w`-bit weight may hold. */
export function maxMagnitude(valueBits: number): number {
  return 2 ** (valueBits - 1) - 1;
}

/**
 * Throw InputError unless `q` is a well-formed `[K, N]` column-major Int16 matrix with K, N ≥ 1.
 * Given the `opts` of an encoder that reads only the nonzeros, and `opts.nonzeros` set, only the shape
 * is checked (the nonzeros are checked against it by `csc.ts` `nonzerosFor`): `q.data` is never
 * read, so a lazily scattered dense matrix (`prepareWeights`) is never made.
 */
export function checkMatrix(q: IntMatrix, opts?: EncodeOptions): void {
  const { rows, cols } = q;
  if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(cols) || cols < 1) {
    throw new InputError('BAD_MATRIX_SHAPE', `matrix shape [${rows}, ${cols}] is not a weight matrix: K and N must be integers ≥ 1`);
  }
  if (opts?.nonzeros !== undefined) return;
  const data = q.data;
  if (!(data instanceof Int16Array) || data.length !== rows * cols) {
    throw new InputError(
      'BAD_MATRIX_DATA',
      `matrix [${rows}, ${cols}] needs an Int16Array of ${rows * cols} values (column-major); got ${data instanceof Int16Array ? data.length : typeof data} values`,
    );
  }
}

/** Throw ConfigError unless `valueBits` is 2..16 and `segmentRows` ≥ `minRows` (integers). */
export function checkOptions(opts: EncodeOptions, minRows = 1): void {
  const { valueBits, segmentRows } = opts;
  if (!Number.isInteger(valueBits) || valueBits < MIN_VALUE_BITS || valueBits > MAX_VALUE_BITS) {
    throw new ConfigError('BAD_VALUE_BITS', `valueBits must be an integer in ${MIN_VALUE_BITS}..${MAX_VALUE_BITS}; got ${valueBits}`);
  }
  if (!Number.isInteger(segmentRows) || segmentRows < minRows || segmentRows > 0xffffffff) {
    throw new ConfigError('BAD_SEGMENT_ROWS', `segmentRows (R) must be an integer ≥ ${minRows}; got ${segmentRows}`);
  }
}

/**
 * The FormatError for a value outside `[-Q, Q]`, naming the smallest width that would hold it.
 * Built only on the cold path, so hot loops just compare against Q.
 */
export function valueOutOfRange(value: number, row: number, col: number, valueBits: number): FormatError {
  let need = MIN_VALUE_BITS;
  while (maxMagnitude(need) < Math.abs(value)) need++;
  const q = maxMagnitude(valueBits);
  return new FormatError(
    'VALUE_OUT_OF_RANGE',
    `value ${value} at row ${row}, column ${col} does not fit ${valueBits}-bit signed weights [-${q}, ${q}]; re-quantize to ${valueBits} bits or use valueBits ≥ ${need}`,
  );
}
