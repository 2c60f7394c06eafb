#!/usr/bin/env node
// `dist/hook.cjs`: the entry agents' hook configurations run (`vigil hooks install` writes
// it). The same command as `vigil hook`, in a bundle of its own that starts in tens of
// milliseconds. It exits 0, always, as soon as its work is done or its time is up.
import { hookDeadline, run } from './commands/hook';

const deadline = setTimeout(() => {
  process.stderr.write('vigil hook: out of time (a busy machine); this event may be lost\n');
  process.exit(0);
}, Math.max(1, hookDeadline() - 10 - performance.now()));
run(process.argv.slice(2)).then(
  () => {
    clearTimeout(deadline);
    process.exit(0);
  },
  () => process.exit(0),
);
