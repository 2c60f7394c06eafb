// Loaded into the server under test with `node --import` by the latency bench when asked
// (BENCH_LATENCY_SPLIT=1), never by Vigil itself: when did the server hand each `events` frame to
// its first and to its last socket? socket.io encodes a broadcast once and ws writes the same
// payload buffer to every socket, so a frame is known by the last `"seq":N` in its payload.
// Times are ms on the monotonic clock every process of the bench shares (lib/clock.ts nowMs, which
// the client side turns the hub's `ts` into); written as JSON to BENCH_WRITE_PROBE_FILE when the
// process exits.
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import { nowMs } from './ipc.mjs';

const file = process.env.BENCH_WRITE_PROBE_FILE;
if (file) {
  const EVENTS = Buffer.from('42["events"');
  const SEQ = Buffer.from('"seq":');
  /**
   * seq → [first write, last write, sockets written, slices]. A slice is one synchronous run of
   * writes (one turn of the event loop): a microtask queued at its first write ends it.
   */
  const frames = new Map();
  let lastPayload = null;
  let lastFrame = null;
  let inSlice = false;
  const sliceOver = () => (inSlice = false);
  const countSlice = (frame) => {
    if (inSlice) return;
    inSlice = true;
    frame[3]++;
    queueMicrotask(sliceOver);
  };
  const write = net.Socket.prototype.write;
  net.Socket.prototype.write = function probedWrite(data, ...rest) {
    if (data === lastPayload) {
      if (lastFrame) {
        lastFrame[1] = nowMs();
        lastFrame[2]++;
        countSlice(lastFrame);
      }
    } else if (Buffer.isBuffer(data) && data.length > EVENTS.length && data.compare(EVENTS, 0, EVENTS.length, 0, EVENTS.length) === 0) {
      const at = nowMs();
      const i = data.lastIndexOf(SEQ);
      let seq = 0;
      for (let j = i + SEQ.length; i >= 0 && j < data.length && data[j] >= 48 && data[j] <= 57; j++) seq = seq * 10 + (data[j] - 48);
      lastPayload = data;
      lastFrame = frames.get(seq) ?? null;
      if (lastFrame) {
        lastFrame[1] = at;
        lastFrame[2]++;
      } else {
        lastFrame = [at, at, 1, 0];
        frames.set(seq, lastFrame);
      }
      countSlice(lastFrame);
    }
    return write.call(this, data, ...rest);
  };
  process.on('exit', () => {
    writeFileSync(file, JSON.stringify(Object.fromEntries(frames)));
  });
}
