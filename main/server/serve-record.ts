// Where a running `vigil serve` can be found by the other commands of the same user: a small
// file in the config folder (mode 0600) with its pid and a loopback URL. `vigil run` uses it
// to start runs in the engine that is already watching, instead of a second one of its own.
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../engine/json-file';

export const SERVE_RECORD_FILE = 'serve.json';

const ServeRecordSchema = z.object({ pid: z.number().int().positive(), url: z.string().url(), startedAt: z.number() });
export type ServeRecord = z.infer<typeof ServeRecordSchema>;

export async function writeServeRecord(configDir: string, record: ServeRecord): Promise<void> {
  await writeFileAtomic(join(configDir, SERVE_RECORD_FILE), `${JSON.stringify(record)}\n`);
}

/** Remove the record if it is still ours (a newer serve may have replaced it). */
export async function removeServeRecord(configDir: string, pid: number = process.pid): Promise<void> {
  const record = await readRecord(configDir);
  if (record?.pid === pid) await unlink(join(configDir, SERVE_RECORD_FILE)).catch(() => undefined);
}

async function readRecord(configDir: string): Promise<ServeRecord | null> {
  try {
    const parsed = ServeRecordSchema.safeParse(JSON.parse(await readFile(join(configDir, SERVE_RECORD_FILE), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The serve running for this config folder, or null (none, or one that died without cleaning up). */
export async function findRunningServe(configDir: string): Promise<ServeRecord | null> {
  const record = await readRecord(configDir);
  if (!record) return null;
  try {
    process.kill(record.pid, 0);
    return record;
  } catch {
    return null;
  }
}

/** A URL this machine can reach a server at: a wildcard bind is reached on loopback. */
export function loopbackUrl(host: string, port: number): string {
  const wildcard = host === '0.0.0.0' || host === '::' || host === '';
  const shown = wildcard ? '127.0.0.1' : host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${shown}:${port}/`;
}
