// How to ask `vigil serve` for more clients than its default cap (64): the flag is looked up in
// its own --help, so the bench follows the CLI rather than guessing it.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CLI } from './vigil';

const run = promisify(execFile);

export async function serveHelp(): Promise<string> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, 'serve', '--help'], { timeout: 10_000 });
    return stdout + stderr;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return (e.stdout ?? '') + (e.stderr ?? '');
  }
}

export async function serveArgsForClients(clients: number): Promise<string[]> {
  const help = await serveHelp();
  const flag = /--max-clients\b/.exec(help)?.[0];
  // A margin above the bench's own clients, for nothing else: the cap stays a cap.
  return flag ? [flag, String(clients + 16)] : [];
}
