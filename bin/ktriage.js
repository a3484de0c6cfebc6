#!/usr/bin/env node
// Thin entry point: runs the CLI on the process streams and sets the exit code.
//
// This file is CommonJS (bin/package.json), unlike the rest of the package: an ES module entry
// starts Node's ES module loader (~10 ms), and Node 20 cannot cache the compiled code of ES
// modules. The CLI itself is one script, dist/bundle/cli.cjs (scripts/bundle.mjs), compiled here
// with V8's code cache: a 1 KB log took ~227 ms from the ES module bundle and ~183 ms this way
// (medians, measured 2026-11-27; `node -e 0` takes ~115 ms on the same machine).
'use strict';
const { existsSync, fstatSync, readFileSync, statSync, writeFileSync, writeSync } = require('node:fs');
const { createRequire } = require('node:module');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const vm = require('node:vm');

const root = join(__dirname, '..');

// `ktriage --version` alone is answered before the CLI loads (commander, the analysis): the
// version is all it needs, and it is the start-up people time (issue 8: under 150 ms).
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  try {
    writeSync(1, `${pkg.version}\n`);
  } catch (err) {
    // As below: a closed pipe is no error, a full disk is.
    if (err.code !== 'EPIPE') {
      process.stderr.write(`ktriage: error: cannot write the output: ${err.message}\n`);
      process.exit(2);
    }
  }
  process.exit(0);
}

// The process is ours, so it may set V8 flags (the library never does). All are set before the
// CLI is compiled, here and in the run that records the code cache: V8 uses a code cache only
// under the flags it was recorded with.
//
// By default V8 lets the heap grow to up to 4x what survived the last full collection before it
// collects again (less in its memory-saving modes and near the heap limit; this flag replaces all
// of them). With a factor of 1.5 a 223 MB mbox peaks at ~149 MB instead of 181-193 and a 50 MB
// console log at 108 MB instead of ~145, at the same speed; where the heap is large (-f json on
// 200 MB of console log, 1.2 GB) it costs ~3% time and ~8% CPU for 16% less memory. A factor of 1.2
// saved little more and cost 10-15% CPU there (measured 2026-11-27). V8 reads it at every
// collection, so it applies to workers too.
const { setFlagsFromString } = require('node:v8');
setFlagsFromString('--heap-growing-percent=50');
// V8 checks a code cache's version, flags and length, but in release builds not its bytes unless
// asked to: a cache damaged in place made Node crash (SIGSEGV). With this flag V8 adds a checksum
// when it records a cache and rejects one that does not match it (no measurable cost).
setFlagsFromString('--verify-snapshot-checksum');
// useEagerReclaim() (src/runtime/reclaim.ts) sets this flag when the CLI starts; set here, before
// the compile, it is part of the flags in both runs (set later, it changed the flags the cache was
// recorded under, and V8 then rejected the cache in every other run).
setFlagsFromString('--expose-gc');
// V8 first runs a regular expression in its bytecode interpreter and compiles it to machine code on
// the next run. ktriage runs hundreds of them, most of them many times, and for a large one the
// bytecode is the slow part: the frame-skip list (src/reports/skip-frames.ts, ~200 alternatives)
// took ~9 ms over its first two tests that way, and ~1.8 ms compiled at once. With this flag a 1 MB
// console log took 442 ms instead of 502 and a 10 KB mbox 267 instead of 281 (medians of 15
// alternating runs, 2026-11-27); 50 MB took as long as before.
setFlagsFromString('--no-regexp-tier-up');
// TurboFan inlines callees into a hot function up to a total of 920 bytes of bytecode by default.
// On mail, whose text takes ever new paths through the segmenter and the MIME parser, optimised
// code kept meeting a path it had no type feedback for, was thrown away and compiled again: 533
// optimising compiles on 111 MB of mail, 379 of them repeats of 115 functions (the segmenter's
// push 15 and 16 times in two runs, ~50 ms each), and the compiler threads used ~3.5 s of CPU
// beside the main thread's ~8.5 s. With --jobs 2 on two cores that CPU is taken from the analysis
// threads. A smaller inlining budget makes each compile smaller: the compiler threads used ~2.6 s
// instead of 3.3-4.1, and in alternating runs (2026-11-28) that mail took 10-12% less time and CPU
// with --jobs 2, 4-15% less CPU with --jobs 1; console and KernelCI logs 5-7% less CPU, their time
// the same within the noise. No inlining at all was no better, and 13% slower on KernelCI logs.
setFlagsFromString('--max-inlined-bytecode-size-cumulative=150');

const bundleDir = join(root, 'dist', 'bundle');
const bundleFile = join(bundleDir, 'cli.cjs');
const cacheFile = `${bundleFile}.cache`;

/** True when `a` exists and is not older than `b` (or `b` does not exist). */
function upToDate(a, b) {
  let ta;
  try {
    ta = statSync(a).mtimeMs;
  } catch {
    return false;
  }
  try {
    return ta >= statSync(b).mtimeMs;
  } catch {
    return true;
  }
}

/** KTRIAGE_DEBUG_STARTUP=1: how the CLI was loaded, on stderr (the tests check it). */
function debug(message) {
  if (process.env.KTRIAGE_DEBUG_STARTUP) process.stderr.write(`ktriage: ${message}\n`);
}

