// What an item row shows while the list is flicked past it faster than anyone reads (see
// components/VirtualList.tsx): its status and title, in the row's own height and indent. It
// reads the item from the table it is given rather than subscribing to the model: it lives
// only until the list stops, when the full row takes its place.
import { memo } from 'react';
import type { Status } from '../../shared/model';
import { STATUS_LABELS } from '../app/format';

export const ItemGlimpse = memo(function ItemGlimpse({ rowKey, title, status, indent }: { rowKey: string; title: string; status: Status; indent: number }) {
  return (
    <div className="item-row item-glimpse" data-testid="item-glimpse" data-key={rowKey} style={indent > 0 ? { paddingLeft: 14 + indent } : undefined}>
      <span className="glimpse-status">
        <span className={`badge badge-${status}`}>{STATUS_LABELS[status]}</span>
      </span>
      <span className="glimpse-title">{title}</span>
    </div>
  );
});
