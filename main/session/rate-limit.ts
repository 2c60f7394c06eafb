// A per-client message budget: a token bucket lets a client burst (a page load sends a few
// requests at once) while capping its sustained rate, and counts refusals so a client that
// keeps hammering after being told can be dropped.

export interface RateLimitOptions {
  /** Messages per second refilled into the bucket. */
  perSecond: number;
  /** Bucket size: how many messages may arrive at once. */
  burst: number;
  /** Refused messages within `abuseWindowMs` after which the client is disconnected. */
  abuseLimit: number;
  abuseWindowMs: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = {
  perSecond: 20,
  burst: 40,
  abuseLimit: 200,
  abuseWindowMs: 10_000,
};

export type RateDecision = 'allow' | 'refuse' | 'abuse';

export class MessageRateLimiter {
  private tokens: number;
  private last: number;
  private refused = 0;
  private windowStart: number;

  constructor(
    readonly options: RateLimitOptions = DEFAULT_RATE_LIMIT,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = options.burst;
    this.last = now();
    this.windowStart = this.last;
  }

  /** Spend one message: allowed, refused (tell the client), or abuse (drop the client). */
  take(): RateDecision {
    const now = this.now();
    this.tokens = Math.min(this.options.burst, this.tokens + ((now - this.last) / 1000) * this.options.perSecond);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 'allow';
    }
    if (now - this.windowStart > this.options.abuseWindowMs) {
      this.windowStart = now;
      this.refused = 0;
    }
    this.refused += 1;
    return this.refused >= this.options.abuseLimit ? 'abuse' : 'refuse';
  }
}
