// A request about runs that cannot be served, with the code a client sees (the protocol's
// RequestError codes), so every transport answers it the same way.
export type RunErrorCode = 'not_found' | 'invalid' | 'forbidden' | 'failed';

export class RunError extends Error {
  constructor(
    readonly code: RunErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RunError';
  }
}
