// The "separate writer process" style: an agent in its own process saving a plan file.
// The write starts here, so the start time is taken here (CLOCK_MONOTONIC is shared).
import { serveRequests } from '../lib/children';
import { nowMs } from '../lib/clock';
import { writeWhole } from '../lib/writers';

serveRequests({
  async write(msg) {
    const t0 = nowMs();
    await writeWhole(String(msg.path), String(msg.text));
    return { t0, t1: nowMs() };
  },
});
process.send?.({ type: 'ready' });
