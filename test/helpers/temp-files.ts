// Temporary files as tests see them: a fresh $TMPDIR per test, and the files a process has open.
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';

/**
 * A fresh directory as $TMPDIR for each test of the file (os.tmpdir() reads TMPDIR on each call),
 * removed after it; the function returns the current one.
 */
export function freshTmpdir(prefix: string): () => string {
  let dir = '';
  let saved: string | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    saved = process.env.TMPDIR;
    process.env.TMPDIR = dir;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    rmSync(dir, { recursive: true, force: true });
  });
  return () => dir;
}

/** Runs `fn` with $TMPDIR set to `dir` (a missing one makes every temporary file fail), then puts it back. */
export async function withTmpdir<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
}

/** The paths a process has open (Linux /proc) for which `keep` holds; a removed name ends in " (deleted)". */
export function openFiles(pid: number | 'self', keep: (path: string) => boolean): string[] {
  try {
    return readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        return keep(target) ? [target] : [];
      } catch {
        return [];
      }
    });
  } catch {
    return [];
  }
}
