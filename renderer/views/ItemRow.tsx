// What every item row shares: a click anywhere on it (or Enter on its title) opens the item's
// detail view; the buttons inside it keep their own clicks.
import type { MouseEvent, ReactNode } from 'react';
import type { ItemKind } from '../../shared/model';
import { useUi, type ItemRef } from '../app/ui-store';

/** Opens an item's detail; reads the store when called, so a row holding it subscribes to nothing. */
export function openItem(item: ItemRef): void {
  useUi.getState().setDetail(item);
}

export function ItemRow({
  item,
  title,
  className,
  data,
  children,
}: {
  item: ItemRef & { kind: ItemKind };
  title: ReactNode;
  className: string;
  /** data-* attributes for tests and styling. */
  data: Record<string, string | number>;
  /** What the row shows around its title: a slot before (status) and after (meta, progress, actions). */
  children: (titleButton: ReactNode) => ReactNode;
}) {
  const selected = useUi((s) => s.detail !== null && s.detail.kind === item.kind && s.detail.projectId === item.projectId && s.detail.id === item.id);
  const onRowClick = (e: MouseEvent<HTMLDivElement>) => {
    // A click on a control inside the row (reveal, open log, expand) is that control's.
    if ((e.target as HTMLElement).closest('button, a, input, select, label')) return;
    openItem(item);
  };
  const dataAttributes = Object.fromEntries(Object.entries(data).map(([k, v]) => [`data-${k}`, String(v)]));
  const titleButton = (
    <button type="button" className="item-open" data-testid="open-item-detail" aria-current={selected ? 'true' : undefined} onClick={() => openItem(item)}>
      {title}
    </button>
  );
  return (
    <div className={`item-row ${className}${selected ? ' selected' : ''}`} onClick={onRowClick} {...dataAttributes}>
      {children(titleButton)}
    </div>
  );
}
