// Turn a failed listen into a sentence a person can act on (the way Vite words its port message).

export class ListenError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ListenError';
  }
}

export function explainListenError(err: NodeJS.ErrnoException, host: string, port: number): ListenError {
  switch (err.code) {
    case 'EADDRINUSE':
      return new ListenError(err.code, `Port ${port} is in use — start with --port 0 to pick a free one`);
    case 'EACCES':
      return new ListenError(err.code, `Port ${port} needs privileges on this system — use a port above 1023, or --port 0`);
    case 'EADDRNOTAVAIL':
      return new ListenError(err.code, `Cannot listen on ${host}: no network interface here has that address — use --host 127.0.0.1 or one of this machine's addresses`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ListenError(err.code, `Cannot listen on ${host}: the name does not resolve — use an IP address with --host`);
    default:
      return new ListenError(err.code ?? 'ELISTEN', `Cannot listen on ${host}:${port}: ${err.message}`);
  }
}
