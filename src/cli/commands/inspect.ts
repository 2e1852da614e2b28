import type { Command } from 'commander';
import { loadTensorFile } from '../../io/load.js';
import { summarizeTensor } from '../../pipeline/inspect.js';
import { fmt, formatTable } from '../../report/table.js';
import { VERSION } from '../../version.js';

/** `imc-sim inspect FILE [--json]`: list every array in a tensor file. */
export function register(program: Command): void {
  program
    .command('inspect')
    .description('list every array of a .npy/.npz/.safetensors file: name, dtype, shape, size, sparsity, min/max and the [K, N] layout that would be assumed')
    .argument('<file>', 'tensor file')
    .option('--json', 'one JSON document on stdout')
    .action((file: string, opts: { json?: boolean }) => {
      const f = loadTensorFile(file);
      const rows = f.tensors.map(summarizeTensor);
      if (opts.json) {
        process.stdout.write(JSON.stringify({ tool: 'imc-sim', version: VERSION, file, kind: f.kind, arrays: rows }, null, 2) + '\n');
        return;
      }
      process.stdout.write(`${file}: ${f.kind}, ${rows.length} array(s)\n\n`);
      process.stdout.write(
        formatTable(
          ['name', 'dtype', 'shape', 'size', 'sparsity', 'min', 'max', 'assumed layout'],
          rows.map((r) => [
            r.name,
            r.dtype,
            `(${r.shape.join(', ')})`,
            String(r.size),
            `${(r.sparsity * 100).toFixed(2)}%`,
            fmt(r.min),
            fmt(r.max),
            r.layout && r.matrix ? `${r.layout} → [K=${r.matrix.rows}, N=${r.matrix.cols}]${r.note ? ` (${r.note})` : ''}` : r.note ?? '',
          ]),
        ) + '\n',
      );
    });
}
