// What the journal answers: pages of past events, completions with their cycle times,
// throughput per hour or day, burn-up series and the "while you were away" digest. The
// request schemas bound every parameter, so a client cannot ask for an unbounded scan.
import { z } from 'zod';
import { ItemKindSchema, StatusSchema } from './model';

/** The most events one `history:query` page returns. */
export const HISTORY_PAGE_MAX = 500;
export const HISTORY_PAGE_DEFAULT = 100;

const projectId = z.string().min(1).max(200);
const epochMs = z.number().int().nonnegative();

/**
 * Which past events to return, newest first. `beforeSeq` pages back: pass the `nextBeforeSeq`
 * of the previous page. Events written meanwhile have higher seqs, so pages never shift.
 */
export const HistoryQuerySchema = z
  .object({
    projectId: projectId.optional(),
    /** An item id (plan, stub or work order) as the model has it; pair it with projectId. */
    itemId: z.string().min(1).max(1000).optional(),
    /** Event types to include (default all). Unknown types are refused, not ignored. */
    types: z.array(z.string().min(1).max(50)).min(1).max(32).optional(),
    /** ms since epoch, inclusive. */
    since: epochMs.optional(),
    /** ms since epoch, exclusive. */
    until: epochMs.optional(),
    beforeSeq: z.number().int().positive().optional(),
    limit: z.number().int().min(1).max(HISTORY_PAGE_MAX).optional(),
  })
  .strict();
export type HistoryQuery = z.infer<typeof HistoryQuerySchema>;

export const BurnupPointSchema = z.object({ ts: z.number(), done: z.number().int(), total: z.number().int() });
export type BurnupPoint = z.infer<typeof BurnupPointSchema>;

export const BurnupSeriesSchema = z.object({ projectId: z.string(), points: z.array(BurnupPointSchema) });
export type BurnupSeries = z.infer<typeof BurnupSeriesSchema>;

export const BurnupQuerySchema = z
  .object({
    /** One project, or every project the journal knows. */
    projectId: projectId.optional(),
    since: epochMs.optional(),
    until: epochMs.optional(),
  })
  .strict();
export type BurnupQuery = z.infer<typeof BurnupQuerySchema>;

export const ThroughputQuerySchema = z
  .object({
    bucket: z.enum(['hour', 'day']),
    since: epochMs.optional(),
    until: epochMs.optional(),
    /**
     * Minutes to add to UTC for the reader's local day (Date#getTimezoneOffset negated), so a
     * day bucket is the reader's midnight to midnight. Ignored for hours.
     */
    utcOffsetMinutes: z
      .number()
      .int()
      .min(-14 * 60)
      .max(14 * 60)
      .optional(),
    projectId: projectId.optional(),
  })
  .strict();
export type ThroughputQuery = z.infer<typeof ThroughputQuerySchema>;

/** The most transitions a digest looks at; older ones are counted as `truncated`. */
export const DIGEST_MAX_EVENTS = 5000;

export const DigestQuerySchema = z.object({ sinceSeq: z.number().int().nonnegative() }).strict();
export type DigestQuery = z.infer<typeof DigestQuerySchema>;

export const DIGEST_KINDS = ['failed', 'stalled', 'finished', 'started'] as const;
export type DigestKind = (typeof DIGEST_KINDS)[number];

export const DigestEntrySchema = z.object({
  what: z.enum(DIGEST_KINDS),
  seq: z.number().int().nonnegative(),
  at: z.number(),
  projectId: z.string(),
  kind: ItemKindSchema.nullable(),
  id: z.string().nullable(),
  title: z.string(),
  from: StatusSchema.nullable(),
});
export type DigestEntry = z.infer<typeof DigestEntrySchema>;

export const DigestSchema = z.object({
  sinceSeq: z.number().int().nonnegative(),
  throughSeq: z.number().int().nonnegative(),
  /** Most important first: failed, stalled, finished, started; newest first within each. */
  entries: z.array(DigestEntrySchema),
  perProject: z.array(
    z.object({
      projectId: z.string(),
      failed: z.number().int(),
      stalled: z.number().int(),
      finished: z.number().int(),
      started: z.number().int(),
    }),
  ),
  /** More happened than the digest looked at (DIGEST_MAX_EVENTS); counts cover what it saw. */
  truncated: z.boolean(),
});
export type Digest = z.infer<typeof DigestSchema>;
