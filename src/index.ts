// Public library API.
export { analyze, analyzeStream, analyzeText, analyzeTextRecords, type AnalyzeOptions } from './analyze.js';
export { builtinDetectors, defineDetector, type Detector } from './detectors/index.js';
export { verdictFor, parseKernelVersion } from './detectors/kernel-version.js';
export type { Finding, Rule, Signature } from './model/finding.js';
export { findingSchema, ruleSchema } from './model/finding.js';
export { LineNormalizer, normalizeLine } from './parsers/normalize-line.js';
export { ReportSegmenter } from './reports/segment.js';
export { parseFrameLine } from './reports/frames.js';
export { normalizeTitle } from './reports/normalize-title.js';
export { crashTypeOf } from './reports/crash-types.js';
export { families } from './reports/formats/index.js';
export { KtriageError } from './model/errors.js';
export type { LogLine } from './model/log-line.js';
export type { Frame, Report, Stack, CrashClass, CrashType } from './model/report.js';
export type { OutputRecord, Summary, ErrorRecord, NoticeRecord } from './model/records.js';
export { reportSchema, frameSchema } from './model/report.js';
export { outputRecordSchema, summarySchema } from './model/records.js';
