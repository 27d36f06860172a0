/**
 * How often one client may open a conversation: a token bucket per client address. One page load takes one token;
 * a script that asks for hundreds a second is told to slow down (429 with Retry-After) long before the conversation
 * slots run out. Buckets of clients not seen for a while are dropped, and at most `maxClients` are kept.
 */
export class IssuanceLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    /** Conversations a client may open in a burst. */
    private readonly burst: number,
    /** Then one more every this many ms. */
    private readonly refillMs: number,
    private readonly now: () => number,
    private readonly maxClients = 10_000,
  ) {}

  /** Takes one issuance for `client`: 0 when allowed, else the seconds to wait before the next one. */
  take(client: string): number {
    const now = this.now();
    const bucket = this.buckets.get(client);
    const refilled = bucket
      ? Math.min(this.burst, bucket.tokens + (now - bucket.at) / this.refillMs)
      : this.burst;
    if (refilled < 1) {
      this.buckets.set(client, { tokens: refilled, at: now });
      return Math.max(1, Math.ceil(((1 - refilled) * this.refillMs) / 1000));
    }
    // re-inserted at the end: the map stays ordered from least to most recently seen
    this.buckets.delete(client);
    this.buckets.set(client, { tokens: refilled - 1, at: now });
    this.forgetOld(now);
    return 0;
  }

  /** A full bucket holds nothing worth keeping; the oldest go first beyond maxClients. */
  private forgetOld(now: number): void {
    const fullAfter = this.burst * this.refillMs;
    for (const [client, bucket] of this.buckets) {
      if (this.buckets.size <= this.maxClients && now - bucket.at < fullAfter) return;
      this.buckets.delete(client);
    }
  }
}
