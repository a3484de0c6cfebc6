#!/usr/bin/env node
// Bundles the CLI and the analysis worker into dist/bundle/ (after tsc), then records a V8 code
// cache for the CLI bundle. Start-up of a Node CLI is mostly loading and compiling code:
// resolving, reading and compiling ~120 ES modules took ~100 ms of a 1 KB log's ~270 ms.
//
// - dist/bundle/cli.cjs: the CLI as one CommonJS module, inside the function Node wraps a module
//   in. bin/ktriage.js compiles it with vm.Script and the code cache below, so V8 neither parses
//   it nor compiles the functions a run needs: Node 20 has no code cache for ES modules. Modules
//   the CLI imports lazily (the MIME parser, the progress bar) are in it too, inside functions
//   that run only when imported.
// - dist/bundle/vendor-zod.cjs, vendor-yaml.cjs: the two large libraries only some commands need
//   (schemas, rule files, the knowledge base). Left out of cli.cjs, whose size is what every run
//   reads; cli.cjs requires them from beside it when a command needs them.
// - dist/bundle/worker.js and its chunks: the worker thread's ES module bundle (--jobs).
//
// dist/bundle/ sits two levels deep like dist/cli/, so import.meta.url-relative paths
// (../../package.json, ../../examples/demo.log, ./worker.js) resolve the same.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { devNull } from 'node:os';

const repo = join(import.meta.dirname, '..');
const out = join(repo, 'dist/bundle');
// Chunk names carry content hashes: without this, every build would leave the old chunks behind.
rmSync(out, { recursive: true, force: true });

// Libraries kept out of cli.cjs (see above): it requires them as ./vendor-<name>.cjs beside it.
const VENDORED = ['zod', 'yaml', 'yauzl'];

await build({
  entryPoints: { worker: join(repo, 'dist/bulk/worker.js') },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunk-[hash]',
  // CommonJS dependencies call require() for Node built-ins.
  banner: { js: "import { createRequire as __ktriageRequire } from 'node:module'; const require = __ktriageRequire(import.meta.url);" },
  logLevel: 'warning',
});

const cjs = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // Less text to read, hash and keep at every start. Short local names took the CLI from 531 to
  // 416 KB and its code cache from 501 to 471 KB. With the wrapper below, loading the CLI took
  // 24.6 ms instead of 31.5, and a 1 KB log's run 59.0 ms instead of 61.1 (timed inside the
  // process, medians of 81 alternating runs, 2026-11-27): part of the gain goes to V8's first
  // collection, which came earlier and cheaper while the wrapper made a second copy of the text.
  // Nothing in ktriage reads a function's or class's name. KTRIAGE_KEEP_NAMES=1 npm run build
  // keeps them, for readable `node --cpu-prof` profiles.
  minifyWhitespace: true,
  minifySyntax: true,
  minifyIdentifiers: !process.env.KTRIAGE_KEEP_NAMES,
  logLevel: 'warning',
};
// commander loads node:child_process (and with it net, dgram: ~3 ms) at start-up for
// subcommands run as separate executables, which ktriage has none of: load it when spawn is called.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const eager = "const childProcess = require('node:child_process');";
      // A newer commander written differently is bundled as it is (only slower to start).
      const lazy = "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };";
      return { contents: text.replace(eager, lazy), loader: 'js' };
    });
  },
};
const vendored = {
  name: 'vendored',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^(?:${VENDORED.join('|')})$`) }, (args) => ({ path: `./vendor-${args.path}.cjs`, external: true }));
  },
};
const cliFile = join(out, 'cli.cjs');
await build({
  ...cjs,
  entryPoints: [join(repo, 'dist/cli/entry.js')],
  outfile: cliFile,
  plugins: [lazyChildProcess, vendored],
  // A script has no module loader for import(): esbuild turns the dynamic imports of Node
  // built-ins (the only ones left after bundling) into require().
  supported: { 'dynamic-import': false },
  // The ES module sources locate files from import.meta.url; in the script it is cli.cjs's URL.
  define: { 'import.meta.url': '__ktriageUrl' },
  banner: { js: "const __ktriageUrl = require('node:url').pathToFileURL(__filename).href;" },
});
for (const dep of VENDORED) {
  await build({ ...cjs, stdin: { contents: `module.exports = require(${JSON.stringify(dep)});`, resolveDir: repo }, outfile: join(out, `vendor-${dep}.cjs`) });
}

// cli.cjs must be ASCII: Node then decodes it without a slow path and V8 keeps it as a one-byte
// string. esbuild escapes strings but copies regex literals as written (use \uXXXX in them).
const code = readFileSync(cliFile);
const at = code.findIndex((b) => b > 0x7f);
if (at >= 0) throw new Error(`dist/bundle/cli.cjs: non-ASCII byte at offset ${at}: ${code.subarray(Math.max(0, at - 40), at + 10).toString()}`);
if (code.includes('import(')) throw new Error('dist/bundle/cli.cjs: a dynamic import() is left; vm.Script cannot run it without a loader');

// The first line names the build: a code cache from another build is never used (V8 itself
// checks only the source length). The file holds the function Node would wrap a CommonJS module
// in, so bin/ktriage.js compiles the text as read: joining it to the wrapper there copied the
// 415 KB once more at every start.
const id = createHash('sha256').update(code).digest('hex').slice(0, 32);
writeFileSync(cliFile, `// ktriage-build ${id}\n(function (exports, require, module, __filename, __dirname) {${code}\n})`);

// Record the code cache: run the CLI on the bundled example (as a user would, through
// bin/ktriage.js) and keep the bytecode of every function it compiled. The first run writes JSON
// Lines (the format on a pipe), the second a table (the format on a terminal): without it the
// table's code (cli-table3, string-width) was compiled at every start, ~12 ms of a small run.
const demo = join(repo, 'examples/demo.log');
const run = spawnSync(process.execPath, [join(repo, 'bin/ktriage.js'), demo], {
  env: { ...process.env, KTRIAGE_WRITE_CODE_CACHE: JSON.stringify([['-f', 'table', '-o', devNull, demo]]) },
  stdio: ['ignore', 'ignore', 'inherit'],
});
// Exit code 1 is the example's known bug; anything else is a broken build.
if (run.status !== 0 && run.status !== 1) throw new Error(`recording the code cache failed (exit ${run.status})`);
