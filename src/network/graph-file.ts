/**
 * A `--graph` file: imc-sim's YAML/JSON graph, or an `.onnx` model or a TF.js `model.json` whose graph is
 * translated (`onnx-graph.ts`, `tfjs-graph.ts`). One entry point for `eval`, `compress` and `imc-sim graph`.
 */
import { loadOnnxModel } from '../io/load.js';
import type { Tensor } from '../io/tensor.js';
import { readTextFile } from '../io/text-file.js';
import { parseGraph, type GraphSpec } from './graph.js';
import { graphFromOnnx } from './onnx-graph.js';
import { loadTfjsGraph, tfjsModelDocument } from './tfjs-graph.js';

/** A loaded graph, the arrays its translation adds to the model (none for YAML), and translation notes. */
export interface GraphFile {
  readonly graph: GraphSpec;
  readonly extraTensors: readonly Tensor[];
  readonly notes: readonly string[];
}

/**
 * Load a graph file.
 * @example loadGraphFile('examples/lenet5.graph.yaml').graph.layers.length // 13
 */
export function loadGraphFile(file: string): GraphFile {
  if (/\.onnx$/i.test(file)) return graphFromOnnx(loadOnnxModel(file), file);
  const text = readTextFile(file, 'graph');
  // A .json is imc-sim's own graph unless it is a TF.js model.json (modelTopology / weightsManifest).
  if (/\.json$/i.test(file) && tfjsModelDocument(text) !== null) return loadTfjsGraph(file, text);
  return { graph: parseGraph(text, file), extraTensors: [], notes: [] };
}
