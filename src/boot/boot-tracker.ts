// Follows a boot log line by line: the bootloader hand-over, the kernel start, the shell
// prompt, and kernel lines that report a failure without a splat. Pure; memory is a few
// counters. The rules follow what KernelCI's logspec looks for, as table rows.
import type { BootRecord, KernelErrorRecord } from '../model/boot.js';
import type { LogLine } from '../model/log-line.js';

// Bootloader hand-over (U-Boot, depthcharge, SeaBIOS/qemu, EFI stub).
const handoverRe = /Starting kernel \.\.\.|jumping to kernel|Booting from ROM\.\.\.|Booting Linux|EFI stub: Booting Linux Kernel/;
const bannerRe = /^Linux version \d/;
// A shell prompt ("/ #", "root@host:~#") or a getty login prompt, at the start of the raw line.
const promptRe = /^(?:\/ #|[\w.-]+@[\w.-]+:[^\s]*[#$]|[\w.-]+ login:)(?:\s|$)/;

interface ErrorRule {
  category: KernelErrorRecord['category'];
  severity: KernelErrorRecord['severity'];
  re: RegExp;
}

// "error -N" anywhere in a timestamped kernel line (drivers/base/dd.c "probe of %s failed with
// error %d", firmware_loader "Direct firmware load for %s failed with error %d", ...).
const errorReturnRe = /\berror -(\d+)\b/;
const rules: readonly ErrorRule[] = [
  // init/do_mounts.c, before the panic (the panic itself is a crash report).
  { category: 'mount-root', severity: 'critical', re: /^VFS: (?:Unable to mount root fs|Cannot open root device)/ },
  // init/main.c
  { category: 'init', severity: 'critical', re: /^(?:Failed to execute \S+ \(error -\d+\)|No working init found)/ },
  { category: 'error-return-code', severity: 'error', re: errorReturnRe },
];
// One test first: almost no line is any of these.
const anyErrorRe = /error -\d|VFS: |No working init|Failed to execute/;
// "driver device: message": the message is what follows the last ": " before the failure words.
const devicePrefixRe = /^(.*?): (?=[^:]*(?:failed|error -\d))/;

/**
 * Literals of the tests above, for the quiet-line test (src/quiet/inert-line.ts): a raw line
 * holding none of them changes nothing here once the kernel has started. promptWakeWords are
 * needed only until the prompt is seen.
 */
export const bootWakeWords: readonly string[] = [
  // handoverRe
  'Starting kernel ...',
  'jumping to kernel',
  'Booting from ROM...',
  'Booting Linux',
  // bannerRe
  'Linux version ',
  // anyErrorRe
  'error -',
  'VFS: ',
  'No working init',
  'Failed to execute',
];
export const promptWakeWords: readonly string[] = ['/ #', '@', ' login:'];

/** The regexes this module applies to input lines (for the ReDoS audit). */
export const bootRegexes: readonly RegExp[] = [handoverRe, bannerRe, promptRe, errorReturnRe, anyErrorRe, devicePrefixRe, ...rules.map((r) => r.re)];

export class BootTracker {
  private bootloaderDone = false;
  private kernelStarted = false;
  private promptLine: number | undefined;
  private errors = 0;

  constructor(readonly source: string) {}

  /**
   * The kernel's start is still looked for: a line with a timestamp (prefixes.ts
   * timeSettingWords) or the banner matters. Otherwise a line holding no bootWakeWords (nor
   * promptWakeWords while wantsPrompt) changes nothing.
   */
  get wantsStart(): boolean {
    return !this.kernelStarted;
  }

  /** The prompt is still looked for: lines with promptWakeWords matter. */
  get wantsPrompt(): boolean {
    return this.promptLine === undefined;
  }

  /**
   * Feeds one line: its raw text (hand-over, prompt), number, and normalized form (kernel lines). Returns the
   * kernel-error record the line is, if any. Errors after the prompt are still reported
   * (logspec stops at the prompt; a CI job wants to know about later ones too).
   */
  push(raw: string, lineNo: number, line: LogLine | null | undefined): KernelErrorRecord | undefined {
    if (!this.bootloaderDone && handoverRe.test(raw)) this.bootloaderDone = true;
    if (this.promptLine === undefined && (this.bootloaderDone || this.kernelStarted) && promptRe.test(raw)) this.promptLine = lineNo;
    if (!line || line.fromKernelLog === false) return undefined;
    if (!this.kernelStarted && (line.time !== undefined || bannerRe.test(line.text))) this.kernelStarted = true;
    // Only kernel lines with a printk timestamp: a shell session in the same log prints "error -2" too.
    if (line.time === undefined || !anyErrorRe.test(line.text)) return undefined;
    const text = line.text.trim();
    for (const rule of rules) {
      const m = rule.re.exec(text);
      if (!m) continue;
      this.errors++;
      const dev = rule.category === 'error-return-code' ? devicePrefixRe.exec(text) : null;
      const rec: KernelErrorRecord = {
        kind: 'kernel-error',
        source: this.source,
        line: line.lineNo,
        severity: rule.severity,
        category: rule.category,
        message: dev ? text.slice(dev[0].length) : text,
        time: line.time,
      };
      if (dev) rec.device = dev[1]!;
      if (rule.re === errorReturnRe) rec.errno = Number(m[1]);
      return rec;
    }
    return undefined;
  }

  /**
   * The boot record of the source, when it is a console capture of a boot: a bootloader
   * handed over or a prompt appeared (a dmesg of a running system gets none).
   */
  end(reports: number): BootRecord | undefined {
    if (!this.bootloaderDone && this.promptLine === undefined) return undefined;
    const how = this.promptLine !== undefined ? 'booted to a prompt' : this.kernelStarted ? 'kernel started, no prompt' : 'kernel did not start';
    const rec: BootRecord = {
      kind: 'boot',
      source: this.source,
      bootloaderDone: this.bootloaderDone,
      kernelStarted: this.kernelStarted,
      prompt: this.promptLine !== undefined,
      kernelErrors: this.errors,
      reports,
      verdict: `${how}, ${plural(this.errors, 'kernel error')}, ${plural(reports, 'report')}`,
    };
    if (this.promptLine !== undefined) rec.promptLine = this.promptLine;
    return rec;
  }
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}
