// Every regex the trace parsers, sniffing and trace detectors apply to input text, for
// the ReDoS audit (test/helpers/input-regexes.ts). Each module owns and exports its list.
import { entryBodyRegexes } from './entry-body.js';
import { entryLineRegexes } from './entry-line.js';
import { graphLineRegexes } from './graph-line.js';
import { tracePatternRegexes } from './patterns.js';
import { payloadRegexes } from './payload.js';
import { sniffTraceRegexes } from './sniff-trace.js';
import { traceParserRegexes } from './trace-parser.js';
import { eventFieldRegexes } from './detectors/event-fields.js';
import { reclaimWindowRegexes } from './detectors/reclaim-windows.js';
import { directReclaimRegexes } from './detectors/trace-direct-reclaim-writepage.js';

export const traceRegexes: readonly RegExp[] = [
  ...tracePatternRegexes,
  ...entryLineRegexes,
  ...entryBodyRegexes,
  ...graphLineRegexes,
  ...payloadRegexes,
  ...sniffTraceRegexes,
  ...traceParserRegexes,
  ...eventFieldRegexes,
  ...reclaimWindowRegexes,
  ...directReclaimRegexes,
];
