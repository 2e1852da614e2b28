/** The compression methods of `imc-sim compress` (a module of its own so that parsers need not load the trainer). */
export const COMPRESS_METHODS = ['admm', 'magnitude-retrain', 'svd'] as const;
export type CompressMethod = (typeof COMPRESS_METHODS)[number];
