/**
 * ZIP central-directory reader: where each member's bytes are, how big they are, and their CRC.
 * Decompression itself is fflate's (see `npz.ts`).
 *
 * Why not `fflate.unzipSync`: it allocates each member's *claimed* size before inflating, inflates
 * without a bound, never verifies CRCs and does not expose member offsets; fflate's streaming `Unzip`
 * trusts the local headers, which numpy fills with 0xFFFFFFFF (it forces ZIP64). A decompression-bomb
 * guard needs the directory first, so this small reader provides it (APPNOTE.TXT 6.3.10):
 *
 *     end of central directory (EOCD), last 22 + comment bytes:
 *       0 sig 0x06054b50 | 4 disk u16 | 6 cd disk u16 | 8 entries here u16 | 10 entries u16
 *       12 cd size u32 | 16 cd offset u32 | 20 comment length u16
 *     ZIP64 EOCD locator, 20 bytes right before the EOCD:
 *       0 sig 0x07064b50 | 4 disk u32 | 8 zip64 EOCD offset u64 | 16 disks u32
 *     ZIP64 EOCD: 0 sig 0x06064b50 | 24 entries here u64 | 32 entries u64 | 40 cd size u64 | 48 cd offset u64
 *     central header (46 + n + m + k bytes):
 *       0 sig 0x02014b50 | 8 flags u16 | 10 method u16 | 16 crc32 | 20 compressed u32 | 24 uncompressed u32
 *       28 name length n | 30 extra length m | 32 comment length k | 42 local header offset u32 | 46 name
 *       ZIP64 extra (id 0x0001): u64 values for each 32-bit field above that reads 0xFFFFFFFF, in the
 *       order uncompressed, compressed, offset
 *     local header (30 + n' + m' bytes): 0 sig 0x04034b50 | 26 name length n' | 28 extra length m'
 *       — member data starts right after; its sizes may be 0xFFFFFFFF, so they are not used.
 */
import { InputError } from '../../errors.js';

/** One member as the central directory describes it. */
export interface ZipMember {
  readonly name: string;
  /** 0 = stored, 8 = DEFLATE. */
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  /** Offset of the member's first data byte in the archive. */
  readonly dataStart: number;
}

const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const U32_MAX = 0xffffffff;

function bad(where: string, what: string): InputError {
  return new InputError('NPZ_BAD_ZIP', `${where}: not a valid npz/zip archive (${what}); re-save it with numpy.savez`);
}

/** Bounds-checked little-endian reads over the archive. */
class Reader {
  constructor(readonly b: Uint8Array, readonly where: string) {}
  need(at: number, n: number, what: string): void {
    if (at < 0 || at + n > this.b.length) throw bad(this.where, `${what}: need ${n} bytes at offset ${at}, file has ${Math.max(0, this.b.length - at)}`);
  }
  u16(at: number): number {
    return this.b[at]! | (this.b[at + 1]! << 8);
  }
  u32(at: number): number {
    return (this.b[at]! | (this.b[at + 1]! << 8) | (this.b[at + 2]! << 16)) + this.b[at + 3]! * 0x1000000;
  }
  /** u64 as a Number; values past 2^53 cannot be offsets into an in-memory file, so they are refused. */
  u64(at: number, what: string): number {
    const v = this.u32(at) + this.u32(at + 4) * 0x100000000;
    if (!Number.isSafeInteger(v)) throw bad(this.where, `${what} ${v} is beyond 2^53`);
    return v;
  }
}

/**
 * List the members of a ZIP archive from its central directory.
 * @param where - names the file in error messages.
 * @throws InputError `NPZ_BAD_ZIP` for structural damage, `NPZ_ENCRYPTED` for encrypted members.
 */
