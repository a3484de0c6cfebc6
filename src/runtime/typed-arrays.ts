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
