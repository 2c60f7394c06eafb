import { useNow } from '../app/clock';
import { formatAge, formatClock, formatDateTime, formatDuration } from '../app/format';

/** "12 s ago", kept current, with the exact time on hover. */
export function Age({ at, prefix = '' }: { at: number | null | undefined; prefix?: string }) {
  const now = useNow();
  return (
    <time className="age" dateTime={at ? new Date(at).toISOString() : undefined} title={at ? formatDateTime(at) : undefined}>
      {prefix}
      {formatAge(at, now)}
    </time>
  );
}

/** "for 3 min": how long something has held. */
export function Since({ at }: { at: number }) {
  const now = useNow();
  return (
    <time className="age" dateTime={new Date(at).toISOString()} title={`since ${formatDateTime(at)}`}>
      for {formatDuration(now - at)}
    </time>
  );
}

export function Clock({ at }: { at: number }) {
  return (
    <time className="clock" dateTime={new Date(at).toISOString()} title={formatDateTime(at)}>
      {formatClock(at)}
    </time>
  );
}
