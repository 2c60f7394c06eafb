// Replies in the protocol's shape ({ok, data} | {ok, error}) for the desktop handlers: a
// failure is an answer the window can show, never an exception across IPC. Error codes are
// chosen the way the protocol session chooses them (main/session/request-failure.ts).
import type { Reply, RequestError } from '../../shared/protocol';
import { requestErrorOf } from '../session/request-failure';

export { RequestFailure } from '../session/request-failure';

export const ok = <T>(data: T): Reply<T> => ({ ok: true, data });

export const fail = (event: string, code: RequestError['code'], message: string): Reply<never> => ({
  ok: false,
  error: { event, code, message },
});

/** Run a handler and turn whatever it throws into an error reply that names the request. */
export async function replyFrom<T>(event: string, run: () => Promise<T> | T): Promise<Reply<T>> {
  try {
    return ok(await run());
  } catch (err) {
    return { ok: false, error: requestErrorOf(event, err) };
  }
}
