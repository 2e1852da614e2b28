/**
 * Data files a model names (ONNX external data, TF.js shards) are read only from the model's folder
 * or below it: the one check both readers apply.
 */
import * as path from 'node:path';

/**
 * `rel` resolved against `dir`, or null when it is absolute or climbs out of `dir`.
 * @example pathInside('/m', 'w.bin') // → '/m/w.bin';  pathInside('/m', '../etc/passwd') // → null
 */
export function pathInside(dir: string, rel: string): string | null {
  const file = path.resolve(dir, rel);
  const r = path.relative(dir, file);
  return path.isAbsolute(rel) || r.startsWith('..') || path.isAbsolute(r) ? null : file;
}
