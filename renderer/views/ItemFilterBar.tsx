// Search, project, status and source filters shared by the plans, stubs and work-order views.
import { useMemo, type ReactNode } from 'react';
import type { SourceId, Status } from '../../shared/model';
import { STATUSES } from '../app/statuses';
import { useLive } from '../app/context';
import { SOURCE_LABELS, STATUS_LABELS } from '../app/format';
import { count, pluralOf } from '../app/words';
import { FilterChips } from '../components/FilterChips';
import { SearchInput } from '../components/SearchInput';
import { selectProjectList, statusesAndSources, statusesAndSourcesOfParts, type ItemFilter } from '../store/selectors';
import type { Table } from '../store/live-model';

export function ProjectSelect({ value, onChange, testId }: { value: string | null; onChange(id: string | null): void; testId: string }) {
  const projects = useLive((s) => s.projects);
  const list = useMemo(() => selectProjectList(projects), [projects]);
  return (
    <select className="select" value={value ?? ''} aria-label="Project" data-testid={testId} onChange={(e) => onChange(e.target.value || null)}>
      <option value="">All projects</option>
      {list.map((p) => (
        <option key={p.id} value={p.id}>
          {p.name}
        </option>
      ))}
    </select>
  );
}

export function ItemFilterBar<T extends { status: Status; source: SourceId }>({
  table,
  parts,
  filter,
  onChange,
  noun,
  shown,
  testPrefix,
  children,
}: {
  table: Table<T>;
  /** The same rows in parts (plans by project), when the view keeps them so: a change recounts only the parts it touched. */
  parts?: ReadonlyMap<string, ReadonlyMap<string, T>>;
  filter: ItemFilter;
  onChange(patch: Partial<ItemFilter>): void;
  /** One item, e.g. "plan". */
  noun: string;
  shown: number;
  testPrefix: string;
  /** Controls of the view's own, shown after the filters. */
  children?: ReactNode;
}) {
  const { counts, sources } = useMemo(() => (parts ? statusesAndSourcesOfParts(parts.values()) : statusesAndSources(table)), [parts, table]);
  const statuses = STATUSES.filter((s) => counts[s] > 0 || filter.statuses.includes(s));
  const total = table.size;
  const filtered = filter.search !== '' || filter.statuses.length > 0 || filter.sources.length > 0 || filter.projectId !== null;
  return (
    <div className="filter-bar">
      <div className="filter-row">
        <SearchInput value={filter.search} onChange={(search) => onChange({ search })} placeholder={`Search ${pluralOf(noun)}…`} testId={`${testPrefix}-search`} />
        <ProjectSelect value={filter.projectId} onChange={(projectId) => onChange({ projectId })} testId={`${testPrefix}-project`} />
        <span className="muted small filter-count" data-testid={`${testPrefix}-count`}>
          {filtered ? `${shown.toLocaleString('en')} of ${count(total, noun)}` : count(total, noun)}
        </span>
        {filtered && (
          <button type="button" className="link-button" onClick={() => onChange({ search: '', statuses: [], sources: [], projectId: null })}>
            Clear filters
          </button>
        )}
        {children}
      </div>
      <div className="filter-row">
        <FilterChips label="Status" options={statuses} selected={filter.statuses} onChange={(statuses) => onChange({ statuses })} format={(s) => STATUS_LABELS[s]} counts={counts} testId={`${testPrefix}-status-filter`} />
        {sources.length > 1 && (
          <FilterChips label="Source" options={sources} selected={filter.sources} onChange={(sources) => onChange({ sources })} format={(s) => SOURCE_LABELS[s] ?? s} testId={`${testPrefix}-source-filter`} />
        )}
      </div>
    </div>
  );
}
