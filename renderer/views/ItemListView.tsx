// The one shell of the Plans, Stubs and Work orders tabs: filters, the count, the empty and
// no-match states, and a virtualized list of project headings and item rows (or, while the list
// is flicked past them, their glimpses). Each tab brings only its rows (and any controls of its
// own, like the plans' order).
import type { ReactNode } from 'react';
import type { SourceId, Status } from '../../shared/model';
import { count, pluralOf } from '../app/words';
import { EmptyState } from '../components/EmptyState';
import { GroupHeading, VirtualList } from '../components/VirtualList';
import type { Table } from '../store/live-model';
import type { ItemFilter } from '../store/selectors';
import { ItemFilterBar } from './ItemFilterBar';
import { ItemGlimpse } from './ItemGlimpse';
import { GROUP_HEADING_HEIGHT, ITEM_ROW_HEIGHT } from './list-row-heights';


export type ListRow = { type: 'group'; projectId: string; name: string; count: number } | { type: 'item'; key: string };

export function ItemListView<T extends { status: Status; source: SourceId; title: string }, R extends ListRow>({
  name,
  noun,
  table,
  parts,
  filter,
  onFilter,
  rows,
  controls,
  empty,
  renderItem,
  indentOf,
}: {
  /** plans, stubs, workorders: names the test ids. */
  name: string;
  /** One item, e.g. "work order". */
  noun: string;
  table: Table<T>;
  /** The same rows by project, when the view keeps them so (plans): the counts are kept per project. */
  parts?: ReadonlyMap<string, ReadonlyMap<string, T>>;
  filter: ItemFilter;
  onFilter(patch: Partial<ItemFilter>): void;
  rows: readonly R[];
  controls?: ReactNode;
  empty: { title: string; body: ReactNode };
  renderItem(row: Extract<R, { type: 'item' }>): ReactNode;
  /** How far a row is set in (px) past the row's own padding: nested plans. */
  indentOf?(row: Extract<R, { type: 'item' }>): number;
}) {
  const shown = rows.reduce((n, r) => n + (r.type === 'group' ? r.count : 0), 0);
  return (
    <div className="view list-view" data-testid={`view-${name}`}>
      <ItemFilterBar table={table} parts={parts} filter={filter} onChange={onFilter} noun={noun} shown={shown} testPrefix={name}>
        {controls}
      </ItemFilterBar>
      {table.size === 0 ? (
        <EmptyState title={empty.title}>{empty.body}</EmptyState>
      ) : shown === 0 ? (
        <EmptyState title={`No ${pluralOf(noun)} match these filters`} />
      ) : (
        <VirtualList
          rows={rows}
          testId={`${name.replace(/s$/, '')}-list`}
          label={count(shown, noun)}
          getKey={(row) => (row.type === 'group' ? `group:${row.projectId}` : row.key)}
          estimate={(row) => (row.type === 'group' ? GROUP_HEADING_HEIGHT : ITEM_ROW_HEIGHT)}
          renderRow={(row, glimpse) => {
            if (row.type === 'group') return <GroupHeading projectId={row.projectId} name={row.name} countText={count(row.count, noun)} />;
            const itemRow = row as Extract<R, { type: 'item' }>;
            const item = glimpse ? table.get(itemRow.key) : undefined;
            if (!item) return renderItem(itemRow);
            return <ItemGlimpse rowKey={itemRow.key} title={item.title} status={item.status} indent={indentOf?.(itemRow) ?? 0} />;
          }}
        />
      )}
    </div>
  );
}
