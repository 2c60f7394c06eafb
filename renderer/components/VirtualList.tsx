// A virtualized list: thousands of rows stay smooth because only those on screen exist in the
// DOM. Rows are measured as they render, so a title that wraps to two lines on a phone gets
// the height it needs. Rows that come into a list flicked faster than anyone reads are drawn as
// their glimpse until it stops (list-motion.ts).
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useLayoutEffect, useRef, type ReactNode } from 'react';
import { useMotion } from './list-motion';

export function VirtualList<R>({
  rows,
  getKey,
  estimate,
  renderRow,
  testId,
  label,
}: {
  rows: readonly R[];
  getKey(row: R): string;
  /** A first guess of a row's height, before it is measured. */
  estimate(row: R): number;
  /** A row in full, or (glimpse) its cheap stand-in while the list is flicked past it. */
  renderRow(row: R, glimpse: boolean): ReactNode;
  testId: string;
  label: string;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // The virtualizer lays out every row again when these change: they change with the rows only,
  // so a render that brings the same rows (an update inside a row) costs nothing for 10,000 rows.
  const latest = useRef({ getKey, estimate });
  latest.current = { getKey, estimate };
  const estimateSize = useCallback((i: number) => latest.current.estimate(rows[i]!), [rows]);
  const getItemKey = useCallback((i: number) => latest.current.getKey(rows[i]!), [rows]);
  const { motion, onChange } = useMotion();
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    getItemKey,
    // Rows are rendered in a task of their own after a scroll, not inside the scroll event
    // (flushSync): the frame the scroll belongs to paints without waiting for React, and when
    // frames come late a render brings only the newest rows, not every position passed. The
    // rows kept beyond the edges (overscan) cover what a frame of a brisk flick (600 px)
    // brings into view before they are rendered.
    useFlushSync: false,
    overscan: 16,
    onChange,
  });
  // Which rows are glimpses: decided from what the last commit showed, so a row keeps the form it
  // came in with (no row is torn down and built again mid-flick) until the list stops.
  const shown = useRef<{ keys: ReadonlySet<string>; glimpses: ReadonlySet<string> }>({ keys: new Set(), glimpses: new Set() });
  const items = virtualizer.getVirtualItems();
  const keys = new Set<string>();
  const glimpses = new Set<string>();
  if (motion.current.scrolling) {
    for (const v of items) {
      const key = String(v.key);
      keys.add(key);
      if (shown.current.keys.has(key) ? shown.current.glimpses.has(key) : motion.current.flicking) glimpses.add(key);
    }
  } else for (const v of items) keys.add(String(v.key));
  useLayoutEffect(() => {
    shown.current = { keys, glimpses };
  });
  return (
    // data-scrolling: whether the list is still moving (a scroll counts as over 150 ms after its
    // last event), for whoever waits for it to rest.
    <div className="list-scroll" ref={scrollRef} data-testid={testId} data-scrolling={virtualizer.isScrolling}>
      <div className="list-inner" role="list" aria-label={label} style={{ height: virtualizer.getTotalSize() }}>
        {items.map((v) => {
          // A glimpse is not measured: it fills the height its row had (or is guessed to have), so
          // the rows do not move when the full row comes back.
          const glimpse = glimpses.has(String(v.key));
          return (
            <div
              key={v.key}
              ref={glimpse ? undefined : virtualizer.measureElement}
              data-index={v.index}
              role="listitem"
              className="list-slot"
              style={glimpse ? { transform: `translateY(${v.start}px)`, height: v.size } : { transform: `translateY(${v.start}px)` }}
            >
              {renderRow(rows[v.index]!, glimpse)}
            </div>
          );
        })}
      </div>
    </div>
  );
}

/**
 * A project's heading inside a grouped list: its name and how many of its items are listed.
 * Memoised like the item rows: a scroll renders the list again, not the headings that stay.
 */
export const GroupHeading = memo(function GroupHeading({ projectId, name, countText }: { projectId: string; name: string; countText: string }) {
  return (
    <div className="group-heading" data-testid="group-heading" data-project={projectId}>
      <span className="group-name">{name}</span>
      <span className="group-count">{countText}</span>
    </div>
  );
});
