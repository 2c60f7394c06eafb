// A request that cannot be served, with the code the client sees (shared/protocol.ts
// RequestError), and the mapping from engine errors to those codes.
import type { RequestError } from '../../shared/protocol';

export type RequestErrorCode = RequestError['code'];

export class RequestFailure extends Error {
  constructor(
    readonly code: RequestErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const CODES = new Set<string>(['invalid', 'unknown', 'too_large', 'rate_limited', 'forbidden', 'not_found', 'failed']);

/**
 * The engine rejects with plain errors; say which kind each is. An error may carry its own
 * code; otherwise the file-system code or the wording decides, and `failed` is the rest.
 */
export function classifyEngineError(err: unknown): RequestFailure {
  if (err instanceof RequestFailure) return err;
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && CODES.has(code)) return new RequestFailure(code as RequestErrorCode, message);
  // The engine's path guard (main/engine/path-guard.ts) says where a path led.
  if (code === 'outside_root' || code === 'invalid_path') return new RequestFailure('forbidden', message);
  if (code === 'ENOENT' || code === 'ENOTDIR') return new RequestFailure('not_found', message);
  if (code === 'EACCES' || code === 'EPERM') return new RequestFailure('forbidden', message);
  if (/outside|escape|not allowed|forbidden|symlink/i.test(message)) return new RequestFailure('forbidden', message);
  if (/unknown project|no project|not found|no such|does not exist|missing/i.test(message)) return new RequestFailure('not_found', message);
  return new RequestFailure('failed', message);
}
