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
  /** Fixed, or read from the match (a hardware error says whether it was corrected). */
  severity: KernelErrorRecord['severity'] | ((m: RegExpExecArray) => KernelErrorRecord['severity']);
  re: RegExp;
  /** The capture group that names the device ("sda1", "dm-0", "MC0"). */
  device?: number;
  /** Also on a line with no printk timestamp that the log marks as the kernel's (syslog "kernel:",
   * journal): the storage and hardware messages read on a server's kern.log or journal. */
  kernelLogLines?: boolean;
}

// "error -N" anywhere in a timestamped kernel line (drivers/base/dd.c "probe of %s failed with
// error %d", firmware_loader "Direct firmware load for %s failed with error %d", ...).
const errorReturnRe = /\berror -(\d+)\b/;

// The severities of hardware errors, in the words the reporters use: MCE's "Machine Check
// Exception" (the CPU raised #MC) against a logged one, APEI/CPER "corrected|recoverable|fatal",
// EDAC "CE|UE", AER "Corrected|Correctable" against "Uncorrected|Uncorrectable (Non-Fatal|Fatal)".
function hardwareSeverity(word: string | undefined): KernelErrorRecord['severity'] {
  if (word === undefined) return 'error';
  if (/^(?:corrected|correctable|CE)$/i.test(word)) return 'warning';
  if (/fatal|UE|Exception|^Machine check: /i.test(word) && !/non-fatal/i.test(word)) return 'critical';
  return 'error';
}

