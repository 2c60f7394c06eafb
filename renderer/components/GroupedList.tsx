// A virtualized list of project headings and item rows: thousands of plans stay smooth
// because only the rows on screen exist in the DOM.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, type ReactNode } from 'react';
import type { GroupedRow } from '../store/selectors';

const GROUP_HEIGHT = 36;

export function GroupedList({
  rows,
  rowHeight,
  renderItem,
  testId,
}: {
  rows: GroupedRow[];
  rowHeight: number;
  renderItem(key: string): ReactNode;
  testId: string;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => (rows[i]?.type === 'group' ? GROUP_HEIGHT : rowHeight),
    getItemKey: (i) => {
      const row = rows[i]!;
      return row.type === 'group' ? `group:${row.projectId}` : row.key;
    },
    overscan: 12,
  });
  return (
    <div className="list-scroll" ref={scrollRef} data-testid={testId}>
      <div className="list-inner" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((v) => {
          const row = rows[v.index]!;
          return (
            <div key={v.key} className="list-slot" style={{ transform: `translateY(${v.start}px)`, height: v.size }}>
              {row.type === 'group' ? (
                <div className="group-heading" data-testid="group-heading" data-project={row.projectId}>
                  <span className="group-name">{row.name}</span>
                  <span className="group-count">{row.count}</span>
                </div>
              ) : (
                renderItem(row.key)
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