/** The code cache recorded for this build of cli.cjs (its first 32 bytes name the build), or undefined. */
function readCache(buildId) {
  try {
    const data = readFileSync(cacheFile);
    return data.subarray(0, 32).toString('latin1') === buildId ? data.subarray(32) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The CLI's exports. In a source checkout, after a bare `tsc` the bundle is older than tsc's
 * output in dist/cli/, which is then loaded as ES modules instead (slower to start, same
 * behaviour). An installed package has no src/ and its file times say nothing: npm gives every
 * file the time it extracted it, so the bundle could look older than dist/cli/ (it did, and every
 * installed ktriage ran from the ES modules).
 */
async function loadCli() {
  const checkout = existsSync(join(root, 'src'));
  if (checkout && !upToDate(bundleFile, join(root, 'dist', 'cli', 'entry.js'))) {
    debug('no bundle newer than dist/cli: loading the ES modules');
    return import(pathToFileURL(join(root, 'dist', 'cli', 'entry.js')).href);
  }
  // latin1: the bundle is ASCII (scripts/bundle.mjs checks), and latin1 is copied byte for byte
  // where UTF-8 is decoded.
  const source = readFileSync(bundleFile, 'latin1');
  const buildId = /^\/\/ ktriage-build ([0-9a-f]{32})\n/.exec(source)?.[1] ?? '';
  const cachedData = process.env.KTRIAGE_WRITE_CODE_CACHE ? undefined : readCache(buildId);
  // The file is the function Node wraps a CommonJS module in (scripts/bundle.mjs), and the cache
  // belongs to this exact text.
  const script = new vm.Script(source, { filename: bundleFile, cachedData });
  const mod = { exports: {} };
  // As for a module in dist/bundle/: Node's built-ins, and the vendor-*.cjs files beside it.
  script.runInThisContext()(mod.exports, createRequire(bundleFile), mod, bundleFile, bundleDir);
  debug(`code cache ${cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'accepted'}`);
  if (process.env.KTRIAGE_WRITE_CODE_CACHE) {
    // Written when the run ends (scripts/bundle.mjs): then it holds every function the run compiled.
    process.on('exit', () => writeFileSync(cacheFile, Buffer.concat([Buffer.from(buildId, 'latin1'), script.createCachedData()])));
  }
  return mod.exports;
}

async function main() {
  const { runCli, useMemoryBlob, useEagerReclaim } = await loadCli();

  // The process is ours: a faster Blob for the MIME parser (see src/runtime/fast-blob.ts), and a
  // collection after each large mail message (src/runtime/reclaim.ts).
  useMemoryBlob();
  useEagerReclaim();

  // "ktriage ... | head" closes the pipe early; that is not an error.
  // Any other failure to write (a full disk, a file size limit) is an error message, not a stack trace.
  process.stdout.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(`ktriage: error: cannot write the output: ${err.message}\n`);
    process.exit(2);
  });

  // Ctrl-C ends the inputs: what was read is still reported, with the summary (and a CI document
  // is written). So do SIGTERM, which `kill`, `timeout` and CI runners cancelling a job send, and
  // SIGHUP (the terminal closed): by default either ended the process with nothing written, an
  // empty file where `-o` named a JUnit or SARIF document. A second signal quits at once (128 + its
  // number, as a shell reports a process killed by it).
  const interrupt = new AbortController();
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
    process.on(signal, () => {
      if (interrupt.signal.aborted) process.exit(code);
      interrupt.abort();
    });
  }

  let stderrMade = false;
  const io = {
    stdout: process.stdout,
    // Getters: Node makes process.stdin and process.stderr on first use (for a pipe, with its
    // network module: ~6 ms), and most runs read no stdin and write nothing to stderr.
    get stderr() {
      stderrMade = true;
      return process.stderr;
    },
    get stdin() {
      return process.stdin;
    },
    // A terminal is a character device: a pipe, a file or /dev/null (2>/dev/null, cron) is told
    // by fstat alone, without the stream or node:tty (which loads the network module too).
    get stderrIsTTY() {
      try {
        const st = fstatSync(2);
        return st.isCharacterDevice() && st.rdev !== statSync('/dev/null').rdev && require('node:tty').isatty(2);
      } catch {
        return false;
      }
    },
    env: process.env,
    signal: interrupt.signal,
  };
  process.exitCode = await runCli(process.argv.slice(2), io);
  // Recording the code cache (scripts/bundle.mjs): the variable may name more runs (a JSON list of
  // argument lists), so the cache also holds what they compile, such as the table's formatter.
  const training = process.env.KTRIAGE_WRITE_CODE_CACHE;
  if (training && training !== '1') for (const args of JSON.parse(training)) await runCli(args, io);

  // The run is over. Left to itself, Node would let V8 finish what it scheduled meanwhile (a
  // collection, optimising compiles) and then tear the heap down. Exit at once instead, when
  // nothing is left to write: writes to a pipe are asynchronous in Node, so with bytes still
  // pending the usual way out is kept.
  const flushed = (stream) => stream.writableLength === 0;
  if (flushed(process.stdout) && (!stderrMade || flushed(process.stderr))) process.exit();
}

main();
