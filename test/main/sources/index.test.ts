import { describe, expect, test } from 'vitest';
import { ADAPTERS } from '../../../main/sources';
import { SOURCE_IDS } from '../../../shared/model';
import { SAMPLES } from './fuzz-samples';

const ownersOf = (path: string): string[] => ADAPTERS.filter((a) => a.owns(path)).map((a) => a.id);

describe('source registry', () => {
  test('all eight conventions are listed once each, in the order of the source vocabulary', () => {
    expect(ADAPTERS.map((a) => a.id)).toEqual([...SOURCE_IDS]);
  });

  test('every sample file routes to the adapter of its convention, and to no other', () => {
    for (const adapter of ADAPTERS) {
      for (const sample of SAMPLES[adapter.id]) {
        expect(ownersOf(sample.path), sample.path).toEqual([adapter.id]);
      }
    }
  });

  test('files no convention knows, and temp or lock files of known ones, route nowhere', () => {
    for (const path of ['README.md', 'src/index.ts', 'package.json', '.git/HEAD', 'node_modules/x/tasks/tasks.json']) {
      expect(ownersOf(path), path).toEqual([]);
    }
    for (const sample of Object.values(SAMPLES).flat()) {
      for (const temp of [`${sample.path}.lock`, `${sample.path}.tmp`, `${sample.path}~`, `${sample.path}.tmp.1234`]) {
        expect(ownersOf(temp), temp).toEqual([]);
      }
    }
  });
});
