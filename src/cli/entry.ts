// What bin/ktriage.js needs, in one module: esbuild bundles the CLI from here (scripts/bundle.mjs).
export { runCli } from './index.js';
export { useMemoryBlob } from '../runtime/fast-blob.js';
export { useEagerReclaim } from '../runtime/reclaim.js';
