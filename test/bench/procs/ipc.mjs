// The few lines a plain-JS bench child needs to talk to its parent: answer requests by `rid`,
// push messages, exit when the parent goes away. (TS children use lib/children.ts.)
export const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

export function push(msg) {
  if (process.connected) process.send(msg);
}

export function serveRequests(handlers) {
  process.on('message', async (msg) => {
    const handler = handlers[msg.type];
    if (!handler) return;
    try {
      const result = (await handler(msg)) ?? {};
      push({ type: 'reply', rid: msg.rid, ...result });
    } catch (err) {
      push({ type: 'reply', rid: msg.rid, error: err instanceof Error ? err.message : String(err) });
    }
  });
  process.on('disconnect', () => process.exit(0));
}
