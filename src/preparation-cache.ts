/**
 * A memo of the work that depends only on files, preparation and inputs — loaded files, float and
 * prepared matrices, quantized inputs and their engine packing, reference products, macro configs —
 * passed explicitly to `runFile` / `evalFile`. A sweep worker keeps one for all its points, so the
 * points that share a preparation share its work; a single run uses a fresh one. Keys are the
 * JSON of the values that decide the result, so a hit is always the same value the miss would make.
 */
export class PreparationCache {
  private readonly kinds = new Map<string, Map<string, unknown>>();

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
