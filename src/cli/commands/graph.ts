/**
 * `imc-sim graph MODEL.onnx|model.json [-o G.yaml]`: the model's graph in imc-sim's graph format (YAML), as `eval
 * --graph MODEL` uses it (an ONNX model or a TF.js model.json); translation notes go to stderr (library: `loadGraphFile`).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { looksLikeTfjs } from '../../io/tfjs.js';
import { Document, isMap, isSeq } from 'yaml';
import { loadTensorFile, writeFileAtomic } from '../../io/load.js';
import { resolveGraph } from '../../network/graph.js';
import { loadGraphFile } from '../../network/graph-file.js';

/** Register `graph` on the program. */
export function register(program: Command): void {
  program
    .command('graph')
    .description('print a model\'s graph (an .onnx file or a TF.js model.json, or a graph YAML to check) in imc-sim\'s graph format')
    .argument('<model>', '.onnx model or TF.js model.json (layers- or graph-model; or a .graph.yaml, re-printed after validation)')
    .option('-o, --output <file>', 'write the YAML to a file instead of stdout')
    .action((model: string, opts: { output?: string }) => {
      const { graph, extraTensors, notes } = loadGraphFile(model);
      // A model file holds its weights too: bind the translation to them so that shapes that do not chain,
      // missing arrays and bad ranks are reported here, not at the first eval.
      const isModel = /\.onnx$/i.test(model) || (/\.json$/i.test(model) && looksLikeTfjs(readFileSync(model)));
      if (isModel && graph.input !== undefined) resolveGraph(graph, [...loadTensorFile(model).tensors, ...extraTensors], model);
      for (const n of notes) process.stderr.write(`note: ${n}\n`);
      if (extraTensors.length > 0) process.stderr.write(`note: ${extraTensors.map((t) => t.name).join(', ')} are copies of model arrays (transposed or with reordered rows) that imc-sim derives from the model when it reads this graph\n`);
      // One layer per line, as the shipped graphs are written.
      const doc = new Document({ ...graph, description: undefined });
      const layers = doc.get('layers');
      if (isSeq(layers)) for (const item of layers.items) if (isMap(item)) item.flow = true;
      const input = doc.get('input');
      if (isSeq(input)) input.flow = true;
      const text = `# ${graph.description ?? graph.name ?? ''}\n${doc.toString({ flowCollectionPadding: true, lineWidth: 0 })}`;
      if (opts.output) writeFileAtomic(opts.output, new TextEncoder().encode(text));
      else process.stdout.write(text);
    });
}
