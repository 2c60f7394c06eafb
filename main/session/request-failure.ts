// A request that cannot be served, with the code the client sees (RequestError in
// shared/protocol.ts), and the one mapping from what the layers below throw to those codes.
// Below the session an error says what it is by its type (EngineError, PathGuardError) or by
// the file-system code Node gives it; its message is for people and never picks the code.
import type { RequestError } from '../../shared/protocol';
import { EngineError, type EngineErrorCode } from '../engine/errors';
import { PathGuardError, type PathGuardCode } from '../engine/path-guard';

export type RequestErrorCode = RequestError['code'];

export class RequestFailure extends Error {
  constructor(
    readonly code: RequestErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RequestFailure';
  }
}

const ENGINE_CODES: Record<EngineErrorCode, RequestErrorCode> = {
  not_found: 'not_found',
  invalid: 'invalid',
  forbidden: 'forbidden',
  closed: 'failed',
};

const PATH_CODES: Record<PathGuardCode, RequestErrorCode> = {
  invalid_path: 'forbidden',
  outside_root: 'forbidden',
  not_found: 'not_found',
  not_regular: 'forbidden',
};

const ERRNO_CODES: Record<string, RequestErrorCode> = {
  ENOENT: 'not_found',
  ENOTDIR: 'not_found',
  EACCES: 'forbidden',
  EPERM: 'forbidden',
  // A final symbolic link met by an O_NOFOLLOW open: Vigil does not follow it.
  ELOOP: 'forbidden',
};

/** The failure a client is told about for anything a handler threw. */
export function failureOf(err: unknown): RequestFailure {
  if (err instanceof RequestFailure) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof EngineError) return new RequestFailure(ENGINE_CODES[err.code], message);
  if (err instanceof PathGuardError) return new RequestFailure(PATH_CODES[err.code], message);
  const errno = (err as NodeJS.ErrnoException | null)?.code;
  if (typeof errno === 'string' && Object.prototype.hasOwnProperty.call(ERRNO_CODES, errno)) {
    return new RequestFailure(ERRNO_CODES[errno]!, message);
  }
  return new RequestFailure('failed', message);
}

/** `failureOf` as the RequestError of one request. */
export function requestErrorOf(event: string, err: unknown): RequestError {
  const failure = failureOf(err);
  return { event, code: failure.code, message: failure.message };
}
