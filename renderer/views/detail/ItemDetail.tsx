// The detail of one plan, stub or work order, beside the list on a wide screen and over it on a
// phone. Opening it moves the focus into it; closing it (✕ or Escape) gives the focus back to
// where it was. Its body is the list of sections in sections.tsx.
import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { useLive } from '../../app/context';
import { useUi } from '../../app/ui-store';
import { itemNoun } from '../../app/words';
import { asDetail, itemRow } from '../../store/item-detail';
import { DETAIL_SECTIONS, type DetailContext } from './sections';

export function ItemDetail() {
  const ref = useUi((s) => s.detail);
  const close = useUi((s) => s.setDetail);
  const row = useLive((s) => (ref ? itemRow(s, ref) : undefined));
  const found = useMemo(() => (ref ? asDetail(ref.kind, row) : null), [ref, row]);
  const project = useLive((s) => (ref ? s.projects[ref.projectId] : undefined));
  const loaded = useLive((s) => s.loaded);
  const heading = useRef<HTMLHeadingElement>(null);
  const returnTo = useRef<Element | null>(null);
  const open = ref !== null;

  useLayoutEffect(() => {
    if (!open) return;
    returnTo.current = document.activeElement;
    heading.current?.focus();
    return () => {
      const back = returnTo.current;
      if (back instanceof HTMLElement && back.isConnected) back.focus();
    };
  }, [open, ref?.kind, ref?.projectId, ref?.id]);

  // Move the focus to the new heading when one item's link opens another.
  useEffect(() => {
    if (open) heading.current?.focus();
  }, [open, found?.item.id]);

  if (!ref || !loaded) return null;
  const noun = itemNoun(ref.kind, ref.id);
  const title = found ? found.item.title : ref.id;
  const ctx: DetailContext | null = found ? { detail: found, project } : null;
  return (
    <aside className="detail-panel" aria-label={`Details of ${noun} ${title}`} data-testid="item-detail" data-kind={ref.kind} data-id={ref.id}>
      <header className="detail-header">
        <div className="detail-heading">
          <span className="kind-label" data-testid="detail-kind">
            {noun}
          </span>
          <h2 className="detail-title" tabIndex={-1} ref={heading}>
            {ref.kind === 'workorder' && found && found.item.title !== found.item.id ? `${found.item.id} · ${title}` : title}
          </h2>
        </div>
        <button type="button" className="icon-button" aria-label="Close the details" title="Close (Esc)" data-testid="close-detail" onClick={() => close(null)}>
          ✕
        </button>
      </header>
      {!ctx ? (
        <p className="detail-gone muted" data-testid="detail-gone">
          This {noun} is no longer in the project: its file was removed or renamed, or the project is no longer watched.
        </p>
      ) : (
        <div className="detail-body">
          {DETAIL_SECTIONS.filter((section) => section.applies(ctx)).map((section) => (
            <section key={section.id} className="detail-section" data-testid={`detail-section-${section.id}`} aria-labelledby={`detail-${section.id}`}>
              <h3 id={`detail-${section.id}`}>{section.title}</h3>
              <section.Body ctx={ctx} />
            </section>
          ))}
        </div>
      )}
    </aside>
  );
}
