// Rust v0 symbol names ("_RNvMs3_NtCs..._11rust_binder7processNtB5_7Process10update_ref") ->
// the paths syzbot puts in titles ("<rust_binder::process::Process>::update_ref"). The kernel
// builds Rust with -Csymbol-mangling-version=v0 and kallsyms prints the mangled name, so a
// Rust panic's call trace is all "_R..." frames. The grammar is RFC 2603's; the output follows
// rustc-demangle's plain form (crate hashes and disambiguators left out). Written from the RFC.
// Anything this does not understand gives undefined and the frame keeps its printed name.
// No regular expressions: it reads input text, and a hand-written scanner needs no ReDoS audit.

/** Nesting this deep is a hostile or broken symbol, not a kernel function. */
const MAX_DEPTH = 64;
/**
 * Back references let a short symbol print a huge name (a tuple of references to the previous
 * tuple doubles it per level: 200 characters gave 300 million). Work and output are capped.
 */
const MAX_STEPS = 4096;
const MAX_OUTPUT = 1024;

const basicTypes: Record<string, string> = {
  a: 'i8', b: 'bool', c: 'char', d: 'f64', e: 'str', f: 'f32', h: 'u8', i: 'isize', j: 'usize',
  l: 'i32', m: 'u32', n: 'i128', o: 'u128', s: 'i16', t: 'u16', u: '()', v: '...', x: 'i64',
  y: 'u64', z: '!', p: '_',
};

class Invalid extends Error {}

class Parser {
  private pos = 0;
  private depth = 0;
  private steps = 0;

  /** `s` is the symbol after "_R"; back references count from its start. */
  constructor(private readonly s: string) {}

  get done(): boolean {
    return this.pos >= this.s.length;
  }

  private peek(): string {
    return this.s.charAt(this.pos);
  }

  private eat(c: string): boolean {
    if (this.s.charAt(this.pos) !== c) return false;
    this.pos++;
    return true;
  }

