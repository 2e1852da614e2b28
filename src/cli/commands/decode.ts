import * as fs from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../../../formats/errors.js';
import { writeFileAtomic } from '../../io/load.js';
import { encodeNpy } from '../../io/npy.js';
import { encodedFromNpz } from '../../pipeline/encoded-file.js';
import { intMatrixToArray } from '../../pipeline/quantized-array.js';

/** `imc-sim decode enc.npz -o q.npy`: the integer matrix back from an encoded layer. */
export function register(program: Command): void {
  program
    .command('decode')
    .description("decode an encoded layer written by 'imc-sim encode -o' back into the integer matrix [K, N]")
    .argument('<encoded.npz>', 'encoded layer')
    .requiredOption('-o, --output <q.npy>', 'where to write the integer matrix [K, N] (int8 for b_w ≤ 8, else int16)')
    .action((file: string, opts: { output: string }) => {
      let bytes: Uint8Array;
      try {
        bytes = fs.readFileSync(file);
      } catch (e) {
        throw new InputError('IO_READ', `${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); check the path`);
      }
      const { encoded, q } = encodedFromNpz(bytes, file);
      writeFileAtomic(opts.output, encodeNpy(intMatrixToArray(q, encoded.valueBits)));
      process.stdout.write(`${file}: ${encoded.format}, [K=${encoded.rows}, N=${encoded.cols}], ${encoded.valueBits}-bit, nnz ${encoded.nnz} → wrote ${opts.output}\n`);
    });
}
