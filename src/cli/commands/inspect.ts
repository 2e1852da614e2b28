/** `imc-sim inspect FILE [--json]`: every array of a tensor file (library: `inspectFile`). */
import type { Command } from 'commander';
import { inspectFile } from '../../prep/summarize.js';
import { inspectTextReport } from '../../report/inspect-text.js';

/** Register `inspect` on the program. */
export function register(program: Command): void {
  program
    .command('inspect')
    .description('list every array of a .npy/.npz/.safetensors/.pt/.onnx file: name, dtype, shape, size, sparsity, min/max and the [K, N] layout that would be assumed')
    .argument('<file>', 'tensor file')
    .option('--json', 'one JSON document on stdout')
    .action((file: string, opts: { json?: boolean }) => {
      const r = inspectFile(file);
      process.stdout.write(opts.json ? JSON.stringify(r.document, null, 2) + '\n' : inspectTextReport(file, r.kind, r.arrays));
    });
}
