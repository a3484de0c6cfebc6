// Registry of the trace detectors, sorted by id.
import type { TraceDetector } from './define-trace-detector.js';
import traceDirectReclaimWritepage from './trace-direct-reclaim-writepage.js';
import tracePageReuseUnderWait from './trace-page-reuse-under-wait.js';

export const builtinTraceDetectors: readonly TraceDetector[] = [traceDirectReclaimWritepage, tracePageReuseUnderWait];

export type { TraceDetector, TraceMatch, TraceMatcher } from './define-trace-detector.js';
