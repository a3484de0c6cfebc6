// Boot logs (KernelCI, LKFT, a lab's serial consoles): kernel errors that are not splats,
// and how far the boot got. Their own record kinds, so a CI job can say "booted to a
// prompt, 3 driver errors, 1 WARNING".
import { z } from 'zod';

/** A kernel line reporting a failure that is not a crash report: a driver probe, a firmware load, the root fs. */
export const kernelErrorRecordSchema = z.object({
  kind: z.literal('kernel-error'),
  source: z.string(),
  line: z.number().int().positive(),
  /**
   * critical: the boot cannot go on (no root fs), a filesystem stopped (read-only, shut down), an
   * uncorrected hardware error; error: a device or feature is missing, an I/O or filesystem error;
   * warning: a corrected hardware error (the hardware coped, but it is failing).
   */
  severity: z.enum(['warning', 'error', 'critical']),
  /**
   * What failed: error-return-code (a line ending "error -N"), mount-root, init, filesystem
   * (ext2/3/4, XFS, btrfs, jbd2), io-error (a block device request or buffer), hardware-error
   * (x86 machine check, APEI/CPER, EDAC, PCIe AER, an unknown or SERR/IOCHK NMI).
   */
  category: z.enum(['error-return-code', 'mount-root', 'init', 'filesystem', 'io-error', 'hardware-error']),
  /** The message without the driver/device prefix: "probe of thermal-sensor2 failed with error -22". */
  message: z.string(),
  /** The errno of an "error -N" line (positive: 2 for -ENOENT). */
  errno: z.number().int().positive().optional(),
  /** The driver/device that printed it ("generic-adc-thermal", "r8152 1-1.2:1.0"), or the block device, filesystem or memory controller ("sda1", "dm-0", "MC0"). */
  device: z.string().optional(),
  time: z.number().optional(),
});
export type KernelErrorRecord = z.infer<typeof kernelErrorRecordSchema>;

/** How far a boot log got; one per source that shows a boot. */
export const bootRecordSchema = z.object({
  kind: z.literal('boot'),
  source: z.string(),
  /** A bootloader handed over to the kernel ("Starting kernel ...", "Booting Linux"). */
  bootloaderDone: z.boolean(),
  /** The kernel printed its banner or timestamped lines. */
  kernelStarted: z.boolean(),
  /** A shell prompt or login prompt appeared. */
  prompt: z.boolean(),
  /** Line of the prompt, when one appeared. */
  promptLine: z.number().int().positive().optional(),
  /** Kernel errors (non-splat) of this source. */
  kernelErrors: z.number().int().nonnegative(),
  /** Crash reports of this source. */
  reports: z.number().int().nonnegative(),
  /** "booted to a prompt, 3 kernel errors, 1 report". */
  verdict: z.string(),
});
export type BootRecord = z.infer<typeof bootRecordSchema>;
