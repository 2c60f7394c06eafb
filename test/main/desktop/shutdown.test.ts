import { describe, expect, test } from 'vitest';
import { closeAll } from '../../../main/desktop/shutdown';

describe('quitting closes everything', () => {
  test('every closer runs in order, even after one fails, and the failure is logged', async () => {
    const order: string[] = [];
    const log: string[] = [];
    await closeAll(
      [
        { name: 'server', close: async () => void order.push('server') },
        {
          name: 'tokens',
          close: () => {
            order.push('tokens');
            throw new Error('disk full');
          },
        },
        { name: 'engine', close: async () => void order.push('engine') },
      ],
      (line) => log.push(line),
    );
    expect(order).toEqual(['server', 'tokens', 'engine']);
    expect(log).toEqual(['Closing tokens failed: disk full']);
  });

  test('a closer that hangs does not keep the app from quitting', async () => {
    const log: string[] = [];
    const order: string[] = [];
    await closeAll(
      [
        { name: 'stuck socket', close: () => new Promise(() => undefined) },
        { name: 'engine', close: () => void order.push('engine') },
      ],
      (line) => log.push(line),
      50,
    );
    expect(order).toEqual(['engine']);
    expect(log).toEqual(['Closing stuck socket took over 50 ms; quitting anyway.']);
  });
});
