// runCli(argv, io): builds the commander program, runs it, maps errors to exit codes.
// The only place that turns errors into one-line messages; the library never prints.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { sanitizeForTerminal } from '../formatters/sanitize.js';
import { KtriageError } from '../model/errors.js';
import type { AnalyzeCliOptions } from './commands/analyze.js';
import type { TraceCliOptions } from './commands/trace.js';
import { write, type CliIo } from './io.js';
import { packageVersion } from './version.js';

const examples = `
Examples:
  dmesg | ktriage                      table of the splats in the kernel log
  ktriage /var/log/kern.log            a syslog file (also journalctl -k output, kmsg dumps)
  ktriage --format jsonl logs/         every file under logs/, .gz included, one JSON record per line
  ktriage ci-logs.zip build.tar.gz     the files in archives (tar, .tar.gz, zip), each a source
  journalctl -k -o json | ktriage -    journal JSON records from stdin
  ktriage --group mail/*.mbox.gz       one row per bucket of the reports in a mail archive
  ktriage merge part1.jsonl part2.jsonl  combine the buckets of split runs
  ktriage --example                    the bundled example log
  ktriage -f junit -o kernel.xml ci.log  JUnit XML for Jenkins/GitLab (also github, sarif, markdown)
  ktriage --fail-on bug,kasan,panic ci.log
                                       exit code 1 only for BUG, KASAN and panic reports
  ktriage baseline create -o known.yaml old.log; ktriage --baseline known.yaml new.log
                                       report only what is new since old.log

Exit status: 0 no report found, 1 at least one report, 2 usage or input error.
With --fail-on or --baseline: 1 only for a report that matches --fail-on and is not in the baseline
(or a kernel error of a kernel-error:CATEGORY term).`;

