// Strings a run keeps until it ends (the table's rows), one copy each. A long log repeats a few
// titles, versions and flags thousands of times: 150,685 reports of the bench's 1 GB console log
// have 138 distinct titles.
import { unslice } from '../input/unslice.js';

export class StringPool {
  private readonly strings = new Map<string, string>();

  /** The pool's copy of `s`: copied out of the input it may be sliced from (see unslice) the first time, shared after. */
  get(s: string): string {
    let p = this.strings.get(s);
    if (p === undefined) {
      p = unslice(s);
      this.strings.set(p, p);
    }
    return p;
  }
}
