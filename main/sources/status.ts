// One normalized status vocabulary (docs/architecture.md, the model) out of the many words tools
// write.
import type { Status } from '../../shared/model';

// Words seen across the conventions of docs/formats.md, keyed after `canonical()` folding.
const SYNONYMS: Record<string, Status> = {
  backlog: 'backlog', icebox: 'backlog', someday: 'backlog', deferred: 'backlog', later: 'backlog',
  stub: 'backlog', idea: 'backlog', brainstorming: 'backlog', draft: 'backlog', drafts: 'backlog',
  todo: 'todo', to_do: 'todo', open: 'todo', pending: 'todo', planned: 'todo', planning: 'todo',
  ready: 'todo', ready_for_dev: 'todo', drafted: 'todo', not_started: 'todo', new: 'todo',
  approved: 'todo', pending_plan: 'todo', plan_submitted: 'review', re_planning: 'todo', replanning: 'todo',
  in_progress: 'in_progress', inprogress: 'in_progress', doing: 'in_progress', active: 'in_progress',
  started: 'in_progress', wip: 'in_progress', implementing: 'in_progress', executing: 'in_progress',
  contexted: 'in_progress', working: 'in_progress', ongoing: 'in_progress', running: 'in_progress',
  review: 'review', in_review: 'review', reviewing: 'review', needs_review: 'review', verifying: 'review',
  changes_requested: 'review', qa: 'review', testing: 'review',
  blocked: 'blocked', stuck: 'blocked', on_hold: 'blocked', waiting: 'blocked', paused: 'blocked',
  done: 'done', complete: 'done', completed: 'done', finished: 'done', closed: 'done', resolved: 'done',
  implemented: 'done', verified: 'done', shipped: 'done', merged: 'done', promoted: 'done',
  archived: 'done', delivered: 'done', accepted: 'done',
  failed: 'failed', failure: 'failed', error: 'failed', errored: 'failed', broken: 'failed',
  cancelled: 'cancelled', canceled: 'cancelled', abandoned: 'cancelled', wontfix: 'cancelled',
  won_t_fix: 'cancelled', wont_fix: 'cancelled', rejected: 'cancelled', dropped: 'cancelled', obsolete: 'cancelled',
  superseded: 'cancelled',
};

/** Fold case, emoji, punctuation and separators: '✅ Complete' → 'complete', 'In-Progress' → 'in_progress'. */
export function canonical(raw: string): string {
  // The same few words come by again and again (every task of a board, every derive): fold each once.
  const known = CANONICAL_CACHE.get(raw);
  if (known !== undefined) return known;
  if (CANONICAL_CACHE.size >= CANONICAL_CACHE_MAX) CANONICAL_CACHE.clear();
  const folded = fold(raw);
  CANONICAL_CACHE.set(raw, folded);
  return folded;
}

const CANONICAL_CACHE = new Map<string, string>();
const CANONICAL_CACHE_MAX = 4096;

function fold(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/[\p{Extended_Pictographic}\uFE0F\u200D]/gu, '')
    .trim()
    .toLowerCase()
    .replace(/[\s\-./']+/g, '_')
    .replace(/[^a-z0-9_]/g, '')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
}

/**
 * Map a raw status to the normalized set. `overrides` (already canonical keys) take
 * precedence, for a tool whose words mean something else there. Unknown words are
 * `unknown`, never dropped.
 */
export function normalizeStatus(raw: string | null | undefined, overrides?: Record<string, Status>): Status {
  if (raw === null || raw === undefined) return 'unknown';
  const key = canonical(String(raw));
  if (!key) return 'unknown';
  // The longest leading run of words that is a known status: people add to the word they were
  // given ('deferred-post-mvp', 'blocked_on_api', 'Ready for Review (QA Fixes Applied)',
  // 'In Progress - waiting on API'), and the tool's own word is the start.
  // The whole key first, then each shorter prefix ending before an '_' (no array of words:
  // this runs for every status of every file read).
  for (let end = key.length; end > 0; end = key.lastIndexOf('_', end - 1)) {
    const head = end === key.length ? key : key.slice(0, end);
    const hit = overrides?.[head] ?? SYNONYMS[head];
    if (hit) return hit;
  }
  return 'unknown';
}

/** Progress from a status alone, for items that have no checkboxes of their own. */
export function progressFromStatus(status: Status): { done: number; total: number } {
  return { done: status === 'done' ? 1 : 0, total: 1 };
}
