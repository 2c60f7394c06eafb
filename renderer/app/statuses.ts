// The status vocabulary as values, without importing shared/model at runtime (that module
// builds zod schemas, which would put zod in the renderer bundle). A record keyed by every
// status makes the compiler reject a missing or unknown one.
import type { Status } from '../../shared/model';

const ALL: Record<Status, true> = {
  backlog: true,
  todo: true,
  in_progress: true,
  review: true,
  blocked: true,
  done: true,
  failed: true,
  cancelled: true,
  unknown: true,
};

/** In the order of shared/model's STATUSES (a test keeps them equal). */
export const STATUSES = Object.keys(ALL) as Status[];
