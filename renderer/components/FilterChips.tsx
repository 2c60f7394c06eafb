// A row of toggle chips for a multi-select filter (statuses, sources).
export function FilterChips<T extends string>({
  label,
  options,
  selected,
  onChange,
  format,
  counts,
  testId,
}: {
  label: string;
  options: readonly T[];
  selected: T[];
  onChange(next: T[]): void;
  format(option: T): string;
  counts?: Partial<Record<T, number>>;
  testId: string;
}) {
  return (
    <div className="chips" role="group" aria-label={label} data-testid={testId}>
      {options.map((option) => {
        const on = selected.includes(option);
        return (
          <button
            key={option}
            type="button"
            className={on ? 'chip toggle on' : 'chip toggle'}
            aria-pressed={on}
            data-value={option}
            onClick={() => onChange(on ? selected.filter((s) => s !== option) : [...selected, option])}
          >
            {format(option)}
            {counts && <span className="chip-count">{counts[option] ?? 0}</span>}
          </button>
        );
      })}
    </div>
  );
}
