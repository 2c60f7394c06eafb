import { describe, expect, test } from 'vitest';
import { applyLog, dropLog, linesOfWorkorder, LOG_LINE_LIMIT } from '../../renderer/store/logs';

const msg = (ns: number[], extra: { reset?: boolean; truncated?: boolean } = {}) => ({
  projectId: 'p',
  path: 'log.txt',
  lines: ns.map((n) => ({ n, text: `line ${n}` })),
  ...extra,
});

describe('log buffers', () => {
  test('appends new lines and skips lines already held', () => {
    let logs = applyLog({}, msg([1, 2, 3]), 1);
    logs = applyLog(logs, msg([2, 3, 4, 5]), 2);
    expect(logs['p/log.txt']!.lines.map((l) => l.n)).toEqual([1, 2, 3, 4, 5]);
    expect(logs['p/log.txt']!.lastLineAt).toBe(2);
  });

  test('a repeat that brings nothing new keeps the same table', () => {
    const logs = applyLog({}, msg([1, 2]));
    expect(applyLog(logs, msg([1, 2]))).toBe(logs);
  });

  test('a reset (file truncated or replaced) starts over', () => {
    let logs = applyLog({}, msg([1, 2, 3]));
    logs = applyLog(logs, msg([1], { reset: true }));
    expect(logs['p/log.txt']!.lines.map((l) => l.n)).toEqual([1]);
    expect(logs['p/log.txt']!.resets).toBe(1);
  });

  test('keeps at most the line limit and says older lines were dropped', () => {
    const many = Array.from({ length: LOG_LINE_LIMIT + 10 }, (_, i) => i + 1);
    const logs = applyLog({}, msg(many));
    expect(logs['p/log.txt']!.lines).toHaveLength(LOG_LINE_LIMIT);
    expect(logs['p/log.txt']!.truncated).toBe(true);
    expect(dropLog(logs, 'p', 'log.txt')).toEqual({});
  });
});

describe("a work order's lines of a shared log", () => {
  test('only the lines whose first field is the work order id', () => {
    const lines = [
      { n: 1, text: 'WO-SEED-SWAP-001 | garden | Plan approved | 2026-03-01T09:00:00Z' },
      { n: 2, text: 'WO-FROST-ALERTS-002 | garden | Forecast client added | 2026-03-01T10:00:00Z' },
      { n: 3, text: '  WO-SEED-SWAP-001|garden|Listing page wired|2026-03-02T10:00:00Z' },
      { n: 4, text: '# notes: WO-SEED-SWAP-001 | is mentioned here but is not an event' },
      { n: 5, text: 'WO-SEED-SWAP-0011 | garden | another id that starts the same | 2026-03-03T10:00:00Z' },
    ];
    expect(linesOfWorkorder(lines, 'WO-SEED-SWAP-001').map((l) => l.n)).toEqual([1, 3]);
  });
});
