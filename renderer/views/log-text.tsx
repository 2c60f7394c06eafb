// How one log line is drawn: its timestamp and its severity words picked out, nothing else
// touched (the text is shown exactly as written).
import type { ReactNode } from 'react';

const TIMESTAMP = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?|\[\d{2}:\d{2}:\d{2}(?:\.\d+)?\]/;
const SEVERITY = /\b(ERROR|FAILED|FAIL|FATAL|WARN(?:ING)?|DONE|PASS(?:ED)?|OK)\b/;

function severityClass(word: string): string {
  if (/^(ERROR|FAILED|FAIL|FATAL)$/.test(word)) return 'log-error';
  if (/^WARN/.test(word)) return 'log-warn';
  return 'log-ok';
}

function markSeverity(text: string, key: string): ReactNode[] {
  const out: ReactNode[] = [];
  let rest = text;
  let i = 0;
  for (let m = SEVERITY.exec(rest); m; m = SEVERITY.exec(rest)) {
    if (m.index > 0) out.push(rest.slice(0, m.index));
    out.push(
      <span key={`${key}-${i++}`} className={severityClass(m[0])}>
        {m[0]}
      </span>,
    );
    rest = rest.slice(m.index + m[0].length);
  }
  if (rest) out.push(rest);
  return out;
}

export function highlightLogText(text: string, ts?: string): ReactNode[] {
  let at = ts ? text.indexOf(ts) : -1;
  let stamp = ts ?? '';
  if (at < 0) {
    const m = TIMESTAMP.exec(text);
    if (m) {
      at = m.index;
      stamp = m[0];
    }
  }
  if (at < 0) return markSeverity(text, 'a');
  return [
    ...markSeverity(text.slice(0, at), 'a'),
    <span key="ts" className="log-ts" data-testid="log-ts">
      {stamp}
    </span>,
    ...markSeverity(text.slice(at + stamp.length), 'b'),
  ];
}
