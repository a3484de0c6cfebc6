// Files that are no text, told by their first bytes (after gunzip), and what to run instead.
// Read as text they gave no report and no word why: a binary journal from /var/log/journal, a
// log rotated with xz or zstd (ktriage decompresses gzip only), a kernel module given by mistake.

interface BinaryFormat {
  /** What the file is, as the message says it. */
  what: string;
  /** Its first bytes. */
  magic: readonly number[];
  /** More bytes at an offset, where the first few are not distinctive enough alone. */
  also?: { offset: number; bytes: readonly number[] };
  /** The command that gives ktriage the file's text, when there is one. */
  instead?: (file: string) => string;
}

const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

/** The kernel log of a vmcore, as makedumpfile prints it (crash's `log` command prints the same). */
const vmcoreLog = (f: string) => `makedumpfile --dump-dmesg ${f} dmesg.txt && ktriage dmesg.txt`;

const formats: readonly BinaryFormat[] = [
  // systemd journal file header signature (src/libsystemd/sd-journal/journal-def.h HEADER_SIGNATURE).
  { what: 'a systemd journal file', magic: ascii('LPKSHHRH'), instead: (f) => `journalctl --file ${f} -k -o json | ktriage -` },
  { what: 'xz-compressed', magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], instead: (f) => `xz -dc ${f} | ktriage -` },
  { what: 'zstd-compressed', magic: [0x28, 0xb5, 0x2f, 0xfd], instead: (f) => `zstd -dc ${f} | ktriage -` },
  { what: 'lz4-compressed', magic: [0x04, 0x22, 0x4d, 0x18], instead: (f) => `lz4 -dc ${f} | ktriage -` },
  // "BZh" and a level, then the first block's magic (pi in BCD): "BZh9" alone could start a line of text.
  {
    what: 'bzip2-compressed',
    magic: ascii('BZh'),
    also: { offset: 4, bytes: [0x31, 0x41, 0x59, 0x26, 0x53, 0x59] },
    instead: (f) => `bzip2 -dc ${f} | ktriage -`,
  },
  // Crash dumps of a whole kernel (kdump's /var/crash/<date>/vmcore): their log is what ktriage
  // reads, and makedumpfile prints it. The signatures are makedumpfile's (diskdump_mod.h,
  // makedumpfile.h): "KDUMP   " (its compressed format, the default of kdump-tools and RHEL's
  // kdump), the older "DISKDUMP", and "makedumpfile" then NULs for the flattened format (-F),
  // which is made whole with -R first ("makedumpfile Completed." starts a line of kdump's output).
  { what: 'a kernel crash dump (kdump-compressed vmcore)', magic: ascii('KDUMP   '), instead: vmcoreLog },
  { what: 'a kernel crash dump (diskdump vmcore)', magic: ascii('DISKDUMP'), instead: vmcoreLog },
  {
    what: 'a kernel crash dump (flattened vmcore, makedumpfile -F)',
    magic: [...ascii('makedumpfile'), 0, 0, 0, 0],
    instead: (f) => `makedumpfile -R vmcore < ${f} && makedumpfile --dump-dmesg vmcore dmesg.txt && ktriage dmesg.txt`,
  },
  // An ELF core (e_type ET_CORE = 4 at byte 16, little- or big-endian): a vmcore saved as ELF
  // (/proc/vmcore copied, makedumpfile -E) or a program's core file.
  { what: 'an ELF core dump (a kernel vmcore or a program core)', magic: [0x7f, 0x45, 0x4c, 0x46], also: { offset: 16, bytes: [4, 0] }, instead: vmcoreLog },
  { what: 'an ELF core dump (a kernel vmcore or a program core)', magic: [0x7f, 0x45, 0x4c, 0x46], also: { offset: 16, bytes: [0, 4] }, instead: vmcoreLog },
  { what: 'an ELF file (a program, kernel image or module), not a log', magic: [0x7f, 0x45, 0x4c, 0x46] },
];

/** `head` holds `bytes` at `offset`. */
export function startsWith(head: Uint8Array, bytes: readonly number[], offset = 0): boolean {
  if (head.length < offset + bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) if (head[offset + i] !== bytes[i]) return false;
  return true;
}

/** The binary format `head` (an input's first bytes) starts, if any. */
export function binaryFormatOf(head: Uint8Array): BinaryFormat | undefined {
  return formats.find((f) => startsWith(head, f.magic) && (f.also === undefined || startsWith(head, f.also.bytes, f.also.offset)));
}

/** A file name as a shell reads it back: quoted when it holds anything but plain path characters. */
function shellWord(name: string): string {
  return /^[\w./+-]+$/.test(name) ? name : `'${name.replace(/'/g, `'\\''`)}'`;
}

/** What to tell the user about input `name` (its path, "-" for stdin) in format `f`. */
export function binaryInputMessage(f: BinaryFormat, name: string): string {
  if (f.instead === undefined) return `${f.what}: not read`;
  const file = name === '-' ? '<file>' : shellWord(name);
  return `${f.what}, not text: not read (run \`${f.instead(file)}\`)`;
}
