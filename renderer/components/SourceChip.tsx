import { SOURCE_LABELS } from '../app/format';

export function SourceChip({ source }: { source: string }) {
  return <span className={`chip source source-${source}`}>{SOURCE_LABELS[source] ?? source}</span>;
}
