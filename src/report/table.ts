/**
 * Plain-text tables for the readable CLI reports. Columns whose cells all look numeric are
 * right-aligned; everything else is left-aligned.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const numeric = header.map((_, c) => rows.length > 0 && rows.every((r) => /^[-+]?[\d.,]+(e[-+]?\d+)?[×%x]?$|^(—|-|inf|∞)$/i.test(r[c] ?? '')));
  const line = (cells: readonly string[]) =>
    cells.map((cell, c) => (numeric[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** A number with `digits` significant digits, no exponent for everyday magnitudes. */
export function fmt(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? '—' : x > 0 ? '∞' : '-∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e9 || a < 1e-4) return x.toExponential(digits - 1);
  if (Number.isInteger(x) && a < 1e9) return String(x);
  return Number(x.toPrecision(digits)).toString();
}

/** A bit count as a human size (`1.23 Mb`), keeping the exact bits in JSON output. */
export function fmtBits(bits: number): string {
  if (bits < 1e4) return `${bits} b`;
  if (bits < 1e7) return `${(bits / 1e3).toFixed(1)} kb`;
  return `${(bits / 1e6).toFixed(2)} Mb`;
}