// src/input/input-format.ts inputFormats, repeated here so --help does not load the parsers.
const INPUT_FORMATS = ['auto', 'log', 'mbox', 'message', 'ftrace', 'trace', 'trace-pipe', 'trace-cmd', 'function-graph', 'latency'];

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parsePositiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('not a positive integer');
  return n;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const program = new Command();
  program
    .name('ktriage')
    .description('Find every kernel splat in dmesg, console logs, journals and mail; title it like syzbot.')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
    })
    .showHelpAfterError('(run ktriage --help for usage)')
    .addHelpText('after', examples);

  program
    .command('analyze [inputs...]', { isDefault: true })
    .description('analyze kernel output from files, directories, .gz files, tar and zip archives or "-" (stdin)')
    .addOption(
      new Option('-f, --format <format>', 'output format (default: table on a terminal, jsonl otherwise)').choices(['table', 'json', 'jsonl', 'junit', 'github', 'sarif', 'markdown']),
    )
    .option('-o, --output <file>', 'write the output to this file instead of stdout')
    .option('--fail-on <policy>', 'reports that make the exit code 1: any (default), none, or a comma-separated list of crash classes (bug,kasan,panic), crash types (WARNING,KASAN-READ) and severity:LEVEL (info, warning, error, critical; that level or higher); kernel-error:CATEGORY (filesystem, io-error, hardware-error, ..., any) makes kernel errors fail too')
    .option('--baseline <file>', 'suppress reports whose bucket is listed in this file (made by "ktriage baseline create"); they are still counted')
    .option('--example', 'analyze the bundled example log')
    .addOption(new Option('--input-format <format>', 'what the inputs are (default auto: sniffed from their first bytes)').choices(INPUT_FORMATS))
    .option('-q, --quiet', 'no notices on stderr (errors are still printed)')
    .option('-r, --rules <file>', 'a known-bug rule file (YAML or JSON) added to the built-in detectors; repeatable', collect, [])
    .option('-g, --group', 'one row per bucket (title plus top frames) instead of one per report')
    .option('--kb <file>', 'a fix-patch knowledge base ("ktriage kb build"): add the candidate fixes of each report')
    .addOption(new Option('-j, --jobs <n>', 'analysis threads for many files or mail, the main thread and n - 1 workers, at most one per core (default: one per core when the inputs add up to 128 MiB or more)').argParser(parsePositiveInt))
    .option('--no-progress', 'no progress bar on stderr (it is shown only on a terminal)')
    .option('-F, --follow', 'print each report as it completes (the table as one line per report) and keep reading a file as it grows, like tail -f; Ctrl-C prints the summary')
    .addOption(new Option('--idle-flush <ms>', 'follow mode: complete an open report after this long without input').argParser(parsePositiveInt).hideHelp())
    .addOption(new Option('--max-line-bytes <n>', 'cut input lines longer than this').argParser(parsePositiveInt).hideHelp())
    .addHelpText('after', examples)
    .action(async (inputs: string[], opts: AnalyzeCliOptions) => {
      // Commands load on use: `--version` and `--help` stay fast (zod, yaml and the parsers are not loaded).
      const { runAnalyze } = await import('./commands/analyze.js');
      exitCode = await runAnalyze(inputs, opts, io);
    });

  program
    .command('merge <files...>')
    .description('merge the buckets (or reports) of several JSONL outputs, e.g. of a split archive')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'jsonl']))
    .action(async (files: string[], opts: { format?: 'table' | 'json' | 'jsonl' }) => {
      const { runMerge } = await import('./commands/merge.js');
      exitCode = await runMerge(files, opts, io);
    });

  const kb = program.command('kb').description('fix-patch knowledge base: build it from patch mail and git log; use it with "analyze --kb"');
  kb.command('build <inputs...>')
    .description('read patch mail (mbox, maildir, .eml) and `git log --format=fuller [-p]` output; write the fix patches found as a KB file')
    .option('-o, --output <file>', 'write the KB to this file instead of stdout')
    .option('--append', 'add to an existing KB file the entries it does not have yet')
    .option('--all-patches', 'keep every patch, not only those that look like fixes')
    .option('--releases <file>', 'first release of commits: lines with a commit id and a tag, as `git name-rev --tags` prints')
    .option('-q, --quiet', 'no summary line on stderr')
    .action(async (inputs: string[], opts: import('./commands/kb.js').KbBuildCliOptions) => {
      const { runKbBuild } = await import('./commands/kb.js');
      exitCode = await runKbBuild(inputs, opts, io);
    });

  program
    .command('baseline')
    .description('baseline files for --baseline')
    .command('create <inputs...>')
    .description('write a baseline listing the bucket of every report in the inputs ("-" is stdin)')
    .option('-o, --output <file>', 'write it to this file (JSON when it ends in .json, else YAML) instead of stdout')
    .action(async (inputs: string[], opts: { output?: string }) => {
      const { runBaselineCreate } = await import('./commands/baseline.js');
      exitCode = await runBaselineCreate(inputs, opts, io);
    });

  program
    .command('trace [inputs...]')
    .description('summarise ftrace output (trace, trace_pipe, trace-cmd report, function_graph, ftrace dumps in kernel logs) and run the trace detectors')
    .addOption(new Option('-f, --format <format>', 'output format (default: table on a terminal, jsonl otherwise)').choices(['table', 'json', 'jsonl']))
    .addOption(new Option('--input-format <format>', 'what the inputs are (default auto)').choices(INPUT_FORMATS))
    .option('--events', 'print every parsed trace entry as JSON Lines ("trace-event" records) instead of the summaries')
    .option('--detectors', 'list the trace detectors: the events they read and what a trace cannot show')
    .option('-q, --quiet', 'no notices on stderr (errors are still printed)')
    .action(async (inputs: string[], opts: TraceCliOptions & { detectors?: boolean }) => {
      const { runTrace, listTraceDetectors } = await import('./commands/trace.js');
      if (opts.detectors) await listTraceDetectors(io);
      else exitCode = await runTrace(inputs, opts, io);
    });

  program
    .command('detectors')
    .description('list the known-bug detectors (built-in and from rule files)')
    .option('-r, --rules <file>', 'a rule file to load; repeatable', collect, [])
    .action(async (opts: { rules?: string[] }) => {
      const { loadDetectors } = await import('./commands/analyze.js');
      for (const d of await loadDetectors(opts.rules)) {
        const fix = d.meta.references.fixes[0];
        const fixText = fix ? `fix ${fix.commit.slice(0, 12)} (v${fix.release})` : 'no fix recorded';
        await write(io.stdout, `${d.meta.id}\t${d.meta.title}\t${fixText}\t${d.origin}\n`);
      }
    });

  program
    .command('schema')
    .description('print the JSON Schema of the json/jsonl output records')
    .action(async () => {
      const { outputJsonSchema } = await import('./commands/schema.js');
      await write(io.stdout, `${JSON.stringify(outputJsonSchema(), null, 2)}\n`);
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    if (e instanceof KtriageError) {
      // File names and messages can carry escape sequences (a hostile file name): never raw to a terminal.
      await write(io.stderr, `ktriage: ${sanitizeForTerminal(e.describe())}\n`);
      return e.exitCode;
    }
    const msg = e instanceof Error ? e.message : String(e);
    await write(io.stderr, `ktriage: internal error: ${sanitizeForTerminal(msg)}\n`);
    return 2;
  }
}
