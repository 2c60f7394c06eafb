// The keys of a BMAD sprint and the numbers inside them. BMAD writes `1-2-user-login` (epic 1,
// story 2); real projects also write `19a-1-…`, `2.5-1-…`, `15-R1-…`, `0-5-1-…` (epic 0.5) and the
// sprint-runner form `5-sr-5-…`. A number is what identifies a story when its slug drifts, and
// what ties it to its epic; the key itself is always kept as written.

/** One part of a story number: `1`, `19a`, `2.5`, `R1`. */
const NUMBER_PART = /^(?:\d{1,3}(?:\.\d{1,3})*[a-z]?|[a-z]\d{1,3})$/i;
/** The first part must start with digits (a dated document `2025-01-15-notes` has four). */
const FIRST_PART = /^\d{1,3}(?:\.\d{1,3})*[a-z]?$/i;

/** `01` → `1`, `2.5` → `2-5`, `3A` → `3a`: numbers as a reader compares them. */
export function normalizeNumber(raw: string): string {
  return raw
    .toLowerCase()
    .split(/[.-]/)
    .map((part) => part.replace(/^0+(?=\d)/, ''))
    .join('-');
}

/** How many `-` parts at the start of `key` are its number (0 when it has none). */
function numberLength(parts: readonly string[]): number {
  if (parts.length === 0 || !FIRST_PART.test(parts[0]!)) return 0;
  let n = 1;
  // Sprint-runner keys: `5-sr-5-slug` is story sr-5 of epic 5.
  if (/^[a-z]{1,3}$/i.test(parts[1] ?? '') && /^\d{1,3}$/.test(parts[2] ?? '')) return 3;
  while (n < parts.length && NUMBER_PART.test(parts[n]!)) n++;
  return n;
}

/** The normalized parts of a story key's number (`2.5-1-x` → `['2', '5', '1']`, `story-1.1` → `['1', '1']`), or null when it has none. */
export function storyNumber(key: string): string[] | null {
  // Sprint files in the `epics: → stories:` shape may write ids as `story-1.1`.
  const parts = key.replace(/^story[-_](?=\d)/i, '').split('-');
  const n = numberLength(parts);
  return n === 0 ? null : normalizeNumber(parts.slice(0, n).join('-')).split('-');
}

/** The epic token of an `epic-*` key (`epic-01` → `1`, `epic-3a` → `3a`), null for other keys and retrospectives. */
export function epicTokenOfKey(key: string): string | null {
  if (isRetrospectiveKey(key)) return null;
  const m = /^epic-(.+)$/i.exec(key.trim());
  return m ? normalizeNumber(m[1]!) : null;
}

export function isRetrospectiveKey(key: string): boolean {
  return /-retro(?:spective)?$/i.test(key.trim());
}

const V4_STORY_FILE = /^(\d{1,3})\.(\d{1,3}[a-z]?)\.([^.]+)$/i;

/**
 * The story key a file name stands for (`1-2-user-login`, v4 `1.2.user-login` → `1-2-user-login`),
 * or null for a file that is not a story: it needs a number of at least two parts and a slug.
 */
export function storyFileKey(stem: string): string | null {
  const v4 = V4_STORY_FILE.exec(stem);
  if (v4) return `${v4[1]}-${v4[2]}-${v4[3]}`;
  const parts = stem.split('-');
  const n = numberLength(parts);
  const slug = parts.slice(n).join('-');
  if (n < 2 || slug === '' || slug.includes('.')) return null;
  return stem;
}
