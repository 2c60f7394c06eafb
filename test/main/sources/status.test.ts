import { describe, expect, test } from 'vitest';
import { canonical, normalizeStatus } from '../../../main/sources/status';

describe('status normalization', () => {
  test.each([
    ['In Progress', 'in_progress'],
    ['in-progress', 'in_progress'],
    ['IN_PROGRESS', 'in_progress'],
    ['✅ Complete', 'done'],
    ['🚧 Not Started', 'todo'],
    ['ready-for-dev', 'todo'],
    ['drafted', 'todo'],
    ['contexted', 'in_progress'],
    ['deferred-post-mvp', 'backlog'],
    ['Abandoned', 'cancelled'],
    ['DRAFT', 'backlog'],
    ['  done  ', 'done'],
  ])('%s → %s', (raw, want) => {
    expect(normalizeStatus(raw)).toBe(want);
  });

  test.each([
    ['In Progress (blocked on API)', 'in_progress'],
    ['In Progress - waiting on design', 'in_progress'],
    ['Not started yet', 'todo'],
    ['to do later', 'todo'],
    ['Done (with follow-ups)', 'done'],
    ['blocked_on_api', 'blocked'],
  ])('a note after a known status keeps its meaning: %s → %s', (raw, want) => {
    expect(normalizeStatus(raw)).toBe(want);
  });

  test('the longest known start wins, an override included', () => {
    // `ready` alone is to do; `Ready for Review` is a tool's own word for review.
    expect(normalizeStatus('Ready', { ready_for_review: 'review' })).toBe('todo');
    expect(normalizeStatus('Ready for Review (QA Fixes Applied)', { ready_for_review: 'review' })).toBe('review');
  });

  test('odd words are unknown, never dropped', () => {
    expect(normalizeStatus('quantum-superposition')).toBe('unknown');
    expect(normalizeStatus('')).toBe('unknown');
    expect(normalizeStatus(null)).toBe('unknown');
  });

  test('overrides win over the shared synonyms', () => {
    expect(normalizeStatus('Draft', { draft: 'todo' })).toBe('todo');
  });

  test('canonical folds case, emoji and separators', () => {
    expect(canonical('✅ Complete!')).toBe('complete');
    expect(canonical("Won't Fix")).toBe('won_t_fix');
  });
});
