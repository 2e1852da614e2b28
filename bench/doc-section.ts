/**
 * A generated document made of sections, each owned by one script: a script replaces only the text
 * between its own markers (`<!-- begin:ID -->` … `<!-- end:ID -->`), appending the section when it is
 * not there yet, so two generators can share docs/NETWORK-RESULTS.md.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** Replace (or append) section `id` of `file` with `markdown`. */
export function writeSection(file: string, id: string, markdown: string): void {
  const begin = `<!-- begin:${id} -->`, end = `<!-- end:${id} -->`;
  const block = `${begin}\n${markdown.trimEnd()}\n${end}`;
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const i = old.indexOf(begin), j = old.indexOf(end);
  const next = i >= 0 && j > i ? old.slice(0, i) + block + old.slice(j + end.length) : (old.trimEnd() ? `${old.trimEnd()}\n\n` : '') + block + '\n';
  writeFileSync(file, next.endsWith('\n') ? next : next + '\n');
}
