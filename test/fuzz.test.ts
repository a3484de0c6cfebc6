// Property-based fuzzing of the whole pipeline with fast-check. In `npm test` each
// property runs a bounded number of cases; `npm run fuzz` (scripts/fuzz.mjs) sets
// KTRIAGE_FUZZ_SECONDS and each property then runs for its share of that time.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeBytes, checkRecords, checkSummary, checkText, expectQuietSkipExact, logLineCount, timeBudgetMs } from './helpers/fuzz-properties.js';
import { generatedMailArb, logBytesArb, mutatedMailArb, mutatedTarArb, mutatedZipArb } from './helpers/fuzz-inputs.js';
import { parseMessage, type MailMessage } from '../src/mail/message.js';
import { analyze } from '../src/analyze.js';
import type { OutputRecord } from '../src/model/records.js';

const fuzzSeconds = Number(process.env.KTRIAGE_FUZZ_SECONDS ?? 0);
const seed = process.env.KTRIAGE_FUZZ_SEED === undefined ? undefined : Number(process.env.KTRIAGE_FUZZ_SEED);
const reportFile = process.env.KTRIAGE_FUZZ_REPORT;

/** Bounded runs in `npm test`; in fuzz mode, `share` of the fuzzing time. */
function parameters<T>(runs: number, share: number): fc.Parameters<T> {
  const p: fc.Parameters<T> = fuzzSeconds > 0 ? { numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: fuzzSeconds * 1000 * share, markInterruptAsFailure: false } : { numRuns: runs };
  if (seed !== undefined) p.seed = seed;
  return p;
}

/** Runs a property, records how many cases ran (for scripts/fuzz.mjs), fails with fast-check's report (seed, counterexample). */
async function run<T>(name: string, prop: fc.IAsyncProperty<T> | fc.IProperty<T>, runs: number, share: number): Promise<void> {
  const details = await fc.check(prop as fc.IAsyncProperty<T>, parameters<T>(runs, share));
  if (reportFile) appendFileSync(reportFile, `${JSON.stringify({ property: name, cases: details.numRuns, failed: details.failed })}\n`);
  if (details.failed) {
    const err = details.errorInstance;
    throw new Error(`${name}: ${fc.defaultReportMessage(details)}\nError: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const timeout = fuzzSeconds > 0 ? fuzzSeconds * 1000 + 120_000 : 60_000;

describe('fuzz', () => {
  it(
    'logs: never throw or hang, every line counted, records round-trip as JSON, clean titles and table',
    async () => {
      await run(
        'log input',
        fc.asyncProperty(logBytesArb, async (bytes) => {
          const { records, ms } = await analyzeBytes(bytes);
          expect(ms).toBeLessThan(timeBudgetMs(bytes.length));
          const summary = checkSummary(records);
          // Bytes that look like a mail message are read as one; a log is counted line by line.
          if (summary.messages === 0) expect(summary.lines).toBe(logLineCount(bytes));
          checkRecords(records);
        }),
        120,
        0.25,
      );
    },
    timeout,
  );

  it(
    'archives: cut or damaged tar and zip archives never throw or hang, and every report names its member',
    async () => {
      await run(
        'tar archives',
        fc.asyncProperty(mutatedTarArb, async (bytes) => {
          const { records, ms } = await analyzeBytes(bytes);
          expect(ms).toBeLessThan(timeBudgetMs(bytes.length));
          // A damaged archive is an error record (a cut archive or gzip stream, a block that is no
          // header), never a thrown error; the summary still comes last, once.
          expect(records.filter((r) => r.kind === 'summary')).toHaveLength(1);
          expect(records.at(-1)!.kind).toBe('summary');
          for (const r of records) if (r.kind === 'error') expect(r.code).toBe('input.decompress-failed');
          checkRecords(records);
          // Read as an archive, every report is a member's ("-:<path>"); a damaged first header makes the bytes a log ("-").
          for (const r of records) if (r.kind === 'report') expect(r.source === '-' || r.source.startsWith('-:')).toBe(true);
        }),
        40,
        0.05,
      );
      // A zip is read from its file (its index is at the end).
      const dir = mkdtempSync(join(tmpdir(), 'ktriage-fuzz-zip-'));
      const file = join(dir, 'logs.zip');
      try {
        await run(
          'zip archives',
          fc.asyncProperty(mutatedZipArb, async (bytes) => {
            writeFileSync(file, bytes);
            const t0 = performance.now();
            const records: OutputRecord[] = [];
            for await (const r of analyze([file])) records.push(r);
            expect(performance.now() - t0).toBeLessThan(timeBudgetMs(bytes.length));
            expect(records.filter((r) => r.kind === 'summary')).toHaveLength(1);
            expect(records.at(-1)!.kind).toBe('summary');
            for (const r of records) if (r.kind === 'error') expect(r.code).toBe('input.decompress-failed');
            checkRecords(records);
            for (const r of records) if (r.kind === 'report') expect(r.source.startsWith(`${file}:`)).toBe(true);
          }),
          40,
          0.05,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    timeout,
  );

  it(
    'reports: raw lines are input lines in order, titles carry no addresses',
    async () => {
      await run(
        'report lines',
        fc.property(logBytesArb, (bytes) => {
          expect(checkText(bytes)).toBeLessThan(timeBudgetMs(bytes.length));
        }),
        150,
        0.2,
      );
    },
    timeout,
  );

  it(
    'logs: skipping quiet lines changes no record',
    async () => {
      let skipped = 0;
      await run(
        'quiet lines',
        fc.property(logBytesArb, (bytes) => {
          skipped += expectQuietSkipExact('log', bytes.toString('utf8'));
        }),
        100,
        0.1,
      );
      // Not vacuous: the mutated fixtures do reach the quiet state.
      expect(skipped).toBeGreaterThan(0);
    },
    timeout,
  );

  it(
    'mail: skipping quiet lines changes no record',
    async () => {
      let skipped = 0;
      await run(
        'quiet mail lines',
        // Mutated fixture messages, decoded as the mail path decodes them, and log text taken as a
        // message's text (a log pasted into mail).
        fc.asyncProperty(fc.oneof(mutatedMailArb.map((raw) => ({ raw })), logBytesArb.map((b) => ({ text: b.toString('utf8') }))), async (input) => {
          const msg: MailMessage = 'raw' in input ? await parseMessage(input.raw) : { text: input.text };
          skipped += expectQuietSkipExact('message', msg.text, msg);
        }),
        60,
        0.05,
      );
      expect(skipped).toBeGreaterThan(0);
    },
    timeout,
  );

  it(
    'mail: every message found, every body line counted, records round-trip',
    async () => {
      await run(
        'generated mail',
        fc.asyncProperty(generatedMailArb, async (mail) => {
          const { records, ms } = await analyzeBytes(mail.raw);
          expect(ms).toBeLessThan(timeBudgetMs(mail.raw.length));
          const summary = checkSummary(records);
          expect(summary.messages).toBe(mail.bodies.length);
          expect(summary.lines).toBe(mail.bodies.reduce((n, b) => n + b.length, 0));
          checkRecords(records);
        }),
        30,
        0.15,
      );
      await run(
        'mutated mail',
        fc.asyncProperty(mutatedMailArb, async (raw) => {
          const { records, ms } = await analyzeBytes(raw);
          expect(ms).toBeLessThan(timeBudgetMs(raw.length));
          checkSummary(records);
          checkRecords(records);
        }),
        30,
        0.15,
      );
    },
    timeout,
  );
});
