/** syslog(3) level names by level, as util-linux dmesg prints them (-x, and --json -x). */
export const syslogLevelNames: readonly string[] = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug'];
