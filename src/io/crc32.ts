/**
 * CRC-32 as used by ZIP (ISO 3309 / ITU-T V.42 polynomial 0xEDB88320, reflected, init and final
 * XOR 0xFFFFFFFF; APPNOTE.TXT §4.4.7). fflate computes it when writing but does not export it and does
 * not verify it when reading, so the npz reader checks members with this.
 * Check value: crc32("123456789") = 0xCBF43926.
 */

let table: Int32Array | undefined;

function makeTable(): Int32Array {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
}

/**
 * CRC-32 of `data` (unsigned 32-bit result).
 * @example crc32(new TextEncoder().encode('123456789')) // 0xcbf43926
 */
export function crc32(data: Uint8Array): number {
  const t = (table ??= makeTable());
  let c = -1;
  for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