  private next(): string {
    if (this.pos >= this.s.length) throw new Invalid();
    return this.s.charAt(this.pos++);
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH || ++this.steps > MAX_STEPS) throw new Invalid();
  }

  /** A name part, refused once it is longer than any name worth printing. */
  private capped(s: string): string {
    if (s.length > MAX_OUTPUT) throw new Invalid();
    return s;
  }

  /** "_" is 0; otherwise base-62 digits then "_", plus one (Infinity when too large to matter). */
  private base62(): number {
    if (this.eat('_')) return 0;
    let n = 0;
    for (;;) {
      const c = this.next();
      if (c === '_') return n + 1;
      const d = c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c >= 'a' && c <= 'z' ? c.charCodeAt(0) - 87 : c >= 'A' && c <= 'Z' ? c.charCodeAt(0) - 29 : -1;
      if (d < 0) throw new Invalid();
      // Crate disambiguators are 64-bit hashes: only their end matters, not their value.
      n = n > Number.MAX_SAFE_INTEGER / 62 ? Infinity : n * 62 + d;
    }
  }

  /** A decimal number: "0" alone, or digits not starting with "0". */
  private decimal(): number {
    const start = this.pos;
    if (this.eat('0')) return 0;
    while (this.peek() >= '0' && this.peek() <= '9') this.pos++;
    if (this.pos === start) throw new Invalid();
    return Number(this.s.slice(start, this.pos));
  }

  /** The disambiguator: 0 without one, else its base-62 number plus one. */
  private optDisambiguator(): number {
    return this.eat('s') ? this.base62() + 1 : 0;
  }

  /** An optional encoding version before the path. */
  skipVersion(): void {
    while (this.peek() >= '0' && this.peek() <= '9') this.pos++;
  }

  /** undisambiguated-identifier: ["u"] decimal ["_"] bytes (punycode names are kept as printed). */
  private ident(): string {
    const puny = this.eat('u');
    const len = this.decimal();
    this.eat('_');
    if (this.pos + len > this.s.length) throw new Invalid();
    const name = this.s.slice(this.pos, this.pos + len);
    this.pos += len;
    return puny ? `{punycode:${name}}` : name;
  }

  /** Runs `f` at a back reference's target, then comes back. */
  private backref<T>(f: () => T): T {
    const at = this.pos - 1;
    const target = this.base62();
    // Only to something before the reference: no loops.
    if (target >= at) throw new Invalid();
    const here = this.pos;
    this.pos = target;
    this.enter();
    try {
      return f();
    } finally {
      this.depth--;
      this.pos = here;
    }
  }

  /** A path; `inValue`: generic arguments print as "::<..>" (an expression path) rather than "<..>". */
  path(inValue: boolean): string {
    return this.capped(this.pathParts(inValue));
  }

  private pathParts(inValue: boolean): string {
    this.enter();
    try {
      const tag = this.next();
      switch (tag) {
        case 'C': {
          this.optDisambiguator();
          return this.ident();
        }
        case 'M': {
          this.optDisambiguator();
          this.path(false); // the impl's own path: not printed
          return `<${this.type()}>`;
        }
        case 'X': {
          this.optDisambiguator();
          this.path(false);
          const self = this.type();
          return `<${self} as ${this.path(false)}>`;
        }
        case 'Y': {
          const self = this.type();
          return `<${self} as ${this.path(false)}>`;
        }
        case 'N': {
          const ns = this.next();
          const parent = this.path(inValue);
          const dis = this.optDisambiguator();
          const name = this.ident();
          if (ns >= 'A' && ns <= 'Z') {
            const kind = ns === 'C' ? 'closure' : ns === 'S' ? 'shim' : ns;
            return `${parent}::{${kind}${name ? `:${name}` : ''}#${dis}}`;
          }
          return `${parent}::${name}`;
        }
        case 'I': {
          const base = this.path(inValue);
          const args: string[] = [];
          while (!this.eat('E')) args.push(this.genericArg());
          return `${base}${inValue ? '::' : ''}<${args.join(', ')}>`;
        }
        case 'B':
          return this.backref(() => this.path(inValue));
        default:
          throw new Invalid();
      }
    } finally {
      this.depth--;
    }
  }

  private genericArg(): string {
    // Lifetimes are erased in kernel symbols ("L_"); rustc-demangle prints them as "'_".
    if (this.eat('L')) {
      this.base62();
      return "'_";
    }
    if (this.eat('K')) return this.constant();
    return this.type();
  }

  /** A reference's lifetime: an erased one ("L_") prints as nothing, as rustc-demangle does. */
  private lifetime(): string {
    if (this.eat('L')) return this.base62() === 0 ? '' : "'_ ";
    return '';
  }

  type(): string {
    return this.capped(this.typeParts());
  }

  private typeParts(): string {
    this.enter();
    try {
      const c = this.peek();
      const basic = basicTypes[c];
      if (basic !== undefined) {
        this.pos++;
        return basic;
      }
      switch (c) {
        case 'A': {
          this.pos++;
          const t = this.type();
          return `[${t}; ${this.constant()}]`;
        }
        case 'S':
          this.pos++;
          return `[${this.type()}]`;
        case 'T': {
          this.pos++;
          const items: string[] = [];
          while (!this.eat('E')) items.push(this.type());
          return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
        }
        case 'R':
        case 'Q': {
          this.pos++;
          const lt = this.lifetime();
          return `&${lt}${c === 'Q' ? 'mut ' : ''}${this.type()}`;
        }
        case 'P':
          this.pos++;
          return `*const ${this.type()}`;
        case 'O':
          this.pos++;
          return `*mut ${this.type()}`;
        case 'F':
          this.pos++;
          return this.fnSig();
        case 'D':
          this.pos++;
          return this.dynBounds();
        case 'B':
          this.pos++;
          return this.backref(() => this.type());
        default:
          return this.path(false);
      }
    } finally {
      this.depth--;
    }
  }

  private binder(): void {
    if (this.eat('G')) this.base62();
  }

  private fnSig(): string {
    this.binder();
    const unsafe = this.eat('U');
    let abi = '';
    if (this.eat('K')) abi = this.eat('C') ? 'extern "C" ' : `extern "${this.ident().split('_').join('-')}" `;
    const params: string[] = [];
    while (!this.eat('E')) params.push(this.type());
    const ret = this.type();
    return `${unsafe ? 'unsafe ' : ''}${abi}fn(${params.join(', ')})${ret === '()' ? '' : ` -> ${ret}`}`;
  }

  private dynBounds(): string {
    this.binder();
    const traits: string[] = [];
    while (!this.eat('E')) {
      let t = this.path(false);
      const assoc: string[] = [];
      while (this.eat('p')) {
        const name = this.ident();
        assoc.push(`${name} = ${this.type()}`);
      }
      if (assoc.length > 0) t = t.endsWith('>') ? `${t.slice(0, -1)}, ${assoc.join(', ')}>` : `${t}<${assoc.join(', ')}>`;
      traits.push(t);
    }
    this.lifetime();
    return `dyn ${traits.join(' + ')}`;
  }

  /** A const generic argument: its type, then hex digits ("n" for negative); values print in decimal. */
  private constant(): string {
    this.enter();
    try {
      if (this.eat('p')) return '_';
      if (this.eat('B')) return this.backref(() => this.constant());
      const t = this.next();
      const neg = this.eat('n');
      const start = this.pos;
      for (let c = this.peek(); (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); c = this.peek()) this.pos++;
      const hex = this.s.slice(start, this.pos);
      if (!this.eat('_')) throw new Invalid();
      if (t === 'b') {
        if (hex !== '0' && hex !== '1') throw new Invalid();
        return hex === '1' ? 'true' : 'false';
      }
      if (t === 'c') {
        const cp = Number.parseInt(hex || '0', 16);
        if (hex.length > 6 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw new Invalid();
        return `'${String.fromCodePoint(cp)}'`;
      }
      const v = BigInt(`0x${hex || '0'}`);
      return `${neg ? '-' : ''}${v.toString()}`;
    } finally {
      this.depth--;
    }
  }
}

/** The demangled path of a Rust v0 symbol, or undefined when `sym` is not one this can read. */
export function demangleRust(sym: string): string | undefined {
  if (!sym.startsWith('_R') || sym.length > 4096) return undefined;
  let body = sym.slice(2);
  // A vendor-specific suffix (".llvm.123", "$...") is not part of the path.
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 46 /* . */ || c === 36 /* $ */) {
      body = body.slice(0, i);
      break;
    }
  }
  try {
    // Back references count from the start of what follows "_R".
    const p = new Parser(body);
    p.skipVersion();
    return p.path(true);
  } catch {
    // Invalid, or anything else a hostile symbol provokes: the frame keeps its printed name.
    return undefined;
  }
}
