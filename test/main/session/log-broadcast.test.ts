// New log lines go to all their followers in one broadcast (one encoding), in order.
import { expect, test } from 'vitest';
import type { LogMessage } from '../../../shared/protocol';
import { LogBroadcast } from '../../../main/session/log-broadcast';

const message = (n: number): LogMessage => ({ projectId: 'p', path: 'runs/r_1.log', runId: 'r_1', lines: [{ n, text: `line ${n}` }] });

test('the followers of one message share one broadcast; messages keep their order', async () => {
  const calls: { ids: readonly string[]; n: number }[] = [];
  const sentTo: string[][] = [];
  const logs = new LogBroadcast(
    (ids, _event, payload) => calls.push({ ids: [...ids], n: (payload as LogMessage).lines[0]!.n }),
    (ids) => sentTo.push([...ids]),
  );
  const first = message(1);
  const second = message(2);
  for (const id of ['a', 'b', 'c']) logs.send(id, first);
  for (const id of ['a', 'b', 'c']) logs.send(id, second);
  expect(calls).toEqual([]);
  await Promise.resolve();
  expect(calls).toEqual([
    { ids: ['a', 'b', 'c'], n: 1 },
    { ids: ['a', 'b', 'c'], n: 2 },
  ]);
  expect(sentTo).toEqual([
    ['a', 'b', 'c'],
    ['a', 'b', 'c'],
  ]);
  logs.close();
  logs.send('a', message(3));
  await Promise.resolve();
  expect(calls).toHaveLength(2);
});
