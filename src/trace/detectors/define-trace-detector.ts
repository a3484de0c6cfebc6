// The trace-detector factory: declarative metadata (which known bug it looks for, which
// events it needs, what a trace cannot show, message templates) and a streaming matcher.
// Findings of a trace detector name the known bug of a crash detector (same id, title, fix).
import type { Detector } from '../../detectors/define-detector.js';
import type { TraceEvent } from '../../model/trace.js';

export type Confidence = 'high' | 'medium' | 'low';

/** One match: which message, its data, how sure, the lines that show it. */
export interface TraceMatch {
  messageId: string;
  data: Record<string, string | number>;
  confidence: Confidence;
  /** Source lines of the events that make the match, in order. */
  lines: number[];
  notes: string[];
}

/** What a matcher may ask about the trace besides the event itself. */
export interface TraceContext {
  /** function_graph: the open calls on the event's CPU (or task), outermost first, the event's own entry last. */
  callers(ev: TraceEvent): readonly string[];
}

/** Per-trace state; events arrive in file order. Bounded memory. */
export interface TraceMatcher {
  push(ev: TraceEvent, ctx: TraceContext): void;
  end(): TraceMatch[];
}

export interface TraceDetectorMeta {
  /** Must equal the file name. Prefixed "trace-". */
  id: string;
  /** The crash detector of the same known bug: findings carry its id, title and references. */
  knownBug: Detector;
  description: string;
  /** Events (tracepoint names, or function names for the function tracers) the detector reads. */
  events: string[];
  /** What this bug does that no trace of these events can show (listed by `ktriage trace --detectors`). */
  cannotShow: string[];
  /** Message templates; "{{key}}" is replaced with match data. */
  messages: Record<string, string>;
}

export interface TraceDetector extends TraceDetectorMeta {
  createMatcher(): TraceMatcher;
}

export function defineTraceDetector(def: TraceDetector): TraceDetector {
  return def;
}

/** Fills a message template; a placeholder without data stays visible as "{{key}}" (tests reject that). */
export function formatMessage(template: string, data: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (all, k: string) => (data[k] === undefined ? all : String(data[k])));
}
