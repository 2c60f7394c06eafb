// The agent of the runs bench: prints `rate` lines a second for `seconds`, after waiting
// `delayMs` (so every client is subscribed before the first line). Each line carries its
// number and the monotonic time it was printed at (ms), which the clients subtract from the
// time they receive it. Lines due in the same 5 ms go out in one write, as a busy agent's do.
const [rate = 1000, seconds = 10, delayMs = 0] = process.argv.slice(2).map(Number);
const total = Math.round(rate * seconds);
const now = () => Number(process.hrtime.bigint()) / 1e6;

process.stdout.write(`printer: ${total} lines at ${rate}/s after ${delayMs} ms\n`);
setTimeout(() => {
  const start = now();
  let printed = 0;
  const tick = () => {
    const due = Math.min(total, Math.floor(((now() - start) * rate) / 1000) + 1);
    if (due > printed) {
      const at = now().toFixed(3);
      let chunk = '';
      while (printed < due) chunk += `L ${++printed} ${at}\n`;
      process.stdout.write(chunk);
    }
    if (printed >= total) {
      process.stdout.write('printer: done\n', () => process.exit(0));
      return;
    }
    setTimeout(tick, 5);
  };
  tick();
}, delayMs);
