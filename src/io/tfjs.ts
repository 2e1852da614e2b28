/**
 * TensorFlow.js weights: a `model.json` (layers or graph format: its `weightsManifest`) or a bare
 * `*-weights_manifest.json` (as `@vladmandic/face-api` ships), and the binary shards it names. The
 * shards of a group are one byte stream, cut into the weights in manifest order (tfjs-core
 * `io.decodeWeights`). Quantized weights (`quantization: {dtype: uint8|uint16, scale, min}`) are
 * dequantized as tfjs does, `q · scale + min` into float32; `float16` quantization is widened.
 * Shards are read from the manifest's folder and refused when a path leaves it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { InputError } from '../../errors.js';
import { decodeElements, ITEM_BYTES } from './elements.js';
import { pathInside } from './path-inside.js';
import type { DType, Tensor, TensorData } from './tensor.js';

const Weight = z.object({
  name: z.string().min(1),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.enum(['float32', 'int32', 'bool']),
  quantization: z.object({
    dtype: z.enum(['uint8', 'uint16', 'float16']),
    scale: z.number().optional(),
    min: z.number().optional(),
  }).optional(),
});
const Group = z.object({ paths: z.array(z.string().min(1)).min(1), weights: z.array(Weight) });
const Manifest = z.array(Group);

/** True for JSON text that is a tfjs manifest or a model.json with one. */
export function looksLikeTfjs(bytes: Uint8Array): boolean {
  // A model.json puts its weightsManifest after the topology (byte 15,592 in a real graph model), so the
  // start can only show that it is one: its `format`, `modelTopology` or `generatedBy` keys.
  const head = new TextDecoder().decode(bytes.subarray(0, 4096));
  return /^\s*[[{]/.test(head) &&
    (head.includes('"weightsManifest"') || /"format"\s*:\s*"(layers|graph)-model"/.test(head) || /^\s*\{\s*"(modelTopology|format|generatedBy|convertedBy)"/.test(head) ||
      /^\s*\[\s*\{\s*"(paths|weights)"/.test(head));
}

/**
 * Read the weights a tfjs manifest / model.json names. `file` locates the shards.
 * @throws InputError `TFJS_*` naming the file and the problem.
 */
export function parseTfjs(bytes: Uint8Array, file: string): Tensor[] {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new InputError('TFJS_JSON', `${file}: not valid JSON (${(e as Error).message}); give a TF.js model.json or weights manifest`);
  }
  const manifestDoc = Array.isArray(doc) ? doc : (doc as { weightsManifest?: unknown } | null)?.weightsManifest;
  const parsed = Manifest.safeParse(manifestDoc);
  if (!parsed.success) {
    const iss = parsed.error.issues[0]!;
    throw new InputError('TFJS_MANIFEST', `${file}: not a TF.js weights manifest (${iss.path.join('.') || 'document'}: ${iss.message})`);
  }
  const dir = path.resolve(path.dirname(file));
  const out: Tensor[] = [];
  const seen = new Set<string>();
  for (const group of parsed.data) {
    const stream = concat(group.paths.map((p) => readShard(dir, p, file)));
    let at = 0;
    for (const w of group.weights) {
      const where = `${file}: weight '${w.name}'`;
      if (seen.has(w.name)) throw new InputError('TFJS_MANIFEST', `${where} appears twice`);
      seen.add(w.name);
      const numel = w.shape.reduce((a, b) => a * b, 1);
      const q = w.quantization;
      const stored: DType = q ? q.dtype : w.dtype === 'bool' ? 'bool' : w.dtype;
      const n = numel * ITEM_BYTES[stored];
      if (at + n > stream.length) throw new InputError('TFJS_TRUNCATED', `${where} needs bytes ${at}..${at + n} but the shards hold ${stream.length}; a shard is missing or truncated`);
      const raw = decodeElements(stream.subarray(at, at + n), stored, numel, true);
      at += n;
      let data: TensorData = raw;
      let dtype: DType = w.dtype === 'bool' ? 'bool' : w.dtype;
      if (q && q.dtype !== 'float16') {
        if (q.scale === undefined || q.min === undefined) throw new InputError('TFJS_MANIFEST', `${where}: ${q.dtype} quantization without scale and min`);
        // A plain loop: Float32Array.from(raw, fn) calls fn per element through the iterator (~40× slower here).
        const src = raw as Uint8Array | Uint16Array, f = new Float32Array(src.length), scale = q.scale, min = q.min;
        for (let i = 0; i < src.length; i++) f[i] = src[i]! * scale + min;
        data = f;
        dtype = 'float32';
      } else if (q) dtype = 'float16'; // widened to float32 by decodeElements
      out.push({ name: w.name, dtype, shape: w.shape, data });
    }
    if (at !== stream.length) throw new InputError('TFJS_TRUNCATED', `${file}: the shards ${group.paths.join(', ')} hold ${stream.length} bytes but the manifest's weights use ${at}; the manifest does not match its shards`);
  }
  return out;
}

function readShard(dir: string, rel: string, file: string): Uint8Array {
  const p = pathInside(dir, rel);
  if (p === null) {
    throw new InputError('TFJS_SHARD_OUTSIDE', `${file}: shard '${rel}' lies outside the manifest's folder ${dir}; refusing to read it`);
  }
  try {
    return new Uint8Array(fs.readFileSync(p));
  } catch (e) {
    throw new InputError('TFJS_SHARD', `${file}: cannot read shard '${rel}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); keep the shards next to the manifest`);
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}
