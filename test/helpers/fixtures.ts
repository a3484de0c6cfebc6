// Reads fixture logs with a syzkaller-style header block (KEY: value lines, a
// blank line, then the raw log), or raw logs with a "<name>.expected" sidecar.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');

/** Keys a fixture header may use; anything else is an error (typos must not silently pass). */
export const HEADER_KEYS = ['TITLE', 'TYPE', 'CLASS', 'FRAME', 'ARCH', 'VERSION', 'CORRUPTED', 'SOURCE', 'LOCATION', 'QUOTED', 'PANICKED', 'FINDING', 'VERDICT'] as const;
export type HeaderKey = (typeof HEADER_KEYS)[number];

export interface Fixture {
  /** Path relative to fixtures/. */
  name: string;
  headers: Map<HeaderKey, string[]>;
  /** The raw log bytes, as the kernel (or the wrapping tool) printed them. */
  log: Buffer;
}

function parseHeader(text: string, name: string): Map<HeaderKey, string[]> {
  const headers = new Map<HeaderKey, string[]>();
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const m = /^([A-Z]+): ?(.*)$/.exec(line);
    if (!m || !(HEADER_KEYS as readonly string[]).includes(m[1]!)) throw new Error(`${name}: bad header line ${JSON.stringify(line)}`);
    const k = m[1] as HeaderKey;
    headers.set(k, [...(headers.get(k) ?? []), m[2]!.trim()]);
  }
  return headers;
}

export function readFixture(path: string): Fixture {
  const name = relative(FIXTURES, path);
  const buf = readFileSync(path);
  const sidecar = `${path}.expected`;
  if (existsSync(sidecar)) return { name, headers: parseHeader(readFileSync(sidecar, 'utf8'), name), log: buf };
  const text = buf.toString('latin1');
  const end = text.indexOf('\n\n');
  if (end < 0) throw new Error(`${name}: no header block`);
  return { name, headers: parseHeader(text.slice(0, end), name), log: buf.subarray(end + 2) };
}

/** Every file under a fixtures sub-folder (or an absolute folder) whose path passes `keep`, sorted. */
function listFiles(dir: string, keep: (path: string) => boolean): string[] {
  const root = dir.startsWith('/') ? dir : join(FIXTURES, dir);
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (keep(p)) out.push(p);
    }
  };
  walk(root);
  return out;
}

/** Every *.log under a fixtures sub-folder (or an absolute folder), sorted. */
export function listLogs(dir: string): string[] {
  return listFiles(dir, (p) => p.endsWith('.log'));
}

/** Every capture with a "<name>.expected" sidecar: console .log files and the .kmsg / .dmesg-r copies. */
export function listCaptured(): string[] {
  return listFiles('captured', (p) => !p.endsWith('.expected') && existsSync(`${p}.expected`));
}
