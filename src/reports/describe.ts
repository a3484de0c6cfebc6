// Report lines -> title: picks the family format that matches the header line,
// checks its follow-up lines, extracts the guilty frame and renders the title.
import type { Frame } from '../model/report.js';
import type { OopsFamily, TitleFormat } from './formats/types.js';
import { extractGuilty, type GuiltyPick } from './guilty-frame.js';
import { normalizeTitle } from './normalize-title.js';

// A C identifier: a capture that names a function.
const identifierRe = /^[A-Za-z_][A-Za-z0-9_]*$/;

// Title template placeholders "{1}", "{f1}", and a template that ends with its first capture.
const placeholderRe = /\{(f?)(\d+)\}/g;
const endsWithCaptureRe = /\{1\}$/;

/** Regexes of this module (captures from the input, title templates), for the ReDoS audit. */
export const describeRegexes: readonly RegExp[] = [identifierRe, placeholderRe, endsWithCaptureRe];

export interface Description {
  title: string;
  altTitles: string[];
  /** The format that produced the title; undefined when the raw header line was used. */
  format?: TitleFormat;
  /** Set when the report is corrupted according to the title extraction. */
  corruptedReason?: string;
  /** Guilty function named in the title, and its frame when a call trace provided it. */
  guiltyFunction?: string;
  guiltyFrame?: Frame;
}

/** Matches `steps` on successive lines from `from`; returns the captures and the first matched line. */
function matchReportLines(lines: readonly string[], steps: readonly RegExp[]): { args: string[]; start: number } | null {
  const args: string[] = [];
  let cursor = 0;
  let start = -1;
  for (const re of steps) {
    let found = false;
    while (cursor < lines.length) {
      const m = re.exec(lines[cursor]!);
      cursor++;
      if (!m) continue;
      if (start < 0) start = cursor - 1;
      for (let i = 1; i < m.length; i++) args.push(m[i] ?? '');
      found = true;
      break;
    }
    if (!found) return null;
  }
  return { args, start: Math.max(start, 0) };
}

function render(tmpl: string, args: readonly string[], picks: readonly GuiltyPick[], raw: boolean): string {
  return tmpl.replace(placeholderRe, (_, f: string, n: string) => {
    const i = Number(n) - 1;
    if (f) {
      const p = picks[i];
      return p ? (raw ? p.raw : p.canonical) : '';
    }
    return args[i] ?? '';
  });
}

/**
 * Builds the title of a report. `lines[0]` is the header line; the other
 * lines are the report's text, other contexts and unreliable frames removed.
 */
export function describeReport(lines: readonly string[], family: OopsFamily, lineNos?: readonly number[]): Description {
  const header = lines[0] ?? '';
  let best: Description | undefined;
  // Like syzkaller: the earliest title match wins, and a format whose follow-up
  // lines do not match still claims its position (the report is then corrupted).
  let minPos = Infinity;
  let matchedTitle = false;
  for (const fmt of family.formats) {
    const m = fmt.title.exec(header);
    if (!m || m.index > minPos || (m.index === minPos && best)) continue;
    if (m.index < minPos) {
      best = undefined;
      minPos = m.index;
    }
    matchedTitle = true;
    let args = m.slice(1).map((a) => a ?? '');
    let start = 0;
    if (fmt.report) {
      const r = matchReportLines(lines, fmt.report);
      if (!r) continue;
      args = r.args;
      start = r.start;
    }
    let picks: GuiltyPick[] = [];
    let corruptedReason: string | undefined;
    if (fmt.stack) {
      const res = extractGuilty(lines, start, fmt.stack, lineNos);
      picks = res.picks;
      if (!res.ok) corruptedReason = 'extracted no frames';
    }
    const title = normalizeTitle(render(fmt.fmt, args, picks, false));
    const alt = new Set<string>();
    for (const a of fmt.alt ?? []) alt.add(normalizeTitle(render(a, args, picks, false)));
    const rawTitle = normalizeTitle(render(fmt.fmt, args, picks, true));
    if (rawTitle !== title) {
      alt.add(rawTitle);
      for (const a of fmt.alt ?? []) alt.add(normalizeTitle(render(a, args, picks, true)));
    }
    alt.delete(title);
    const desc: Description = { title, altTitles: [...alt], format: fmt };
    if (corruptedReason) desc.corruptedReason = corruptedReason;
    else if (fmt.corrupted) desc.corruptedReason = 'report format is marked as corrupted';
    const first = picks[0];
    if (!first && endsWithCaptureRe.test(fmt.fmt)) {
      // "possible deadlock in {1}": the function comes from a captured "at: func+0x.." line.
      const fn = identifierRe.exec(args[0] ?? '');
      if (fn) desc.guiltyFunction = fn[0];
    } else if (first && first.canonical !== 'corrupted') {
      desc.guiltyFunction = first.canonical;
      if (first.frame) desc.guiltyFrame = first.frame;
    } else if (first && fmt.fmt.includes('{f1}')) {
      // No usable frame (a WARNING line quoted without its trace): the title says "corrupted" as
      // syzbot's would, but the function the header names is kept as guilty function and alt title.
      const named = [...m.slice(1)].reverse().find((a) => a !== undefined && identifierRe.test(a));
      if (named) {
        desc.guiltyFunction = named;
        desc.altTitles.push(normalizeTitle(render(fmt.fmt, args, [{ canonical: named, raw: named }], false)));
      }
    }
    best = desc;
  }
  if (best) return best;
  // No format produced a title: use the header line itself from the header substring on.
  const pos = header.indexOf(family.header);
  const desc: Description = { title: normalizeTitle(header.slice(Math.max(pos, 0))), altTitles: [] };
  if (matchedTitle) desc.corruptedReason = 'matched title but not report regexp';
  return desc;
}
