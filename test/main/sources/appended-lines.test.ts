import { describe, expect, test } from 'vitest';
import { AppendedLines, type LineFold } from '../../../main/sources/appended-lines';

/** Records every line it is given, and counts the lines folded over its life. */
function recordingFold(): LineFold<string[]> & { folded: number } {
  const fold = {
    folded: 0,
    empty: (): string[] => [],
    copy: (state: string[]): string[] => [...state],
    line: (state: string[], line: string, index: number): void => {
      fold.folded += 1;
      state.push(`${index}:${line}`);
    },
  };
  return fold;
}

/** What a parse from the first line gives: the reference every resumed parse must equal. */
function fresh(text: string): string[] {
  const cleaned = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n?/g, '\n');
  return cleaned.split('\n').map((line, index) => `${index}:${line}`);
}

describe('a log parsed again after an append', () => {
  test('folds only the lines after the text it was last parsed from', () => {
    const fold = recordingFold();
    const parses = new AppendedLines(fold);
    const log = Array.from({ length: 10_000 }, (_, i) => `WO-1 | app | step ${i}\n`).join('');
    expect(parses.parse(log)).toEqual(fresh(log));
    const before = fold.folded;
    const appended = `${log}WO-1 | app | step 10000\n`;
    expect(parses.parse(appended)).toEqual(fresh(appended));
    // The new line, and the empty one after the final newline.
    expect(fold.folded - before).toBe(2);
  });

  test('gives what a fresh parse gives through partial lines, CRLF, lone CR, a BOM and rewrites', () => {
    const parses = new AppendedLines(recordingFold());
    const steps = [
      '\uFEFFfirst',
      '\uFEFFfirst line\r',
      '\uFEFFfirst line\r\nsecond',
      '\uFEFFfirst line\r\nsecond\rthird\n',
      '\uFEFFfirst line\r\nsecond\rthird\n\n',
      '\uFEFFfirst line\r\nsecond\rthird\n\nfourth\r\n',
      // Rewritten: shorter, then different from the first character on.
      '\uFEFFfirst line\r\n',
      'another file\nwith lines\n',
      'another file\nwith lines\nand more',
      '',
      '\n',
      '\n\r\n\r',
    ];
    for (const text of steps) expect(parses.parse(text)).toEqual(fresh(text));
  });

  test('serves several logs at once, each resuming from its own last text', () => {
    const fold = recordingFold();
    const parses = new AppendedLines(fold);
    const logs = ['', '', ''];
    for (let round = 0; round < 200; round++) {
      const which = (round * 7) % 3;
      logs[which] += `WO-P${which} | project-${which} | step ${round}\n`;
      expect(parses.parse(logs[which]!)).toEqual(fresh(logs[which]!));
    }
    // Each append folded its new line and the empty last one, not the log again.
    expect(fold.folded).toBe(200 * 2);
  });

  test('a state handed out can be changed without changing what later parses give', () => {
    const parses = new AppendedLines(recordingFold());
    const first = parses.parse('a\nb\n');
    first.push('changed by the caller');
    expect(parses.parse('a\nb\nc\n')).toEqual(fresh('a\nb\nc\n'));
  });

  test('keeps at most the texts and characters it is allowed, and parses an evicted log from the start', () => {
    const fold = recordingFold();
    const parses = new AppendedLines(fold, { entries: 2, chars: 1000 });
    parses.parse('one\n');
    parses.parse('two\n');
    parses.parse('three\n');
    const before = fold.folded;
    // "one\n" was the least recently used of three: dropped.
    expect(parses.parse('one\nmore\n')).toEqual(fresh('one\nmore\n'));
    expect(fold.folded - before).toBe(3);
    const big = 'x'.repeat(2000) + '\n';
    parses.parse(big);
    const beforeBig = fold.folded;
    // Over the character budget: never kept.
    parses.parse(`${big}y\n`);
    expect(fold.folded - beforeBig).toBe(3);
  });
});
