#!/usr/bin/env node
// Bundles the CLI and the analysis worker into dist/bundle/ (after tsc). Start-up of a Node
// CLI is mostly ES module loading: resolving, reading and compiling ~120 files took ~100 ms
// of a 1 KB log's ~270 ms. One file per entry (plus lazily loaded chunks for what only some
// runs need: the MIME parser, zod, the progress bar) is what Node loads instead.
// dist/bundle/ sits two levels deep like dist/cli/, so import.meta.url-relative paths
// (../../package.json, ../../examples/demo.log, ./worker.js) resolve the same.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const repo = join(import.meta.dirname, '..');
// Chunk names carry content hashes: without this, every build would leave the old chunks behind.
rmSync(join(repo, 'dist/bundle'), { recursive: true, force: true });
await build({
  entryPoints: { ktriage: join(repo, 'dist/cli/entry.js'), worker: join(repo, 'dist/bulk/worker.js') },
  outdir: join(repo, 'dist/bundle'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunk-[hash]',
  // CommonJS dependencies (commander, cli-table3) call require() for Node built-ins.
  banner: { js: "import { createRequire as __ktriageRequire } from 'node:module'; const require = __ktriageRequire(import.meta.url);" },
  logLevel: 'warning',
});
