/**
 * Duplicate-key detection for JSON. `JSON.parse` silently keeps the last of two equal keys, but the
 * safetensors format (like RFC 8259 §4's "names SHOULD be unique") treats a duplicated name as an
 * invalid file, since two readers could disagree on which tensor it names.
 */

/**
 * Find the first duplicated object key anywhere in `text`, which must already be valid JSON
 * (run `JSON.parse` first: this scanner relies on it for well-formedness).
 * Keys are compared after unescaping, so `"a"` and `"\u0061"` are the same key.
 * @returns the duplicated key, or `null`.
 * @example findDuplicateJsonKey('{"a":1,"b":{"a":2},"a":3}') // 'a'
 */
export function findDuplicateJsonKey(text: string): string | null {
  // One frame per open container: the keys seen so far (objects) or null (arrays).
  const keys: Array<Set<string> | null> = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i;
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
      const top = keys[keys.length - 1];
      if (expectKey && top) {
        const key = JSON.parse(text.slice(start, i + 1)) as string;
        if (top.has(key)) return key;
        top.add(key);
      }
      expectKey = false;
    } else if (c === 0x7b /* { */) {
      keys.push(new Set());
      expectKey = true;
    } else if (c === 0x5b /* [ */) {
      keys.push(null);
      expectKey = false;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      keys.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      expectKey = keys[keys.length - 1] != null;
    }
  }
  return null;
}
