// Counts how often each string has been seen, in memory that stays small when the strings are
// many: JUnit numbers repeated test case names ("title #2"), and a run may have a million
// distinct titles in one source. A Map from title to count kept each title with its entry, ~160
// bytes a distinct title: -f junit on 1,000,000 distinct reports peaked at 268 MB (2026-11-28).
//
// The first `exactLimit` distinct strings are counted exactly, in a Map. Past it, a string is
// known by a 64-bit hash of it (two 32-bit hashes) in an open-addressing table of typed arrays,
// 12 bytes a slot. Two strings past the limit with the same 64-bit hash would share a count: for
// k such strings the chance is about k² / 2^65 (3e-8 for a million), and the cost a test case
// named "title #2" instead of "title".

/** Distinct strings counted exactly before the hashed table takes over. */
export const EXACT_STRINGS = 10_000;

/** 32-bit finaliser of MurmurHash3: spreads every input bit over the result. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

export class StringCounter {
  private readonly exact = new Map<string, number>();
  // The hashed table, made when the exact map is full. A slot is empty while its count is 0.
  private hashA = new Int32Array(0);
  private hashB = new Int32Array(0);
  private counts = new Uint32Array(0);
  private used = 0;

  constructor(private readonly exactLimit = EXACT_STRINGS) {}

  /** Counts one more `s`; returns how many times it has been seen, this one included. */
  add(s: string): number {
    const known = this.exact.get(s);
    if (known !== undefined) {
      this.exact.set(s, known + 1);
      return known + 1;
    }
    if (this.exact.size < this.exactLimit) {
      this.exact.set(s, 1);
      return 1;
    }
    return this.addHashed(s);
  }

  private addHashed(s: string): number {
    // FNV-1a and a multiplicative hash with another constant, over the UTF-16 code units.
    let a = 0x811c9dc5;
    let b = s.length;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b + c, 0x9e3779b1) ^ (b >>> 15);
    }
    a = fmix32(a);
    b = fmix32(b);
    // At most half full, so that probes stay short.
    if (2 * (this.used + 1) > this.counts.length) this.grow();
    const i = this.find(a, b);
    const n = this.counts[i]! + 1;
    if (n === 1) {
      this.hashA[i] = a;
      this.hashB[i] = b;
      this.used++;
    }
    this.counts[i] = n;
    return n;
  }

  /** The slot holding hashes (a, b), or the empty slot where they go. */
  private find(a: number, b: number): number {
    const mask = this.counts.length - 1;
    for (let i = (a ^ b) & mask; ; i = (i + 1) & mask) {
      if (this.counts[i] === 0 || (this.hashA[i] === a && this.hashB[i] === b)) return i;
    }
  }

  private grow(): void {
    const { hashA, hashB, counts } = this;
    const size = Math.max(1024, counts.length * 2);
    this.hashA = new Int32Array(size);
    this.hashB = new Int32Array(size);
    this.counts = new Uint32Array(size);
    for (let j = 0; j < counts.length; j++) {
      if (counts[j] === 0) continue;
      const i = this.find(hashA[j]!, hashB[j]!);
      this.hashA[i] = hashA[j]!;
      this.hashB[i] = hashB[j]!;
      this.counts[i] = counts[j]!;
    }
  }
}
