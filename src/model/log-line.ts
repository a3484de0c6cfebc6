// LogLine: one input line after its transport prefixes (syslog, journal, CI,
// email quoting, printk timestamp, caller id) have been recognised and stripped.
import { z } from 'zod';

/** Which wrapper formats were recognised on a line, outermost first. */
export const prefixKindSchema = z.enum([
  'quote', // email quoting: "> ", ">>", "> > "
  'ci-time', // CI log ISO-8601 prefix (GitHub Actions, GitLab, Buildkite ...)
  'journal-json', // journalctl -o json (json-seq, json-sse, json-pretty) record
  'journal-verbose', // journalctl -o verbose entry
  'journal-export', // journalctl -o export entry
  'dmesg-json', // dmesg --json record (util-linux 2.38+)
  'journal', // journalctl short / short-iso / short-precise / short-full
  'syslog', // /var/log/kern.log, /var/log/messages (RFC 3164 or ISO)
  'kmsg', // /dev/kmsg record "prio,seq,usec,flags;text"
  'priority', // "<4>" printk level prefix (dmesg --raw, console with ignore_loglevel)
  'dmesg-x', // dmesg -x "kern  :warn  : "
  'printk-time', // "[ 1234.567890]"
  'dmesg-T', // dmesg -T "[Mon Jul 26 12:58:23 2014]"
  'dmesg-iso', // dmesg --time-format iso
  'dmesg-delta', // dmesg -d / -e relative times
  'caller', // CONFIG_PRINTK_CALLER "[T123]" / "[C3]"
  'console-noise', // serial console junk before the kernel text ("login: ", dropped-message notes)
]);
export type PrefixKind = z.infer<typeof prefixKindSchema>;

export const logLineSchema = z.object({
  /** Input path, "-" for stdin, or "<file>#<Message-ID>" for a mail message. */
  source: z.string(),
  /** 1-based physical line number in the source. */
  lineNo: z.number().int().positive(),
  /** The message text with every recognised prefix removed. */
  text: z.string(),
  /** Seconds since boot, from a printk timestamp, kmsg record or journal monotonic time. */
  time: z.number().optional(),
  /** Wall-clock time as printed (syslog, journal, dmesg -T, CI), ISO-8601 where it could be converted. */
  wallTime: z.string().optional(),
  /** printk log level 0 (emerg) .. 7 (debug), when the line carries one. */
  level: z.number().int().min(0).max(7).optional(),
  /** CONFIG_PRINTK_CALLER id: "T123" (task) or "C3" (CPU). */
  caller: z.string().optional(),
  /** Email quote depth (number of ">" markers removed). */
  quoteDepth: z.number().int().nonnegative().optional(),
  /**
   * True when the line is known to come from the kernel: it had a printk
   * timestamp, a kmsg/journal/syslog kernel origin, or a priority prefix.
   */
  kernel: z.boolean(),
  /** False when a syslog/journal line came from a program other than the kernel. */
  fromKernelLog: z.boolean().optional(),
  /** The recognised prefix formats, outermost first. */
  prefixes: z.array(prefixKindSchema),
  /** Set when the physical line was longer than the line limit and was cut. */
  cut: z.boolean().optional(),
});
export type LogLine = z.infer<typeof logLineSchema>;
