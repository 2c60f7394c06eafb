// A virtualized list: thousands of rows stay smooth because only those on screen exist in the
// DOM. Rows are measured as they render, so a title that wraps to two lines on a phone gets
// the height it needs.
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useRef, type ReactNode } from 'react';

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
  renderRow(row: R): ReactNode;
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
  });
  return (
    <div className="list-scroll" ref={scrollRef} data-testid={testId}>
      <div className="list-inner" role="list" aria-label={label} style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((v) => (
          <div key={v.key} ref={virtualizer.measureElement} data-index={v.index} role="listitem" className="list-slot" style={{ transform: `translateY(${v.start}px)` }}>
            {renderRow(rows[v.index]!)}
          </div>
        ))}
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
