// Registry of the built-in detectors, sorted by id.
import type { Detector } from './define-detector.js';
import staleWritebackWakeup from './stale-writeback-wakeup.js';
import writebackFromDirectReclaim from './writeback-from-direct-reclaim.js';

export const builtinDetectors: readonly Detector[] = [staleWritebackWakeup, writebackFromDirectReclaim];

export type { Detector } from './define-detector.js';
export { defineDetector } from './define-detector.js';
