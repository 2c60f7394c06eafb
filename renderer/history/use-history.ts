// Asking the journal from a view: one history request, sent again when `refreshKey` changes
// (new events arrived), never more often than every `minIntervalMs`, with the last answer kept
// on screen meanwhile and a failure shown as what it is.
import { useEffect, useRef, useState } from 'react';
import type { RequestPayload, RequestResults } from '../../shared/protocol';
import { useServices } from '../app/context';

export type HistoryRequest = 'history:query' | 'history:burnup' | 'history:throughput' | 'history:digest';

export interface HistoryAnswer<R extends HistoryRequest> {
  data: RequestResults[R] | null;
  error: string | null;
  loading: boolean;
}

export function useHistory<R extends HistoryRequest>(name: R, payload: RequestPayload<R>, refreshKey: unknown, minIntervalMs = 2000): HistoryAnswer<R> {
  const { sync } = useServices();
  const [answer, setAnswer] = useState<HistoryAnswer<R>>({ data: null, error: null, loading: true });
  const lastAsked = useRef(0);
  const payloadKey = JSON.stringify(payload);

  useEffect(() => {
    let cancelled = false;
    const wait = Math.max(0, lastAsked.current + minIntervalMs - Date.now());
    const timer = setTimeout(() => {
      lastAsked.current = Date.now();
      void sync.request(name, JSON.parse(payloadKey) as RequestPayload<R>).then((reply) => {
        if (cancelled) return;
        if (reply.ok) setAnswer({ data: reply.data, error: null, loading: false });
        else setAnswer((before) => ({ data: before.data, error: reply.error.message, loading: false }));
      });
    }, wait);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [sync, name, payloadKey, refreshKey, minIntervalMs]);

  return answer;
}
