// The source file to blame, from the file:line annotations of a symbolized
// report (decode_stacktrace.sh / syzbot output), skipping generic files.

// The path is a whole run of path characters (the lookbehind starts it at the run's first character,
// where the leftmost match starts anyway); unanchored, "X*Y+" retried every split of every suffix (cubic).
const fileRe = /(?<![a-zA-Z0-9_\-./])([a-zA-Z0-9_\-./]*[a-zA-Z0-9_\-]\.[ch]):[0-9]/;
// A path one or more directories deeper than the current pick, under the same directory.
const deeperRe = /^\/[a-zA-Z0-9_\-./]+\/[a-zA-Z0-9_\-]+\.(?:c|h)$/;

/** Files that host generic code: headers, lib/, sanitizers, allocators, locking, scheduler, printk ... */
const ignoredFiles: readonly RegExp[] = [
  /\.h/, /^lib\/.*/, /^virt\/lib\/.*/, /^mm\/kasan\/.*/, /^mm\/kmsan\/.*/, /^kernel\/kcov.c/, /^mm\/sl.b.c/,
  /^mm\/filemap.c/, /^mm\/folio-compat.c/, /^mm\/truncate.c/, /^mm\/memory.c/, /^mm\/percpu.*/, /^mm\/vmalloc.c/,
  /^mm\/page_alloc.c/, /^mm\/mempool.c/, /^mm\/util.c/, /^kernel\/rcu\/.*/, /^arch\/.*\/kernel\/traps.c/,
  /^arch\/.*\/kernel\/unwind.*.c/, /^arch\/.*\/mm\/fault.c/, /^arch\/.*\/mm\/physaddr.c/, /^arch\/.*\/kernel\/stacktrace.c/,
  /^arch\/.*\/kernel\/apic\/apic.c/, /^arch\/arm64\/kernel\/entry.*.c/, /^arch\/arm64\/kernel\/process\.c/,
  /^kernel\/locking\/.*/, /^kernel\/panic.c/, /^kernel\/printk\/printk.*.c/, /^kernel\/softirq.c/, /^kernel\/kthread.c/,
  /^kernel\/sched\/.*.c/, /^kernel\/stacktrace.c/, /^kernel\/time\/timer.c/, /^kernel\/workqueue.c/, /^net\/core\/dev.c/,
  /^net\/core\/sock.c/, /^net\/core\/skbuff.c/, /^fs\/proc\/generic.c/, /^trusty\//,
  // A WARNING in urb.c usually means a bug in the driver that submitted the URB.
  /^drivers\/usb\/core\/urb.c/,
  // Crashes in these files are almost always caused by the calling code.
  /^arch\/.*\/lib\/crc.*/,
];
// Lockdep irq-state lines, held-lock lists ("#0: ... at: foo fs/x.c:12") and KMSAN register notes
// name files that are not the culprit.
const ignoredLineRe = /(hardirqs|softirqs)\s+last\s+(enabled|disabled)|^Register r\d+ information|^\s*#\d+: /;

/** Regexes this module applies to report lines and file names (the ReDoS audit runs them on adversarial input). */
export const guiltyFileRegexes: readonly RegExp[] = [fileRe, deeperRe, ...ignoredFiles, ignoredLineRe];

function clean(path: string): string {
  const parts: string[] = [];
  for (const p of path.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(p);
  }
  return (path.startsWith('/') ? '/' : '') + parts.join('/');
}

function dir(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '.' : path.slice(0, i);
}

function ignored(file: string, line: string): boolean {
  return ignoredFiles.some((re) => re.test(file)) || ignoredLineRe.test(line);
}

/** Picks the guilty file; for RCU stalls the search starts at the timer interrupt that caught the CPU. */
export function guiltyFileOf(title: string, lines: readonly string[]): string | undefined {
  if (title.startsWith('INFO: rcu detected stall')) {
    for (const marker of ['apic_timer_interrupt+0x', 'el1h_64_irq+0x', 'Exception stack']) {
      const i = lines.findIndex((l) => l.includes(marker));
      if (i >= 0) {
        const f = guiltyFileIn(lines.slice(i));
        if (f) return f;
      }
    }
  }
  return guiltyFileIn(lines);
}

/** file:line annotations need ".c:" or ".h:"; checking that first keeps the regex off most lines. */
function fileIn(line: string): RegExpExecArray | null {
  if (!line.includes('.c:') && !line.includes('.h:')) return null;
  return fileRe.exec(line);
}

function guiltyFileIn(lines: readonly string[]): string | undefined {
  let guilty = '';
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const m = fileIn(line);
    if (!m) continue;
    if (guilty === '') guilty = m[1]!;
    if (ignored(m[1]!, line)) continue;
    guilty = clean(m[1]!);
    i++;
    break;
  }
  if (guilty === '') return undefined;
  // A deeper path under the same directory further down the stack is more specific.
  let deepest = dir(guilty);
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const m = fileIn(line);
    if (!m || ignored(m[1]!, line)) continue;
    const c = clean(m[1]!);
    if (c.startsWith(deepest) && deeperRe.test(c.slice(deepest.length))) {
      guilty = c;
      deepest = dir(guilty);
    }
  }
  return guilty;
}
