// Typed arrays that grow as items are added: per-report numbers a long run keeps until it ends
// (src/cli/report-store.ts, src/formatters/document.ts), a few bytes each instead of an object.

type GrowableArray = Float64Array | Uint32Array | Uint16Array | Uint8Array;

/** `a`, or a copy of it twice as large (at least `i + 1`), so that index `i` fits. */
export function withRoom<T extends GrowableArray>(a: T, i: number, make: (n: number) => T): T {
  if (i < a.length) return a;
  const b = make(Math.max(a.length * 2, i + 1));
  b.set(a);
  return b;
}

/**
 * A column of 32-bit numbers that mostly count up by one from the first (a report's slot in the
 * store, its index in its source): nothing is stored until a number breaks the run, then 4 bytes
 * a number.
 */
export class SerialColumn {
  private n = 0;
  private base = 0;
  /** The numbers, once one broke the run. */
  private values: Uint32Array | undefined;

  push(v: number): void {
    const i = this.n++;
    if (this.values === undefined) {
      if (i === 0) this.base = v;
      if (v === this.base + i) return;
      const values = new Uint32Array(Math.max(16, 2 * i));
      for (let j = 0; j < i; j++) values[j] = this.base + j;
      this.values = values;
    }
    this.values = withRoom(this.values, i, (k) => new Uint32Array(k));
    this.values[i] = v;
  }

  get(i: number): number {
    return this.values === undefined ? this.base + i : this.values[i]!;
  }

  /** Bytes the numbers take (the tests' check that a run takes none). */
  get storedBytes(): number {
    return this.values?.byteLength ?? 0;
  }
}
