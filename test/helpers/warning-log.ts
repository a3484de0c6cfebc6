// The small x86-64 WARNING several tests feed ktriage (hand-written from kernel/panic.c __warn
// and lib/dump_stack.c, v6.1 layout).

/** Its lines, without the "---[ end trace" marker (a splat still being printed). */
export const WARNING_LINES = [
  '[   10.000001] ------------[ cut here ]------------',
  '[   10.000002] WARNING: CPU: 1 PID: 42 at fs/foo/bar.c:123 foo_bar+0x12/0x40 [foo]',
  '[   10.000003] Modules linked in: foo',
  '[   10.000004] CPU: 1 PID: 42 Comm: kworker/1:1 Not tainted 6.1.0-18-amd64 #1  Debian 6.1.76-1',
  '[   10.000005] RIP: 0010:foo_bar+0x12/0x40 [foo]',
  '[   10.000006] Call Trace:',
  '[   10.000007]  <TASK>',
  '[   10.000008]  foo_caller+0x20/0x50 [foo]',
  '[   10.000009]  process_one_work+0x1c7/0x380',
  '[   10.000010]  </TASK>',
];

/** The whole WARNING with its end marker and a final newline. */
export const WARNING_LOG = [...WARNING_LINES, '[   10.000011] ---[ end trace 0000000000000000 ]---', ''].join('\n');

/** The same WARNING on another kernel release (the CPU: line is where the version is read). */
export function warningOnKernel(release: string): string {
  return WARNING_LOG.replace('6.1.0-18-amd64 #1  Debian 6.1.76-1', `${release} #1`);
}
