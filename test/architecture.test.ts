/**
 * The layering of docs/ARCHITECTURE.md, checked on the source: `errors.ts` imports nothing of ours;
 * `formats/` imports only itself and `errors.ts`; `macro-sim/` adds `formats/`; nothing below
 * `src/` imports `src/`; and there is no import cycle, neither between files nor between the
 * folders of `src/`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** file (relative to the root) → the files of ours it imports (type-only imports included). */
function importGraph(): Map<string, string[]> {
  const files = [join(ROOT, 'errors.ts'), ...['formats', 'macro-sim', 'src'].flatMap((d) => sources(join(ROOT, d)))];
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const deps = [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'";]*?from\s+'(\.[^']+)'|import\('(\.[^']+)'\)/g)]
      .map((m) => m[1] ?? m[2]!)
      .map((spec) => relative(ROOT, resolve(dirname(f), spec.replace(/\.js$/, '.ts'))));
    graph.set(relative(ROOT, f), deps);
  }
  return graph;
}

/** The strongly connected components with more than one member (Tarjan). */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>(), low = new Map<string, number>(), on = new Set<string>(), stack: string[] = [], out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index); low.set(v, index); index++; stack.push(v); on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do { w = stack.pop()!; on.delete(w); scc.push(w); } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

const layerOf = (f: string): string => (f === 'errors.ts' ? 'errors' : f.split('/')[0]!);
const ALLOWED: Record<string, readonly string[]> = { errors: [], formats: ['formats', 'errors'], 'macro-sim': ['macro-sim', 'formats', 'errors'], src: ['src', 'macro-sim', 'formats', 'errors'] };

describe('architecture', () => {
  const graph = importGraph();

  it('every import points down the layers: src → macro-sim → formats → errors', () => {
    const wrong: string[] = [];
    for (const [f, deps] of graph) for (const d of deps) if (!ALLOWED[layerOf(f)]!.includes(layerOf(d))) wrong.push(`${f} → ${d}`);
    expect(wrong).toEqual([]);
  });

  it('every relative import names a file that exists', () => {
    const missing = [...graph].flatMap(([f, deps]) => deps.filter((d) => !graph.has(d)).map((d) => `${f} → ${d}`));
    expect(missing).toEqual([]);
  });

  it('has no import cycle between files', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('has no import cycle between the folders of src/', () => {
    const folder = (f: string): string | null => (f.startsWith('src/') && f.split('/').length > 2 ? f.split('/')[1]! : null);
    const folders = new Map<string, Set<string>>();
    for (const [f, deps] of graph) {
      const a = folder(f);
      if (a === null) continue;
      if (!folders.has(a)) folders.set(a, new Set());
      for (const d of deps) {
        const b = folder(d);
        if (b !== null && b !== a) folders.get(a)!.add(b);
      }
    }
    expect(cycles(new Map([...folders].map(([k, v]) => [k, [...v]])))).toEqual([]);
  });
});
