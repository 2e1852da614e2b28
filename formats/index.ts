/**
 * Public API of the sparse formats layer (MODEL §4): the registry, the codecs, bit I/O, the
 * accounting helpers, and the shared types and errors. (`reference.ts`, the slow reference the tests
 * check the codecs against, is deliberately not re-exported.)
 */
export type * from './types.js';
export { ImcError, InputError, ConfigError, FormatError, SimulationError } from './errors.js';
export { FORMATS, parseFormatSpec, parseFormatList, encodeMatrix, decodeMatrix, type ParsedFormatSpec } from './registry.js';
export { FORMAT_GRAMMAR, canonicalSpec } from './spec.js';
export { denseCodec } from './dense.js';
export { bitmaskCodec } from './bitmask.js';
export { cooCodec, COO_MAX_INDEX_BITS } from './coo.js';
export { runLengthCodec, RL_DEFAULT_RUN_BITS, RL_MAX_RUN_BITS } from './run-length.js';
export { nmCodec, NM_MAX_M } from './n-m.js';
export { BitWriter, MAX_FIELD_BITS } from './bit-writer.js';
export { BitReader, readBits, readSignedBits, MAX_READ_BITS } from './bit-reader.js';
export { ceilLog2, segmentBaseBits, segmentCountBits, segmentMetadataBits } from './segment-meta.js';
export { storageFigures } from './storage.js';
export { maxMagnitude } from './validate.js';
