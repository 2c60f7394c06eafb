// A message broadcast to many clients in several calls — an `events` frame written slice by
// slice over turns of the event loop (slices.ts) — is serialized once for all of them. Each
// broadcast call is encoded on its own by the transport, and under load slices are small (about
// a millisecond of socket writes each), so a 500-event frame to 100 clients used to be turned
// into JSON once per slice, each copy costing the event loop milliseconds and living on in the
// write queues of clients that were slow to read.

const frames = new WeakMap<object, { json: string | null }>();

/** Mark `payload` as one frame sent as it is to many clients: it must not change from now on. */
export function shareFrame<T extends object>(payload: T): T {
  if (!frames.has(payload)) frames.set(payload, { json: null });
  return payload;
}

/**
 * The JSON text of a payload marked by shareFrame, serialized on first use and kept as long as
 * the payload is; undefined for anything else.
 */
export function sharedFrameJson(payload: unknown): string | undefined {
  if (payload === null || typeof payload !== 'object') return undefined;
  const frame = frames.get(payload);
  if (!frame) return undefined;
  return (frame.json ??= JSON.stringify(payload));
}
