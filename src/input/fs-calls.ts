// The two file-system calls every run makes (a stat per input, a listing per directory), as
// promises over node:fs's callback API. node:fs/promises is not imported where a run starts:
// loading it loads readline, file watchers and directory handles too, ~2 ms of a small log's
// start-up (Node 20.20, measured 2026-11-27). Modules that need it import it where they use it.
import { readdir, stat, type Dirent, type Stats } from 'node:fs';

/** `fs.stat`, following symbolic links. */
export function statPath(path: string): Promise<Stats> {
  return new Promise((resolve, reject) => stat(path, (err, st) => (err ? reject(err) : resolve(st))));
}

/** A directory's entries with their types (`readdir(dir, { withFileTypes: true })`). */
export function listDirectory(dir: string): Promise<Dirent[]> {
  return new Promise((resolve, reject) => readdir(dir, { withFileTypes: true }, (err, entries) => (err ? reject(err) : resolve(entries))));
}
