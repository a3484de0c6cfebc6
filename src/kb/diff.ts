// Unified diffs -> the files and functions a patch touches. Fed line by line,
// so a huge diff costs no memory beyond the (capped) lists it yields.

const MAX_FILES = 64;
const MAX_FUNCTIONS = 128;

// "diff --git a/fs/ext4/xattr.c b/fs/ext4/xattr.c" (git) and "+++ b/fs/ext4/xattr.c".
const diffGitRe = /^diff --git a\/\S+ b\/(\S+)/;
const plusFileRe = /^\+\+\+ (?:b\/)?(\S+)/;
// "@@ -650,7 +650,8 @@ static int ext4_xattr_ibody_get(struct inode *inode, ...": the
// text after the second "@@" is the line git's funcname pattern found above the hunk.
const hunkRe = /^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@ ?(.*)$/;
// A function definition starting at column 0 inside a hunk: "+static int foo(struct x *x)".
const definitionRe = /^[ +-](?![\s#/*{}])(?:[A-Za-z_][\w\s*,]*?[\s*])?([A-Za-z_]\w*)\s*\([^;]*$/;
/** Hunk contexts and definition lines longer than this are not C declarations (git cuts contexts at 80). */
const MAX_DECLARATION = 300;
// Starts only at the start of a word, so a long word is scanned once.
const contextFunctionRe = /(?<!\w)([A-Za-z_]\w*)\s*\(/g;
const keywords = new Set(['if', 'for', 'while', 'switch', 'return', 'sizeof', 'do', 'else', 'case', 'typeof', 'defined', '__attribute__']);

/** Every regex applied to diff lines (for the ReDoS audit). */
export const diffRegexes: readonly RegExp[] = [diffGitRe, plusFileRe, hunkRe, definitionRe, contextFunctionRe];

/** The function a hunk header's context names: the identifier before the first "(". */
export function contextFunction(context: string): string | undefined {
  if (context.length > MAX_DECLARATION) return undefined;
  for (const m of context.matchAll(contextFunctionRe)) {
    if (!keywords.has(m[1]!)) return m[1];
  }
  return undefined;
}

export interface DiffFacts {
  /** True once a hunk was seen. */
  hasDiff: boolean;
  files: string[];
  functions: string[];
}

/** Reads the lines of one or more diffs; the facts grow as lines come. */
export class DiffReader {
  readonly facts: DiffFacts = { hasDiff: false, files: [], functions: [] };
  private inHunk = false;

  private addFile(f: string): void {
    if (f !== '/dev/null' && !this.facts.files.includes(f) && this.facts.files.length < MAX_FILES) this.facts.files.push(f);
  }

  private addFunction(f: string | undefined): void {
    if (f && !keywords.has(f) && !this.facts.functions.includes(f) && this.facts.functions.length < MAX_FUNCTIONS) this.facts.functions.push(f);
  }

  push(line: string): void {
    const git = diffGitRe.exec(line);
    if (git) {
      this.inHunk = false;
      this.addFile(git[1]!);
      return;
    }
    const hunk = hunkRe.exec(line);
    if (hunk) {
      this.facts.hasDiff = true;
      this.inHunk = true;
      this.addFunction(contextFunction(hunk[1]!));
      return;
    }
    if (line.startsWith('+++ ')) {
      const m = plusFileRe.exec(line);
      if (m) this.addFile(m[1]!);
      return;
    }
    if (!this.inHunk) return;
    if (!/^[ +-]/.test(line)) {
      // A hunk ends at the first line that is not context, an addition or a removal.
      if (line !== '') this.inHunk = false;
      return;
    }
    const def = line.length <= MAX_DECLARATION ? definitionRe.exec(line) : null;
    if (def) this.addFunction(def[1]);
  }
}

/** The facts of a diff given as lines. */
export function readDiff(lines: Iterable<string>): DiffFacts {
  const r = new DiffReader();
  for (const l of lines) r.push(l);
  return r.facts;
}
