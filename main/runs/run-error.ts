// A request about runs that cannot be served, said by type so the protocol session picks the
// client's error code without reading the message: an EngineError, whose codes it maps.
import { EngineError } from '../engine/errors';

export type RunErrorCode = 'not_found' | 'invalid' | 'failed';

export class RunError extends EngineError {
  constructor(code: RunErrorCode, message: string) {
    // A run that could not be done for a reason of the moment (closing, a full queue) is 'closed',
    // which clients see as 'failed'.
    super(code === 'failed' ? 'closed' : code, message);
    this.name = 'RunError';
  }
}
