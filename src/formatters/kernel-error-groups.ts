// The table's list of kernel errors, grouped: a failing disk prints the same I/O error for every
// sector it cannot read, thousands of lines that differ only in their numbers. Errors of one
// source, category, device and message shape (digits and hex numbers taken out) are one row with
// a count, at the line of the first. Memory is bounded: past MAX_GROUPS shapes, errors are only
// counted.
import type { KernelErrorRecord } from '../model/boot.js';

/** Distinct shapes kept; the rest are counted in `ungrouped`. */
export const MAX_GROUPS = 1000;

export interface KernelErrorGroup {
  /** The first error of the group, as printed. */
  first: KernelErrorRecord;
  count: number;
}

// A number in a message: decimal, hex with 0x, or a bare hex word of 8+ digits (an address).
const numberRe = /0x[0-9a-fA-F]+|\b[0-9a-f]{8,}\b|\d+/g;

/** The message with its numbers replaced, so that errors differing only there compare equal. */
export function messageShape(message: string): string {
  return message.replace(numberRe, 'N');
}

export class KernelErrorGroups {
  private readonly byKey = new Map<string, KernelErrorGroup>();
  /** Errors not kept in a group (more than MAX_GROUPS shapes). */
  ungrouped = 0;

  add(rec: KernelErrorRecord): void {
    const key = `${rec.source}\u0000${rec.category}\u0000${rec.device ?? ''}\u0000${messageShape(rec.message)}`;
    const g = this.byKey.get(key);
    if (g) g.count++;
    else if (this.byKey.size < MAX_GROUPS) this.byKey.set(key, { first: rec, count: 1 });
    else this.ungrouped++;
  }

  /** The groups in the order their first error came. */
  list(): KernelErrorGroup[] {
    return [...this.byKey.values()];
  }
}
