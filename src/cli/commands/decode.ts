/** `imc-sim decode enc.npz -o q.npy`: the integer matrix back from an encoded layer (library: `decodeEncodedFile`). */
import type { Command } from 'commander';
import { decodeEncodedFile } from '../../io/encoded-file.js';
import { intMatrixToArray } from '../../io/int-matrix-array.js';
import { writeFileAtomic } from '../../io/load.js';
import { encodeNpy } from '../../io/npy.js';

/** Register `decode` on the program. */
export function register(program: Command): void {
  program
    .command('decode')
    .description("decode an encoded layer written by 'imc-sim encode -o' back into the integer matrix [K, N]")
    .argument('<encoded.npz>', 'encoded layer')
    .requiredOption('-o, --output <q.npy>', 'where to write the integer matrix [K, N] (int8 for b_w ≤ 8, else int16)')
    .action((file: string, opts: { output: string }) => {
      const { encoded, q } = decodeEncodedFile(file);
      writeFileAtomic(opts.output, encodeNpy(intMatrixToArray(q, encoded.valueBits)));
      process.stdout.write(`${file}: ${encoded.format}, [K=${encoded.rows}, N=${encoded.cols}], ${encoded.valueBits}-bit, nnz ${encoded.nnz} → wrote ${opts.output}\n`);
    });
}
