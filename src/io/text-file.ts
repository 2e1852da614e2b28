/**
 * Text files the user names (a macro config, a network graph, a sweep spec): read as UTF-8, with
 * one InputError that names the file, what it was meant to be, and the system's reason.
 */
import * as fs from 'node:fs';
import { InputError } from '../../errors.js';

/**
 * Read `file` as UTF-8 text.
 * @param what - what the file is, for the message (`macro config`, `graph`).
 * @throws InputError `IO_NOT_FOUND` or `IO_READ`.
 * @example readTextFile('examples/lenet5.graph.yaml', 'graph').startsWith('#') // true
 */
export function readTextFile(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new InputError('IO_NOT_FOUND', `${file}: no such ${what} file; check the path`);
    throw new InputError('IO_READ', `${file}: cannot read the ${what} (${code ?? (e as Error).message}); check the path and its permissions`);
  }
}
