// What the model's events keep alive. A work-order log is appended to all day; every append is a
// new text of the whole file, and the work order it changes goes out in an event that lives on
// (the hub's replay ring keeps a thousand). The event must not keep that version of the file.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, test } from 'vitest';
import type { DomainEvent } from '../../../shared/protocol';
import { ProjectModel, type FileChange } from '../../../main/engine/project-model';
import { coderef } from '../../../main/sources/coderef';
import type { FileParse } from '../../../main/sources/types';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const LOG = 'coderef/workorder-log.txt';
const parsed = (text: string): FileChange => ({
  kind: 'parsed',
  results: [{ adapter: coderef, parse: coderef.parse(LOG, text) as FileParse<unknown> }],
  publishIssues: true,
});
const line = (i: number): string => `WO-GROWING-LOG-001 | app | step ${i} done | 2026-12-04T10:${String(i).padStart(2, '0')}:00.000Z\n`;
/** A text read from disk is a fresh string, not a concatenation of the one before it. */
const asRead = (text: string): string => Buffer.from(text, 'utf8').toString('utf8');
const heapMb = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1e6;
};

test("the events of a growing log's appends keep none of the log's old texts alive", () => {
  // ~2 MB of older lines above the work order that is being worked on.
  const older = 'WO-OLDER-WORK-000 | app | finished long ago | 2026-11-01T00:00:00.000Z\n'.repeat(28_000);
  const model = new ProjectModel('p1', '/work/app', 'app');
  let text = asRead(older + line(0));
  model.applyFile(LOG, parsed(text), { now: 1, initial: true });
  const before = heapMb();

  const kept: DomainEvent[] = [];
  for (let i = 1; i <= 20; i++) {
    text = asRead(text + line(i));
    kept.push(...model.applyFile(LOG, parsed(text), { now: 1 + i, initial: false }));
  }
  const grew = heapMb() - before;

  const updates = kept.filter((e) => e.type === 'workorder:updated');
  expect(updates).toHaveLength(20);
  expect(updates.at(-1)).toMatchObject({ payload: { workorder: { id: 'WO-GROWING-LOG-001', activity: 'step 20 done' } } });
  // Twenty 2 MB versions held by their events would be 40 MB; the model keeps only the newest.
  expect(grew).toBeLessThan(10);
});
