export function SearchInput({ value, onChange, placeholder, testId }: { value: string; onChange(v: string): void; placeholder: string; testId: string }) {
  return (
    <input
      type="search"
      className="search"
      value={value}
      placeholder={placeholder}
      aria-label={placeholder}
      data-testid={testId}
      onChange={(e) => onChange(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onChange('');
      }}
    />
  );
}
