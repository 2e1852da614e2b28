/**
 * A memo of the work that depends only on files, preparation and inputs — loaded files, float and
 * prepared matrices, quantized inputs and their engine packing, reference products, macro configs —
 * passed explicitly to `runFile` / `evalFile`. A sweep worker keeps one for all its points, so the
 * points that share a preparation share its work; a single run uses a fresh one. Keys are the
 * JSON of the values that decide the result, so a hit is always the same value the miss would make.
 */
export class PreparationCache {
  private readonly kinds = new Map<string, Map<string, unknown>>();
  private readonly ids = new WeakMap<object, string>();
  private nextId = 0;

  /**
   * A key part for an object given by value rather than by path (a loaded file or tensor passed to
   * the library): the same object always gets the same id, two objects never share one.
   */
  idOf(o: object): string {
    let id = this.ids.get(o);
    if (id === undefined) this.ids.set(o, (id = `#object-${this.nextId++}`));
    return id;
  }

  /**
   * The value of `kind` for `key`, made by `make` the first time.
   * @example cache.get('file', [path], () => loadTensorFile(path))
   */
  get<T>(kind: string, key: readonly unknown[], make: () => T): T {
    let m = this.kinds.get(kind);
    if (!m) this.kinds.set(kind, (m = new Map()));
    const k = JSON.stringify(key);
    if (m.has(k)) return m.get(k) as T;
    const v = make();
    m.set(k, v);
    return v;
  }

  /** Entries held per kind (for tests and diagnostics). */
  sizes(): Record<string, number> {
    return Object.fromEntries([...this.kinds].map(([k, m]) => [k, m.size]));
  }
}
