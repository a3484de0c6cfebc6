// Patch subjects as the KB compares them: "Re: [PATCH v3 2/5] ext4: fix x" and
// "[tip: x86/urgent] ext4: fix x" are the same fix "ext4: fix x".

/** Leading "Re:", "Fwd:", "Aw:" and "[...]" tags, one at a time. */
const leadingTagRe = /^(?:(?:re|fwd?|aw)\s*:\s*|\[[^\]]*\]\s*)/i;

/** Every regex applied to subjects (for the ReDoS audit). */
export const subjectRegexes: readonly RegExp[] = [leadingTagRe];

/** The subject without reply markers and leading tags, whitespace collapsed (case kept). */
export function cleanSubject(subject: string): string {
  let s = subject.replace(/\s+/g, ' ').trim();
  for (let i = 0; i < 16; i++) {
    const next = s.replace(leadingTagRe, '');
    if (next === s) break;
    s = next;
  }
  return s;
}

/** The key fixes are grouped and compared by: the clean subject, lower-case. */
export function subjectKey(subject: string): string {
  return cleanSubject(subject).toLowerCase();
}
