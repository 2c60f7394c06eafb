// The live log of one work order: follows the file as it grows, keeps the reader's place when
// they scroll up, and offers the way back to the newest line.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { toast } from 'sonner';
import type { LogLine } from '../../shared/protocol';
import { useLive } from '../app/context';
import { useNow } from '../app/clock';
import { useUi } from '../app/ui-store';
import { EmptyState } from '../components/EmptyState';
import { RevealButtons } from '../components/RevealButtons';
import { useFollowLog } from '../components/use-follow-log';
import { copyText } from '../components/clipboard';
import { count } from '../app/words';
import { logKey } from '../store/keys';
import { linesOfWorkorder } from '../store/logs';
import { highlightLogText } from './log-text';
import { RunLogState } from './RunLogState';

/** A line this recent counts as "streaming now". */
const STREAMING_WINDOW_MS = 5000;

function StreamingIndicator({ lastLineAt, hasBuffer }: { lastLineAt: number | null; hasBuffer: boolean }) {
  const connected = useLive((s) => s.connection.status === 'connected');
  const now = useNow();
  const state = !connected ? 'paused' : lastLineAt !== null && now - lastLineAt < STREAMING_WINDOW_MS ? 'streaming' : hasBuffer ? 'following' : 'waiting';
  const label = { paused: 'Paused — link down', streaming: 'Streaming', following: 'Following', waiting: 'Waiting for the log' }[state];
  return (
    <span className={`log-streaming ${state}`} data-testid="log-streaming" data-state={state}>
      <span className="log-streaming-dot" aria-hidden="true" />
      {label}
    </span>
  );
}

function LogLines({ lines, wrap }: { lines: LogLine[]; wrap: boolean }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [following, setFollowing] = useState(true);
  const followingRef = useRef(true);
  const userIntentAt = useRef(0);
  const virtualizer = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 20,
    getItemKey: (i) => lines[i]!.n,
    overscan: 20,
  });

  const follow = useCallback((on: boolean) => {
    followingRef.current = on;
    setFollowing(on);
  }, []);

  // Only a person scrolling up stops the follow: programmatic scrolls and re-measuring rows also
  // fire scroll events, and must not.
  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
    if (atBottom) {
      if (!followingRef.current) follow(true);
    } else if (followingRef.current && performance.now() - userIntentAt.current < 400) {
      follow(false);
    }
  };
  const markIntent = () => {
    userIntentAt.current = performance.now();
  };

  const jumpToLatest = useCallback(() => {
    if (lines.length > 0) virtualizer.scrollToIndex(lines.length - 1, { align: 'end' });
    follow(true);
  }, [lines.length, virtualizer, follow]);

  useLayoutEffect(() => {
    if (followingRef.current && lines.length > 0) virtualizer.scrollToIndex(lines.length - 1, { align: 'end' });
  }, [lines.length, virtualizer, wrap]);

  return (
    <div className="log-body">
      <div
        className={wrap ? 'log-scroll wrap' : 'log-scroll nowrap'}
        ref={scrollRef}
        onScroll={onScroll}
        onWheel={markIntent}
        onTouchMove={markIntent}
        onMouseDown={markIntent}
        onKeyDown={markIntent}
        tabIndex={0}
        data-testid="log-scroll"
        data-following={following}
      >
        <div className="log-inner" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((v) => {
            const line = lines[v.index]!;
            return (
              <div key={v.key} ref={virtualizer.measureElement} data-index={v.index} className="log-line" data-testid="log-line" data-n={line.n} style={{ transform: `translateY(${v.start}px)` }}>
                <span className="log-n" aria-hidden="true">
                  {line.n}
                </span>
                <span className="log-text">
                  {highlightLogText(line.text, line.ts)}
                  {line.truncated && <span className="log-cut"> … (line cut)</span>}
                </span>
              </div>
            );
          })}
        </div>
      </div>
      {!following && (
        <button type="button" className="jump-latest" data-testid="jump-to-latest" onClick={jumpToLatest}>
          ↓ Jump to latest
        </button>
      )}
    </div>
  );
}

export function LogPanel() {
  const target = useUi((s) => s.openLog);
  const close = useUi((s) => s.setOpenLog);
  const buffer = useLive((s) => (target ? s.logs[logKey(target.projectId, target.path)] : undefined));
  const error = useFollowLog(target, 'panel');
  const [wrap, setWrap] = useState(true);
  const [tall, setTall] = useState(false);
  const all = buffer?.lines;
  const workorderId = target?.workorderId;
  // A log several work orders share (coderef's workorder-log.txt) shows the opened one's lines.
  const lines = useMemo(() => (all && workorderId ? linesOfWorkorder(all, workorderId) : (all ?? [])), [all, workorderId]);
  if (!target) return null;
  const copyAll = async () => {
    try {
      await copyText(lines.map((l) => l.text).join('\n'));
      toast.success(`Copied ${count(lines.length, 'line')}`);
    } catch (err) {
      toast.error('Could not copy', { description: err instanceof Error ? err.message : String(err) });
    }
  };
  return (
    <section className={tall ? 'log-panel tall' : 'log-panel'} data-testid="log-panel" aria-label={`Log of ${target.title}`}>
      <header className="log-header">
        <div className="log-heading">
          <strong>{target.title}</strong>
          <span className="mono muted small log-path" title={target.path}>
            {target.path}
          </span>
          {target.runId ? <RunLogState runId={target.runId} lines={lines} lastLineAt={buffer?.lastLineAt ?? null} hasBuffer={buffer !== undefined} /> : <StreamingIndicator lastLineAt={buffer?.lastLineAt ?? null} hasBuffer={buffer !== undefined} />}
          <span className="muted small" data-testid="log-count">
            {count(lines.length, 'line')}
            {workorderId && all ? ` of ${workorderId} (${all.length} in the log)` : ''}
            {buffer?.truncated ? ' (older lines not shown)' : ''}
          </span>
        </div>
        <div className="log-actions">
          {!target.runId && <RevealButtons projectId={target.projectId} path={target.path} />}
          <label className="toggle-label small">
            <input type="checkbox" checked={wrap} onChange={(e) => setWrap(e.target.checked)} data-testid="log-wrap" /> Wrap
          </label>
          <button type="button" onClick={() => void copyAll()} disabled={lines.length === 0} data-testid="copy-all">
            Copy all
          </button>
          <button type="button" className="log-size-toggle" onClick={() => setTall(!tall)} aria-label={tall ? 'Shrink the log panel' : 'Enlarge the log panel'} title={tall ? 'Shrink' : 'Enlarge'}>
            {tall ? '▾' : '▴'}
          </button>
          <button type="button" onClick={() => close(null)} aria-label="Close log" title="Close (Esc)" data-testid="close-log">
            ✕
          </button>
        </div>
      </header>
      {error ? (
        <EmptyState tone="error" title="Cannot follow this log">
          {error}
        </EmptyState>
      ) : !buffer ? (
        <EmptyState tone="loading" title="Waiting for the log…" />
      ) : lines.length === 0 ? (
        <EmptyState title={workorderId && all && all.length > 0 ? `No lines of ${workorderId} yet` : 'The log is empty'}>New lines appear here as they are written.</EmptyState>
      ) : (
        <LogLines lines={lines} wrap={wrap} />
      )}
    </section>
  );
}
