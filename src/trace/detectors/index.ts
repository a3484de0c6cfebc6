// Registry of the trace detectors, sorted by id.
import type { TraceDetector } from './define-trace-detector.js';

export const builtinTraceDetectors: readonly TraceDetector[] = [];

export type { TraceDetector, TraceMatch, TraceMatcher } from './define-trace-detector.js';
