// Who may connect: every socket and every /api request presents a token (docs/architecture.md,
// security). Browsers pass it in the socket.io handshake (`auth: { token }`); scripts may use an
// `Authorization: Bearer` header instead. Never a query string: URLs end up in logs.
import type { IncomingHttpHeaders } from 'node:http';
import type { TokenGrant, TokenStore } from './tokens';

/** What a refused connection tells the client, as socket.io `connect_error` data. */
export interface ConnectRefusal {
  code: 'unauthorized' | 'server_full' | 'token_limit';
  message: string;
}

/** An Error with `data`, which socket.io hands to the client's `connect_error` listener. */
export class ConnectRefusedError extends Error {
  readonly data: ConnectRefusal;
  constructor(refusal: ConnectRefusal) {
    super(refusal.message);
    this.data = refusal;
  }
}

export function bearerToken(authorization: string | undefined): string | null {
  if (!authorization) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match?.[1] ?? null;
}

export function handshakeToken(handshake: { auth: Record<string, unknown>; headers: IncomingHttpHeaders }): string | null {
  const fromAuth = handshake.auth?.token;
  if (typeof fromAuth === 'string' && fromAuth.length > 0) return fromAuth;
  return bearerToken(handshake.headers.authorization);
}

/** Check a handshake's token: the grant, or the refusal to send back. */
export function authenticate(
  tokens: Pick<TokenStore, 'verify'>,
  token: string | null,
): { ok: true; grant: TokenGrant } | { ok: false; refusal: ConnectRefusal } {
  if (token === null) {
    return {
      ok: false,
      refusal: {
        code: 'unauthorized',
        message: 'A token is required: open the URL `vigil serve` printed, or pass auth: { token } (see `vigil token create`).',
      },
    };
  }
  const grant = tokens.verify(token);
  // A hook token may post agent events over HTTP and nothing else: no socket, nothing to read.
  if (grant?.scope === 'hook') {
    return {
      ok: false,
      refusal: { code: 'unauthorized', message: 'A hook token can only post agent events; open the dashboard with a read or control token.' },
    };
  }
  if (!grant) {
    return {
      ok: false,
      refusal: {
        code: 'unauthorized',
        message: 'This token is not valid (mistyped or revoked): `vigil token list` shows the valid ones.',
      },
    };
  }
  return { ok: true, grant };
}
