// `ktriage kb build`: patch mail and `git log` output -> a KB file (streamed,
// --append adds what is new); and loading a KB for `analyze --kb`.
import { createWriteStream, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { buildKbEntries, emptyBuildStats, type KbBuildOptions } from '../../kb/build.js';
import { formatKbLine, kbHeader, loadKb, parseReleases, readKbKeys } from '../../kb/file.js';
import { KbIndex } from '../../kb/kb-index.js';
import { fromFsError, KtriageError, outputError } from '../../model/errors.js';
import { write, type CliIo } from '../io.js';
import { packageVersion } from '../version.js';

function createdBy(): string {
  return `ktriage ${packageVersion()}`;
}

export interface KbBuildCliOptions {
  output?: string;
  append?: boolean;
  allPatches?: boolean;
  releases?: string;
  quiet?: boolean;
}

/** Opens the KB output: a new file with a header, the end of an existing one (--append), or stdout. */
async function openOutput(opts: KbBuildCliOptions, io: CliIo): Promise<{ out: Writable; keys: Set<string>; close: () => Promise<void> }> {
  if (!opts.output) {
    if (opts.append) throw new KtriageError('usage.invalid', '--append needs -o/--output <file>');
    await write(io.stdout, formatKbLine(kbHeader(createdBy())));
    return { out: io.stdout, keys: new Set(), close: async () => {} };
  }
  const file = opts.output;
  const appending = opts.append === true && existsSync(file);
  const keys = appending ? await readKbKeys(file) : new Set<string>();
  const out = createWriteStream(file, { flags: appending ? 'a' : 'w' });
  let failure: Error | undefined;
  out.on('error', (e) => (failure ??= e));
  await new Promise<void>((resolve) => {
    out.once('open', () => resolve());
    out.once('error', () => resolve());
  });
  if (failure) throw outputError(failure, file);
  if (!appending) out.write(formatKbLine(kbHeader(createdBy())));
  const close = () =>
    new Promise<void>((resolve, reject) => {
      out.end(() => (failure ? reject(outputError(failure, file)) : resolve()));
    });
  return { out, keys, close };
}

async function releasesOption(file: string | undefined): Promise<Map<string, string> | undefined> {
  if (!file) return undefined;
  try {
    return parseReleases(await readFile(file, 'utf8'));
  } catch (e) {
    throw fromFsError(e, file);
  }
}

/** Exit codes: 0 built, 2 usage error or an input that could not be read (the others are still read). */
export async function runKbBuild(inputs: string[], opts: KbBuildCliOptions, io: CliIo): Promise<number> {
  const buildOpts: KbBuildOptions = { stdin: io.stdin };
  if (opts.allPatches) buildOpts.allPatches = true;
  const releases = await releasesOption(opts.releases);
  if (releases) buildOpts.releases = releases;
  const { out, keys, close } = await openOutput(opts, io);
  const stats = emptyBuildStats();
  let written = 0;
  let present = 0;
  let errors = 0;
  for await (const rec of buildKbEntries(inputs, buildOpts, stats)) {
    if (rec.kind === 'error') {
      errors++;
      await write(io.stderr, `ktriage: ${rec.error.describe()}\n`);
      continue;
    }
    if (keys.has(rec.entry.key)) {
      present++;
      continue;
    }
    keys.add(rec.entry.key);
    await write(out, formatKbLine(rec.entry));
    written++;
  }
  await close();
  if (!opts.quiet) {
    const where = opts.output ? ` to ${opts.output}` : '';
    const dup = present > 0 ? `, ${present} already in the KB` : '';
    const skipped = stats.skippedFiles > 0 ? `, ${stats.skippedFiles} files in directories skipped: neither mail nor git log` : '';
    await write(io.stderr, `ktriage kb: ${written} entries written${where} (${stats.messages} messages, ${stats.commits} commits read${dup}${skipped})\n`);
  }
  return errors > 0 ? 2 : 0;
}

/** Loads a KB file and indexes it for matching. */
export async function loadKbIndex(file: string): Promise<KbIndex> {
  return new KbIndex(await loadKb(file));
}