export function readZipDirectory(bytes: Uint8Array, where: string): ZipMember[] {
  const r = new Reader(bytes, where);
  if (bytes.length < 22) throw bad(where, `${bytes.length} bytes is shorter than a zip end record`);
  // The EOCD is 22 bytes plus a comment of at most 65,535 bytes, so search at most that far back.
  let eocd = -1;
  const stop = Math.max(0, bytes.length - 22 - 0xffff);
  for (let p = bytes.length - 22; p >= stop; p--) {
    if (r.u32(p) === SIG_EOCD && p + 22 + r.u16(p + 20) <= bytes.length) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) throw bad(where, 'no end-of-central-directory record');
  let count = r.u16(eocd + 10);
  let cdSize = r.u32(eocd + 12);
  let cdOffset = r.u32(eocd + 16);
  if (r.u16(eocd + 4) !== 0 && r.u16(eocd + 4) !== 0xffff) throw bad(where, 'multi-disk archives are not supported');
  if (eocd >= 20 && r.u32(eocd - 20) === SIG_ZIP64_LOCATOR) {
    const z = r.u64(eocd - 12, 'ZIP64 end record offset');
    r.need(z, 56, 'ZIP64 end record');
    if (r.u32(z) !== SIG_ZIP64_EOCD) throw bad(where, 'ZIP64 locator points at no ZIP64 end record');
    count = r.u64(z + 32, 'ZIP64 entry count');
    cdSize = r.u64(z + 40, 'ZIP64 directory size');
    cdOffset = r.u64(z + 48, 'ZIP64 directory offset');
  }
  r.need(cdOffset, cdSize, 'central directory');
  // Every central header is at least 46 bytes: a lying count cannot make us loop or allocate past the file.
  if (count * 46 > cdSize) throw bad(where, `${count} members cannot fit a ${cdSize}-byte central directory`);
  const members: ZipMember[] = [];
  let p = cdOffset;
  const cdEnd = cdOffset + cdSize;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cdEnd) throw bad(where, `central directory ends inside member ${i}`);
    if (r.u32(p) !== SIG_CENTRAL) throw bad(where, `member ${i} has no central header signature at offset ${p}`);
    const flags = r.u16(p + 8);
    const method = r.u16(p + 10);
    const crc = r.u32(p + 16);
    let csize = r.u32(p + 20);
    let usize = r.u32(p + 24);
    const nameLen = r.u16(p + 28);
    const extraLen = r.u16(p + 30);
    const commentLen = r.u16(p + 32);
    let localOffset = r.u32(p + 42);
    const nameStart = p + 46;
    const extraStart = nameStart + nameLen;
    const next = extraStart + extraLen + commentLen;
    if (next > cdEnd) throw bad(where, `member ${i}'s central header runs past the directory`);
    const nameBytes = bytes.subarray(nameStart, extraStart);
    // Bit 11: name is UTF-8; otherwise CP437, whose ASCII half is all numpy ever writes.
    const name = flags & 0x800 ? new TextDecoder('utf-8').decode(nameBytes) : latin1(nameBytes);
    if (flags & 1) throw new InputError('NPZ_ENCRYPTED', `${where}: member '${name}' is encrypted; save the arrays without a password`);
    if (usize === U32_MAX || csize === U32_MAX || localOffset === U32_MAX) {
      let found = false;
      for (let e = extraStart; e + 4 <= extraStart + extraLen; ) {
        const id = r.u16(e);
        const len = r.u16(e + 2);
        if (e + 4 + len > extraStart + extraLen) break;
        if (id === 0x0001) {
          let q = e + 4;
          const end = q + len;
          const take = (what: string): number => {
            if (q + 8 > end) throw bad(where, `member '${name}': ZIP64 extra field too short for the ${what}`);
            const v = r.u64(q, `member '${name}' ${what}`);
            q += 8;
            return v;
          };
          if (usize === U32_MAX) usize = take('uncompressed size');
          if (csize === U32_MAX) csize = take('compressed size');
          if (localOffset === U32_MAX) localOffset = take('local header offset');
          found = true;
          break;
        }
        e += 4 + len;
      }
      if (!found) throw bad(where, `member '${name}' has 0xFFFFFFFF sizes but no ZIP64 extra field`);
    }
    r.need(localOffset, 30, `member '${name}' local header`);
    if (r.u32(localOffset) !== SIG_LOCAL) throw bad(where, `member '${name}' has no local header at offset ${localOffset}`);
    const dataStart = localOffset + 30 + r.u16(localOffset + 26) + r.u16(localOffset + 28);
    r.need(dataStart, csize, `member '${name}' data`);
    members.push({ name, method, crc32: crc, compressedSize: csize, uncompressedSize: usize, dataStart });
    p = next;
  }
  return members;
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}
