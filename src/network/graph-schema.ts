/**
 * The graph document's structure (zod): what a `*.graph.yaml` may say, checked before any array is
 * looked up. `graph.ts` binds a valid document to a model's arrays. The format itself is described
 * in `graph.ts` and docs/ARCHITECTURE.md ("Network graphs").
 */
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../../errors.js';

const posInt = z.number().int().positive();
const nonNegInt = z.number().int().nonnegative();
/** A size given once (square) or as `[h, w]`. */
const pair = (inner: z.ZodNumber) => z.union([inner, z.tuple([inner, inner])]);
/** Zero padding: n, `[h, w]`, `[top, left, bottom, right]` or `same` (TensorFlow's SAME). */
const paddingSpec = z.union([nonNegInt, z.tuple([nonNegInt, nonNegInt]), z.tuple([nonNegInt, nonNegInt, nonNegInt, nonNegInt]), z.literal('same')]);
const arrayName = z.string().min(1);
const finite = z.number().finite();
/** Common fields: a name (unique; referenced by later layers) and the layer it reads (default the previous one). */
const base = { name: z.string().min(1).optional(), input: z.string().min(1).optional() };

const ScaleOp = z.strictObject({
  op: z.literal('scale'),
  ...base,
  multiply: z.union([finite, z.array(finite).min(1)]).optional(),
  divide: finite.refine((v) => v !== 0, 'must not be 0').optional(),
  add: z.union([finite, z.array(finite).min(1)]).optional(),
});
const Conv2dOp = z.strictObject({
  op: z.literal('conv2d'),
  ...base,
  weight: arrayName,
  bias: arrayName.optional(),
  stride: pair(posInt).optional(),
  padding: paddingSpec.optional(),
  groups: posInt.optional(),
  layout: z.enum(['oihw', 'hwio', 'hwcm']).optional(),
});
const LinearOp = z.strictObject({ op: z.literal('linear'), ...base, weight: arrayName, bias: arrayName.optional(), layout: z.enum(['oi', 'io']).optional() });
const ReluOp = z.strictObject({ op: z.literal('relu'), ...base, max: z.number().positive().optional() });
const PoolFields = { ...base, kernel: pair(posInt), stride: pair(posInt).optional(), padding: paddingSpec.optional() };
const MaxPoolOp = z.strictObject({ op: z.literal('maxpool'), ...PoolFields });
const AvgPoolOp = z.strictObject({ op: z.literal('avgpool'), ...PoolFields, countIncludePad: z.boolean().optional() });
const GlobalAvgPoolOp = z.strictObject({ op: z.literal('globalavgpool'), ...base });
const FlattenOp = z.strictObject({ op: z.literal('flatten'), ...base });
const BatchNormOp = z.strictObject({
  op: z.literal('batchnorm'),
  ...base,
  weight: arrayName.optional(),
  bias: arrayName.optional(),
  mean: arrayName.optional(),
  var: arrayName.optional(),
  eps: z.number().nonnegative().optional(),
});
const multi = { name: base.name, inputs: z.array(z.string().min(1)).min(2) };
const AddOp = z.strictObject({ op: z.literal('add'), ...multi });
const ConcatOp = z.strictObject({ op: z.literal('concat'), ...multi });
const PadOp = z.strictObject({
  op: z.literal('pad'),
  ...base,
  padding: z.tuple([nonNegInt, nonNegInt, nonNegInt, nonNegInt]).optional(),
  channels: z.tuple([nonNegInt, nonNegInt]).optional(),
});

const LayerSchema = z.discriminatedUnion('op', [
  ScaleOp, Conv2dOp, LinearOp, ReluOp, MaxPoolOp, AvgPoolOp, GlobalAvgPoolOp, FlattenOp, BatchNormOp, AddOp, ConcatOp, PadOp,
]);

/** zod schema of a graph document. */
export const GraphSchema = z.strictObject({
  name: z.string().optional(),
  description: z.string().optional(),
  input: z.array(posInt).min(1).max(3).optional(),
  output: z.string().min(1).optional(),
  layers: z.array(LayerSchema).min(1),
});

/** A graph document as written (validated structure, names not yet bound to arrays). */
export type GraphSpec = z.infer<typeof GraphSchema>;
/** One layer of a {@link GraphSpec}. */
export type LayerSpec = z.infer<typeof LayerSchema>;
/** A padding as written. */
export type PaddingSpec = z.infer<typeof paddingSpec>;

/** The op names a graph may use. */
export const GRAPH_OPS = ['scale', 'conv2d', 'linear', 'relu', 'maxpool', 'avgpool', 'globalavgpool', 'flatten', 'batchnorm', 'add', 'concat', 'pad'] as const;

/**
 * Parse and structurally validate a graph document (YAML or JSON text). Every problem is reported
 * in one ConfigError (`GRAPH_INVALID`), each with its path (`layers[3].kernel: …`).
 * @param source file name for messages
 * @example parseGraph('layers: [{op: flatten}]', 'g.yaml').layers[0].op // → 'flatten'
 */
export function parseGraph(text: string, source: string): GraphSpec {
  let doc: unknown;
  try {
    doc = parseYaml(text, { prettyErrors: false, uniqueKeys: true });
  } catch (err) {
    const why = err instanceof YAMLParseError ? err.message.split('\n')[0] : String(err);
    throw new ConfigError('GRAPH_SYNTAX', `graph ${source} is not valid YAML/JSON: ${why}`);
  }
  return validateGraph(doc, source);
}

/** Structurally validate an already-parsed graph object; see {@link parseGraph}. */
export function validateGraph(doc: unknown, source: string): GraphSpec {
  const res = GraphSchema.safeParse(doc);
  if (res.success) return res.data;
  const problems = res.error.issues.map((iss) => {
    const path = iss.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    let msg = iss.message;
    // A size given as `n | [h, w]` is a union: report the first branch's reason (e.g. "expected
    // number, received undefined") and the accepted forms, instead of zod's bare "Invalid input".
    if (iss.code === 'invalid_union' && 'errors' in iss && iss.errors.length > 0 && iss.errors[0]!.length > 0) {
      const padding = path.endsWith('padding');
      msg = `${iss.errors[0]![0]!.message} (give ${padding ? 'n, [h, w], [top, left, bottom, right] or same' : 'n or [h, w]'})`;
    }
    return `${path || '(document)'}: ${msg}`;
  });
  throw new ConfigError('GRAPH_INVALID', `graph ${source}: ${problems.join('; ')}`);
}
