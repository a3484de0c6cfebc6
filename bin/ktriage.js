#!/usr/bin/env node
// Thin entry point: runs the CLI on the process streams and sets the exit code.
import { readFileSync, statSync, writeSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

// The process is ours, so it may tune V8's heap (the library never does). By default V8 lets the
// heap grow to up to 4x what survived the last full collection before it collects again (less in
// its memory-saving modes and near the heap limit; this flag replaces all of them). With a factor
// of 1.5 a 223 MB mbox peaks at ~149 MB instead of 181-193 and a 50 MB console log at 108 MB
// instead of ~145, at the same speed; where the heap is large (-f json on 200 MB of console log,
// 1.2 GB) it costs ~3% time and ~8% CPU for 16% less memory. A factor of 1.2 saved little more and
// cost 10-15% CPU there (measured 2026-11-27). The flag is read at every collection, so setting it
// now applies to this thread and to workers.
setFlagsFromString('--heap-growing-percent=50');

// `ktriage --version` alone is answered before the CLI loads (commander, the analysis): the
// version is all it needs, and it is the start-up people time (issue 8: under 150 ms).
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
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

// The bundle (npm run build: scripts/bundle.mjs) starts ~90 ms faster than tsc's output of
// ~120 modules. After a bare `tsc` the bundle is older than that output, which is used then.
function entry() {
  const bundle = new URL('../dist/bundle/ktriage.js', import.meta.url);
  const plain = new URL('../dist/cli/entry.js', import.meta.url);
  try {
    if (statSync(bundle).mtimeMs >= statSync(plain).mtimeMs) return bundle;
  } catch {
    // No bundle: use tsc's output.
  }
  return plain;
}
const { runCli, useMemoryBlob } = await import(entry().href);

// The process is ours: a faster Blob for the MIME parser (see src/runtime/fast-blob.ts).
useMemoryBlob();

// "ktriage ... | head" closes the pipe early; that is not an error.
// Any other failure to write (a full disk, a file size limit) is an error message, not a stack trace.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  process.stderr.write(`ktriage: error: cannot write the output: ${err.message}\n`);
  process.exit(2);
});

// Ctrl-C ends the inputs: what was read is still reported, with the summary. A second one quits.
const interrupt = new AbortController();
process.on('SIGINT', () => {
  if (interrupt.signal.aborted) process.exit(130);
  interrupt.abort();
});

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  signal: interrupt.signal,
});
process.exitCode = code;
