// A CI document keeps a group per source until it is written, and a run over mail has a source
// per message with a record: 17,818 messages of 340 MB of mail made 5,130 groups, and the full
// linux-ext4 archive has 42,700 messages. A group with one report took ~1,300 bytes of heap
// (empty typed arrays ~130 bytes each, empty lists); now ~620 (2026-11-28).
import { describe, expect, it } from 'vitest';
import { FormatInputBuilder, type ReportKeeper } from '../../src/formatters/document.js';
import type { Report } from '../../src/model/report.js';
import { reportsIn, threeReports } from '../helpers/ci-logs.js';
import { usedHeapMb } from '../helpers/heap.js';

describe('FormatInputBuilder memory', () => {
  it('a mail message with one report costs under 800 bytes until the document is written', () => {
    const report = reportsIn(threeReports())[0]!;
    let slots = 0;
    // A keeper that keeps nothing: the cost measured is the group's alone.
    const keeper: ReportKeeper = { keep: () => slots++, load: () => report };
    const builder = new FormatInputBuilder({ keep: keeper });
    const n = 20_000;
    // The sources made first, so that only the groups count.
    const sources = Array.from({ length: n }, (_, i) => `archive.mbox#<${i}.1732800000.abcdef@mail.example.org>`);
    const before = usedHeapMb();
    for (const source of sources) builder.add({ ...report, source, index: 0 } satisfies Report);
    const perGroup = ((usedHeapMb() - before) * 1024 * 1024) / n;
    expect(perGroup).toBeLessThan(800);
    // And the groups are all there, each with its report.
    builder.add({ kind: 'summary', schemaVersion: 1, sources: 1, messages: n, messagesWithReports: n, lines: 0, reports: n, suppressed: 0, kernelErrors: 0, corrupted: 0, errors: 0, notices: 0, byClass: {}, byTitle: {}, findings: 0, byDetector: {} });
    const input = builder.finish();
    expect(input.groups).toHaveLength(n);
    expect(input.groups.every((g) => g.reports.length === 1 && g.mentions.length === 0 && g.errors.length === 0)).toBe(true);
  });

  it('a group takes mentions, errors and notices into lists of its own', () => {
    const report = reportsIn(threeReports())[0]!;
    const builder = new FormatInputBuilder();
    builder.add({ ...report, source: 'a' });
    builder.add({ kind: 'notice', source: 'b', line: 1, message: 'n' });
    builder.add({ kind: 'error', source: 'c', code: 'input.read-failed', message: 'e' });
    builder.add({ kind: 'summary', schemaVersion: 1, sources: 3, messages: 0, messagesWithReports: 0, lines: 0, reports: 1, suppressed: 0, kernelErrors: 0, corrupted: 0, errors: 1, notices: 1, byClass: {}, byTitle: {}, findings: 0, byDetector: {} });
    const [a, b, c] = builder.finish().groups;
    expect([a!.notices.length, b!.notices.length, c!.notices.length]).toEqual([0, 1, 0]);
    expect([a!.errors.length, b!.errors.length, c!.errors.length]).toEqual([0, 0, 1]);
  });
});
