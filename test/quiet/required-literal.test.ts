// requiredLiteral must only give a word that every match of the pattern contains: checked on
// strings fast-check generates from each pattern, and on cases worked out by hand.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtinDetectors } from '../../src/detectors/index.js';
import { mentionSources } from '../../src/findings/run-detectors.js';
import { InertLineTest } from '../../src/quiet/inert-line.js';
import { requiredLiteral } from '../../src/quiet/required-literal.js';

describe('requiredLiteral', () => {
  it.each([
    ['writepage', 'writepage'],
    ['direct reclaim', 'direct reclaim'],
    // Escaped punctuation is itself.
    ['BUG_ON\\(PageWriteback', 'BUG_ON(PageWriteback'],
    // An optional group splits the runs; the first of two equally long runs wins.
    ['VM_BUG_ON(?:_PAGE)?\\(PageTail', 'VM_BUG_ON'],
    // A quantified character leaves its run: "colou?r sync" needs "colo" and "r sync".
    ['colou?r sync', 'r sync'],
    ['ab*cdefg', 'cdefg'],
    ['writepages?', 'writepage'],
    ['end_page_writeback{1,2}', 'end_page_writebac'],
    ['xy{2}zzzz', 'zzzz'],
    // "+" keeps the character once.
    ['abcd+efg', 'abcd'],
    // Classes and escapes of letters end a run.
    ['page\\d+ writeback', ' writeback'],
    ['[Ww]riteback_page', 'riteback_page'],
    ['wake.up_page', 'up_page'],
  ])('%s -> %s', (src, word) => {
    expect(requiredLiteral(src)).toBe(word);
  });

  it.each([
    // A top-level alternation has no word every match holds.
    ['writepage|writepages'],
    // Runs shorter than four characters.
    ['ab.cd'],
    ['(?:writepage)'],
    // Unicode and escapes it does not read.
    ['pagé_writeback'],
    ['\\u0041BCDEF'],
    ['\\p{L}abcdef'],
    // Unbalanced groups.
    ['(writepage'],
  ])('%s -> undefined', (src) => {
    expect(requiredLiteral(src)).toBeUndefined();
  });

  it('the word is in every string the pattern matches (generated from the pattern)', () => {
    const patterns = [
      ...mentionSources(builtinDetectors),
      'colou?r sync',
      'writepages?',
      'end_page_writebacks*',
      'abcd+efg',
      'page\\d+ writeback',
      '[Ww]riteback_page',
      'xy{2,3}zzzz(?:ab|cd)*tail!',
      'wake\\.up\\(page\\)+ \\[done\\]',
    ];
    for (const src of patterns) {
      const word = requiredLiteral(src);
      expect(word, src).toBeDefined();
      fc.assert(
        fc.property(fc.stringMatching(new RegExp(src)), (s) => s.includes(word!)),
        { numRuns: 200 },
      );
    }
  });

  it('a mention pattern turned into a word still wakes the quiet test', () => {
    const test = new InertLineTest([requiredLiteral('VM_BUG_ON(?:_PAGE)?\\(PageTail')!]);
    expect(test.wakes('kernel: page:ffffea0000 VM_BUG_ON_PAGE(PageTail(page)) hit')).toBe(true);
    expect(test.wakes('kernel: page:ffffea0000 nothing to see')).toBe(false);
  });
});
