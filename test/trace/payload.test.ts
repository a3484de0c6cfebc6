// Payload tokenising and field reading, one case per payload style seen in real traces.
import { describe, expect, it } from 'vitest';
import { parsePayloadFields, tokenize } from '../../src/trace/payload.js';

describe('tokenize', () => {
  it.each([
    // trace-cmd [FAILED TO PARSE] arrays stay one token.
    ['cpumask=ARRAY[0f, 00, 00] freq=0x82208', ['cpumask=ARRAY[0f, 00, 00]', 'freq=0x82208']],
    // trappy thermal "{24 19}" arrays.
    ['load={24 19} dynamic_power=250', ['load={24 19}', 'dynamic_power=250']],
    // kprobe string arguments with spaces.
    ['filename="/tmp/a b" mode=0x1', ['filename="/tmp/a b"', 'mode=0x1']],
    // Trailing blanks (real ext4 lines end with a space).
    ['dev 8,13 ino 5 datasync 0 ', ['dev', '8,13', 'ino', '5', 'datasync', '0']],
  ])('%s', (payload, tokens) => {
    expect(tokenize(payload)).toEqual(tokens);
  });
});

describe('parsePayloadFields', () => {
  it.each([
    // vmscan key=value with symbolic flags.
    ['page=f5d0b720 pfn=20153 flags=RECLAIM_WB_ANON|RECLAIM_WB_ASYNC', { page: 'f5d0b720', pfn: '20153', flags: 'RECLAIM_WB_ANON|RECLAIM_WB_ASYNC' }],
    // writeback "bdi NAME:" prefix.
    ['bdi 8:0: ino=1835025 index=0', { bdi: '8:0', ino: '1835025', index: '0' }],
    // filemap: "dev M:m ino HEX" pairs, then key=value.
    ['dev 8:2 ino 1c000d page=000000009d1e2f3a pfn=1214135 ofs=53248', { dev: '8:2', ino: '1c000d', page: '000000009d1e2f3a', pfn: '1214135', ofs: '53248' }],
    // ext4: only "key value" pairs.
    ['dev 8,2 ino 1835021 page_index 13', { dev: '8,2', ino: '1835021', page_index: '13' }],
    // f2fs "key = value," lists with a bare phrase in between.
    ['dev = (7,0), ino = 8, checkpoint is not needed, datasync = 0, ret = 0', { dev: '(7,0)', ino: '8', datasync: '0', ret: '0' }],
    // A value holding "=" (trappy trace_equals): the first "=" splits.
    ['equals_event: my_field=foo=bar', { my_field: 'foo=bar' }],
    // sched_switch: the "==>" arrow is no field.
    ['prev_comm=fsync prev_pid=4431 prev_state=D ==> next_comm=swapper/6 next_pid=0', { prev_comm: 'fsync', prev_pid: '4431', prev_state: 'D', next_comm: 'swapper/6', next_pid: '0' }],
    // Units after values (sched_stat_*): kept out of the fields.
    ['comm=sshd pid=2450 delay=1802051076 [ns]', { comm: 'sshd', pid: '2450', delay: '1802051076' }],
  ])('%s', (payload, fields) => {
    expect(parsePayloadFields(payload)).toEqual(fields);
  });

  it.each([
    // block_rq_issue: positional, nothing to name.
    ['202,1 W 0 () 17039656 + 8 [supervise]'],
    // writeback_pages_written: a bare number.
    ['1024'],
    [''],
  ])('has no fields: %s', (payload) => {
    expect(parsePayloadFields(payload)).toBeUndefined();
  });
});
