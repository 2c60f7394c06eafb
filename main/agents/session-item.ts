// Which plan or work order a session works on: the one its hook named (`--item`, VIGIL_ITEM),
// else the one its worktree is named after (`git worktree add ../WO-AUTH-001`, a branch
// `feature/02-01-login`). Pure.
import type { Worktree } from './session-place';

/** The part of an item id a person writes: `gsd:plan:02-01` → `02-01`. */
function tailOf(id: string): string {
  return id.slice(id.lastIndexOf(':') + 1);
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function names(text: string, tail: string): boolean {
  return new RegExp(`(^|[^a-z0-9])${escape(tail)}($|[^a-z0-9])`).test(text);
}

/** Shorter tails (`1`, `12`) would match by chance. */
const MIN_TAIL = 3;

export function itemForSession(hint: string | undefined, worktree: Worktree | null, itemIds: readonly string[]): string | undefined {
  if (hint) {
    const wanted = hint.toLowerCase();
    return itemIds.find((id) => id.toLowerCase() === wanted) ?? itemIds.find((id) => tailOf(id).toLowerCase() === wanted);
  }
  if (!worktree) return undefined;
  const folder = worktree.top.split(/[\\/]/).pop() ?? '';
  const text = `${folder} ${worktree.branch ?? ''}`.toLowerCase();
  let best: string | undefined;
  let bestLength = 0;
  for (const id of itemIds) {
    const tail = tailOf(id).toLowerCase();
    if (tail.length < MIN_TAIL || tail.length <= bestLength) continue;
    if (names(text, tail)) {
      best = id;
      bestLength = tail.length;
    }
  }
  return best;
}
