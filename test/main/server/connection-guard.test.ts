import { describe, expect, test } from 'vitest';
import { maxConnectionsFor } from '../../../main/server/connection-guard';
import { safeLogLine } from '../../../main/server/log-line';

describe('maxConnectionsFor', () => {
  test('the client cap plus room for page loads, within what the open-file limit leaves after the reserve', () => {
    expect(maxConnectionsFor(4, null)).toBe(20);
    expect(maxConnectionsFor(64, null)).toBe(80);
    expect(maxConnectionsFor(64, 256)).toBe(80);
    expect(maxConnectionsFor(64, 150)).toBe(54);
    expect(maxConnectionsFor(1000, Number.POSITIVE_INFINITY)).toBe(1250);
  });
});

describe('safeLogLine', () => {
  test('control characters are escaped and long lines are cut', () => {
    expect(safeLogLine('a\nb\r\tc\u001b[31m')).toBe('a\\nb\\r\\tc\\u001b[31m');
    expect(safeLogLine('x'.repeat(1500))).toMatch(/^x{1000}… \(500 more characters\)$/);
  });
});
