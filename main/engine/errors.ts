// What went wrong in the engine, said by type so that whoever answers a client (the protocol
// session) picks an error code without reading the message. The message is for people.
export type EngineErrorCode =
  /** No such project, folder or file. */
  | 'not_found'
  /** The input cannot be acted on as given (a file where a folder is needed, a bad setting). */
  | 'invalid'
  /** The operating system refused (permissions). */
  | 'forbidden'
  /** The engine is closed or closing. */
  | 'closed';

export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}
