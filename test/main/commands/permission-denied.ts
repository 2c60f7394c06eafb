// A folder the CLI cannot read, made the same way wherever the repository is checked out.
// Root reads every folder whatever its mode (CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH), so as
// root the CLI runs without those two capabilities instead of as another user: another user
// may not be able to reach the checkout's dist/ at all (a clone inside a private home folder).
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runningAsRoot = process.getuid?.() === 0;
const SETPRIV = '/usr/bin/setpriv';

/** The command and arguments that run `args` with permission checks the way an ordinary user has them. */
export function withoutReadOverride(command: string, args: string[]): { command: string; args: string[] } {
  if (!runningAsRoot) return { command, args };
  return { command: SETPRIV, args: ['--bounding-set=-dac_override,-dac_read_search', command, ...args] };
}

/**
 * A fresh folder with mode 000 that a process started through `withoutReadOverride` cannot read.
 * Throws with a clear message when this machine cannot make one, so a test never passes vacuously.
 */
export function makeUnreadableFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(folder, 0o000);
  const probe = withoutReadOverride(process.execPath, [
    '-e',
    `try { require('fs').readdirSync(${JSON.stringify(folder)}); process.stdout.write('readable') } catch (e) { process.stdout.write(e.code) }`,
  ]);
  let seen: string;
  try {
    seen = execFileSync(probe.command, probe.args, { encoding: 'utf8' });
  } catch (err) {
    throw new Error(`Cannot set up an unreadable folder: running ${probe.command} failed (${(err as Error).message}). As root this needs util-linux's setpriv.`);
  }
  if (seen !== 'EACCES') {
    throw new Error(`Cannot set up an unreadable folder: ${folder} with mode 000 was still readable (${seen}); the test would prove nothing.`);
  }
  return folder;
}
