import type { ReactNode } from 'react';

/** What a view shows when it has nothing, is still loading, or failed: always a sentence and, when possible, a way on. */
export function EmptyState({ title, children, tone = 'empty', testId }: { title: string; children?: ReactNode; tone?: 'empty' | 'loading' | 'error'; testId?: string }) {
  return (
    <div className={`empty-state ${tone}`} data-testid={testId ?? `state-${tone}`} role={tone === 'error' ? 'alert' : undefined}>
      {tone === 'loading' && <span className="spinner" aria-hidden="true" />}
      <p className="empty-title">{title}</p>
      {children && <div className="empty-body">{children}</div>}
    </div>
  );
}