const rules: readonly ErrorRule[] = [
  // init/do_mounts.c, before the panic (the panic itself is a crash report).
  { category: 'mount-root', severity: 'critical', re: /^VFS: (?:Unable to mount root fs|Cannot open root device)/ },
  // init/main.c
  { category: 'init', severity: 'critical', re: /^(?:Failed to execute \S+ \(error -\d+\)|No working init found)/ },
  // Filesystems. fs/ext4/super.c __ext4_error ("EXT4-fs error (device %s): %s:%d: ..."; ext2/ext3 alike)
  // and ext4_handle_error ("EXT4-fs (%s): Remounting filesystem read-only"); fs/xfs/xfs_message.c
  // ("XFS (%s): %pV": xfs_corruption_error, xfs_verifier_error, xfs_error_report, xfs_do_force_shutdown);
  // fs/btrfs/messages.c ("BTRFS %s (device %s%s): %pV", the level's name first); jbd2's journal abort.
  { category: 'filesystem', severity: 'error', re: /^EXT[234]-fs error \(device ([^)\s]+)\)/, device: 1, kernelLogLines: true },
  { category: 'filesystem', severity: 'critical', re: /^EXT[234]-fs \(([^)\s]+)\): Remounting filesystem read-only/, device: 1, kernelLogLines: true },
  {
    category: 'filesystem',
    severity: (m) => (m[2] === undefined ? 'error' : 'critical'),
    re: /^XFS \(([^)\s]+)\): (?:Corruption detected|Metadata corruption detected|Internal error|metadata I\/O error|.{0,120}?(Shutting down filesystem))/,
    device: 1,
    kernelLogLines: true,
  },
  { category: 'filesystem', severity: (m) => (m[1] === 'error' ? 'error' : 'critical'), re: /^BTRFS (error|critical|alert|emergency) \(device ([^)\s]+)/, device: 2, kernelLogLines: true },
  { category: 'filesystem', severity: 'critical', re: /^Aborting journal on device (\S+)\./, device: 1, kernelLogLines: true },
  // Block devices. block/blk-core.c blk_print_req_error (v4.18+: "%s error, dev %s, sector %llu op ...",
  // the status first: "I/O", "critical medium", "timeout" ...; before, "blk_update_request: I/O error, dev
  // %s, sector %llu"); fs/buffer.c "Buffer I/O error on dev %pg, logical block %llu, ...".
  { category: 'io-error', severity: 'error', re: /^(?:[\w]+: )?[a-zA-Z/ ]{1,40} error, dev (\S+), sector \d+/, device: 1, kernelLogLines: true },
  { category: 'io-error', severity: 'error', re: /^Buffer I\/O error on dev(?:ice)? ([^,\s]+), logical block/, device: 1, kernelLogLines: true },
  // The drive or its link, whether or not a request then failed: libata's error handler
  // (drivers/ata/libata-eh.c ata_eh_link_report: "ata1.00: exception Emask 0x0 SAct 0x400000 SErr 0x0
  // action 0x6 frozen", also per link "ata1: ..."), an NVMe command that timed out
  // (drivers/nvme/host/pci.c nvme_timeout: v6.x "I/O tag 12 (100c) opcode 0x2 (Read) QID 3 timeout,
  // aborting ...", before "I/O 12 QID 3 timeout, reset controller") or a controller gone
  // ("controller is down; will reset: CSTS=0xffffffff, PCI_STATUS=0xffff").
  { category: 'io-error', severity: 'error', re: /^(ata\d+(?:\.\d+)?): exception Emask 0x[0-9a-f]+ /, device: 1, kernelLogLines: true },
  { category: 'io-error', severity: 'error', re: /^nvme (nvme\d+): (?:I\/O (?:tag )?\d+ .{0,80}?QID \d+ timeout|controller is down; will reset)/, device: 1, kernelLogLines: true },
  // Hardware. x86 MCE (arch/x86/kernel/cpu/mce/core.c: HW_ERR is "[Hardware Error]: ", pr_fmt "mce: "):
  // "CPU %d: Machine Check%s: %Lx Bank %d: %016Lx" (" Exception" when the CPU raised #MC), "Machine
  // check events logged" (corrected errors in the log), "Machine check: %s" (mce_panic); APEI GHES
  // through drivers/firmware/efi/cper.c ("{1}[Hardware Error]: event severity: corrected"); EDAC
  // (drivers/edac/edac_mc.c: "EDAC MC0: 1 CE memory read error on ..."); PCIe AER
  // (drivers/pci/pcie/aer.c aer_print_error: "PCIe Bus Error: severity=%s, type=%s, (%s)").
  {
    category: 'hardware-error',
    severity: (m) => hardwareSeverity(m[1] ?? m[2] ?? m[3] ?? (m[0].includes('events logged') ? 'corrected' : undefined)),
    re: /\[Hardware Error\]: (?:CPU \d+: Machine Check( Exception)?: |Machine check events logged|(Machine check: )|event severity: (\w+))/,
    kernelLogLines: true,
  },
  { category: 'hardware-error', severity: (m) => hardwareSeverity(m[3]), re: /^EDAC ((?:MC|DMC)?\d+|\S+?): (\d+) (CE|UE) /, device: 1, kernelLogLines: true },
  { category: 'hardware-error', severity: (m) => hardwareSeverity(m[2]), re: /^(?:(.{1,80}?): )?PCIe Bus Error: severity=([^,]+),/, device: 1, kernelLogLines: true },
  // arch/x86/kernel/nmi.c: an NMI no handler claimed ("Uhhuh. NMI received for unknown reason %02x on CPU
  // %d."), or one the chipset raised for a PCI system error or an I/O check (SERR, IOCHK).
  { category: 'hardware-error', severity: 'error', re: /^(?:Uhhuh\. NMI received for unknown reason [0-9a-f]+|NMI: (?:PCI system error \(SERR\)|IOCK error))/, kernelLogLines: true },
  { category: 'error-return-code', severity: 'error', re: errorReturnRe },
];
// One test first: almost no line is any of these. Two regexes, each of few alternatives: one
// regex of all the words took 3.5x as long on a console log (V8 scans a line for every
// alternative's first characters), these 1.3x the four words before storage and hardware came.
// Every rule's line has "rror" in it (error, Error) or one of these words, or starts with one of
// anyErrorStartRe's (the rules read the trimmed text).
const anyErrorRe = /rror|VFS: |No working init|Failed to execute/;
const anyErrorStartRe = /^\s*(?:EXT[234]-fs|XFS \(|BTRFS |EDAC |Aborting journal|ata\d|nvme |Uhhuh|NMI: )/;
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
  // the rules (anyErrorRe and anyErrorStartRe are looser)
  'error -',
  'VFS: ',
  'No working init',
  'Failed to execute',
  '-fs error',
  '-fs (',
  'XFS (',
  'BTRFS ',
  'Aborting journal',
  ' error, dev ',
  'Buffer I/O error',
  '[Hardware Error]',
  'EDAC ',
  'PCIe Bus Error',
  'NMI received for unknown',
  'NMI: PCI system error',
  'NMI: IOCK error',
  'exception Emask',
  'QID ',
  'controller is down',
];
export const promptWakeWords: readonly string[] = ['/ #', '@', ' login:'];

/** The regexes this module applies to input lines (for the ReDoS audit). */
export const bootRegexes: readonly RegExp[] = [handoverRe, bannerRe, promptRe, errorReturnRe, anyErrorRe, anyErrorStartRe, devicePrefixRe, ...rules.map((r) => r.re)];

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
    // The storage and hardware rules also take a line the log marks as the kernel's (syslog, journal).
    const timed = line.time !== undefined;
    if ((!timed && line.fromKernelLog !== true) || !(anyErrorRe.test(line.text) || anyErrorStartRe.test(line.text))) return undefined;
    const text = line.text.trim();
    for (const rule of rules) {
      if (!timed && !rule.kernelLogLines) continue;
      const m = rule.re.exec(text);
      if (!m) continue;
      this.errors++;
      const dev = rule.category === 'error-return-code' ? devicePrefixRe.exec(text) : null;
      const rec: KernelErrorRecord = {
        kind: 'kernel-error',
        source: this.source,
        line: line.lineNo,
        severity: typeof rule.severity === 'function' ? rule.severity(m) : rule.severity,
        category: rule.category,
        message: dev ? text.slice(dev[0].length) : text,
      };
      if (timed) rec.time = line.time;
      if (dev) rec.device = dev[1]!;
      else if (rule.device !== undefined && m[rule.device] !== undefined) rec.device = m[rule.device]!;
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
