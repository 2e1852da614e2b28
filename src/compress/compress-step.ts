/**
 * A compress step written as one string, for sweep points: `METHOD[:STRUCTURE][@TARGETS]`, e.g.
 * `admm:magnitude@0.94,fc2=0.88,fc3=0.6`, `admm:nm:2:4`, `magnitude-retrain:block:4:4@0.9`,
 * `svd@0.8,fc3=0` — the `--method`, `--structure` and `--sparsity` of `imc-sim compress`, checked by
 * the same parsers.
 */
import { ConfigError } from '../../errors.js';
import { COMPRESS_METHODS, type CompressMethod } from './compress-methods.js';
import { parseSparsityTargets, parseStructure } from './structure.js';

/** A parsed compress step. */
export interface CompressStep {
  readonly method: CompressMethod;
  /** `--structure` (absent for svd: default `magnitude` for the others). */
  readonly structure?: string;
  /** `--sparsity` text. */
  readonly sparsity?: string;
}

/** The grammar, for messages. */
export const COMPRESS_STEP_GRAMMAR = 'METHOD[:STRUCTURE][@TARGETS], e.g. admm:magnitude@0.9,fc3=0.5 | admm:nm:2:4 | svd@0.8';

/**
 * Parse a compress step; throws ConfigError `BAD_COMPRESS_STEP` (or the structure/sparsity parsers' errors).
 * @example parseCompressStep('admm:nm:2:4') // → { method: 'admm', structure: 'nm:2:4' }
 */
export function parseCompressStep(text: string): CompressStep {
  const at = text.indexOf('@');
  const head = (at < 0 ? text : text.slice(0, at)).trim();
  const sparsity = at < 0 ? undefined : text.slice(at + 1).trim();
  const colon = head.indexOf(':');
  const method = (colon < 0 ? head : head.slice(0, colon)).toLowerCase();
  const structure = colon < 0 ? undefined : head.slice(colon + 1);
  if (!(COMPRESS_METHODS as readonly string[]).includes(method)) {
    throw new ConfigError('BAD_COMPRESS_STEP', `bad compress step '${text}': unknown method '${method}' (${COMPRESS_METHODS.join(', ')}); use ${COMPRESS_STEP_GRAMMAR}`);
  }
  if (method === 'svd' && structure !== undefined) throw new ConfigError('BAD_COMPRESS_STEP', `bad compress step '${text}': svd takes no structure; use svd@TARGETS`);
  const parsedStructure = structure === undefined ? undefined : parseStructure(structure);
  if (sparsity !== undefined) parseSparsityTargets(sparsity);
  else if (parsedStructure?.kind !== 'nm') throw new ConfigError('BAD_COMPRESS_STEP', `bad compress step '${text}': give the targets after '@' (e.g. @0.9 or @0.9,fc3=0.5); use ${COMPRESS_STEP_GRAMMAR}`);
  return { method: method as CompressMethod, ...(structure !== undefined ? { structure } : {}), ...(sparsity !== undefined ? { sparsity } : {}) };
}
