// `ktriage trace` and the trace parts of `ktriage analyze`, in-process.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outputRecordSchema } from '../../src/model/records.js';
import { traceEventSchema } from '../../src/model/trace.js';
import { runCliCaptured } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/fixtures.js';

const ext4 = join(FIXTURES, 'traces', 'trace-direct-reclaim-writepage', 'match-ext4-events-3.16.handwritten.trace');
const shmem = join(FIXTURES, 'traces', 'trace-direct-reclaim-writepage', 'no-match-shmem-from-direct-reclaim.handwritten.trace');
const dumpLog = join(FIXTURES, 'traces', 'trace-direct-reclaim-writepage', 'match-dump-after-warning-3.15.handwritten.log');

function jsonl(out: string): unknown[] {
  return out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as unknown);
}

describe('ktriage trace', () => {
  it('prints the summary table and the known bug, exit 1 on a trace-detector finding', async () => {
    const r = await runCliCaptured(['trace', '-f', 'table', ext4]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('trace, tracer nop');
    expect(r.stdout).toContain('13 event(s), 3 task(s), 3 CPU(s) of 4 online; 5011.902115 .. 5012.116 s (0.213885 s)');
    expect(r.stdout).toContain('events: ext4_writepage 3, mm_vmscan_writepage 3, mm_compaction_migratepages 1');
    expect(r.stdout).toContain('8bdd63809160');
    expect(r.stdout).toContain('trace, high');
  });

  it('exits 0 on a near miss and prints trace records that match the schema as JSON Lines', async () => {
    const r = await runCliCaptured(['trace', shmem]);
    expect(r.code).toBe(0);
    const recs = jsonl(r.stdout).map((x) => outputRecordSchema.parse(x));
    expect(recs.map((x) => x.kind)).toEqual(['trace', 'summary']);
    expect(recs[0]).toMatchObject({ kind: 'trace', format: 'trace', tracer: 'function', eventTotal: 4, eventCounts: { function: 4 } });
  });

  it('--events streams every entry, one JSON object per line', async () => {
    const r = await runCliCaptured(['trace', '--events', ext4]);
    const evs = jsonl(r.stdout).map((x) => traceEventSchema.parse(x));
    expect(evs).toHaveLength(13);
    expect(evs[6]).toMatchObject({ line: 18, type: 'event', name: 'ext4_writepage', comm: 'trinity-c61', pid: 19721, cpu: 3, flags: '....', timestamp: 5012.11439, fields: { dev: '8,2', ino: '1835021', page_index: '13' } });
  });

  it('--input-format function-graph reads lines without the CPU column', async () => {
    const text = '   0.198 us    |  kfree();\n   1.000 us    |  kmalloc();\n';
    const auto = await runCliCaptured(['trace', '-'], { stdin: text });
    expect(jsonl(auto.stdout).map((x) => (x as { kind: string }).kind)).toEqual(['summary']);
    const named = await runCliCaptured(['trace', '--input-format', 'function-graph', '-'], { stdin: text });
    expect(jsonl(named.stdout)[0]).toMatchObject({ kind: 'trace', format: 'function-graph', eventTotal: 2 });
  });

  it('--detectors says what each trace detector reads and what a trace cannot show', async () => {
    const r = await runCliCaptured(['trace', '--detectors']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('trace-direct-reclaim-writepage  ->  writeback-from-direct-reclaim (fix 8bdd63809160, v3.16)');
    expect(r.stdout).toContain('a trace cannot show:');
  });
});

describe('ktriage analyze with traces', () => {
  it('gives the report, its findings, and the ftrace dump as a trace record naming the report', async () => {
    const r = await runCliCaptured(['-f', 'jsonl', dumpLog]);
    const recs = jsonl(r.stdout).map((x) => outputRecordSchema.parse(x));
    expect(recs.map((x) => (x.kind === 'finding' ? `finding:${x.match}` : x.kind))).toEqual(['report', 'finding:splat', 'trace', 'finding:trace', 'summary']);
    expect(recs[2]).toMatchObject({ kind: 'trace', format: 'ftrace-dump', report: 0, reportTitle: 'WARNING in xfs_vm_writepage', eventTotal: 5 });
  });

  it('prints trace summaries under the table', async () => {
    const r = await runCliCaptured(['-f', 'table', dumpLog]);
    expect(r.stdout).toContain('Traces');
    expect(r.stdout).toContain('ftrace-dump, tracer function, belongs to report 0 (WARNING in xfs_vm_writepage)');
  });
});
