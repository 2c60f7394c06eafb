import { describe, expect, test } from 'vitest';
import { ADAPTERS, adapterById, adapterFor } from '../../../main/sources';
import { SOURCE_IDS } from '../../../shared/model';
import { SAMPLES } from './fuzz-samples';

describe('source registry', () => {
  test('all eight conventions are listed once each, in the order of the source vocabulary', () => {
    expect(ADAPTERS.map((a) => a.id)).toEqual([...SOURCE_IDS]);
  });

  test('every sample file routes to the adapter of its convention, and to no other', () => {
    for (const adapter of ADAPTERS) {
      for (const sample of SAMPLES[adapter.id]) {
        expect(adapterFor(sample.path)?.id, sample.path).toBe(adapter.id);
        const owners = ADAPTERS.filter((a) => a.owns(sample.path)).map((a) => a.id);
        expect(owners, sample.path).toEqual([adapter.id]);
      }
    }
  });

  test('files no convention knows, and temp or lock files of known ones, route nowhere', () => {
    for (const path of ['README.md', 'src/index.ts', 'package.json', '.git/HEAD', 'node_modules/x/tasks/tasks.json']) {
      expect(adapterFor(path), path).toBeNull();
    }
    for (const sample of Object.values(SAMPLES).flat()) {
      for (const temp of [`${sample.path}.lock`, `${sample.path}.tmp`, `${sample.path}~`, `${sample.path}.tmp.1234`]) {
        expect(adapterFor(temp), temp).toBeNull();
      }
    }
  });

  test('adapters are found by id', () => {
    expect(adapterById('backlog')?.label).toBe('Backlog.md');
    expect(adapterById('nope')).toBeNull();
  });
});
