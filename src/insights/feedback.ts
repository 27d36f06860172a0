import { createHash } from 'node:crypto';
import { z } from 'zod';
import { isETagConflict, type ConditionalStorage } from '../storage/conditional';
import { FeedbackReason } from '../understand/submit';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * One answer to "Did this answer your question?": the outcome it is about, yes or no, the reason, the case's
 * answers (option ids), the language and the channel. Never the partner's words, except the comment they typed
 * into the comment box (when FEEDBACK_COMMENTS allows it).
 */
export const FeedbackRecord = z.object({
  at: z.string(),
  /** The same partner's vote on the same answer, hashed: a later record (the reason after "no") replaces it. */
  vote: z.string(),
  routeId: z.string(),
  helpful: z.boolean(),
  reason: FeedbackReason.optional(),
  comment: z.string().max(500).optional(),
  answers: z.record(z.string(), z.string()),
  lang: z.enum(['ja', 'en']),
  channelId: z.string().optional(),
});
export type FeedbackRecord = z.infer<typeof FeedbackRecord>;

/** A UTC day's records, each vote once, and how many votes came after the day was full. */
const DayItem = z.object({ records: z.array(FeedbackRecord), dropped: z.number().int().min(0).default(0) });

/** What the store holds for some days: each vote once (its latest record), and the votes not kept. */
export interface StoredFeedback {
  records: FeedbackRecord[];
  /** Votes that came after their day held `maxRecordsPerDay` (counted, not kept). */
  dropped: number;
}

/**
 * A day item is read and written whole on every vote: 2,000 records (about 1 MB with comments) keep that quick; a
 * day with more votes is not a day of normal use.
 */
const MAX_RECORDS_PER_DAY = 2_000;

export interface FeedbackOptions {
  /** Keep the optional comment (FEEDBACK_COMMENTS=on, the default); off: neither asked for nor stored. */
  comments?: boolean;
  /** Writes tried per record when other instances write the same day at once (default 8). */
  attempts?: number;
  /** Votes kept per UTC day (default 2,000): the first ones are kept, later ones only counted. */
  maxRecordsPerDay?: number;
}

/** The key of a vote: the conversation and the answer, hashed (the store keeps no conversation id). */
export function voteOf(conversationId: string, routeId: string): string {
  return createHash('sha256').update(`${conversationId}\u0000${routeId}`).digest('base64url').slice(0, 16);
}

const dayOf = (at: string) => at.slice(0, 10);
const keyOf = (day: string) => `feedback-${day}`;

/**
 * Feedback records, one item per UTC day ("feedback-2026-12-01") in their own store: memory, or the state's Blob
 * account in its own container. Adding reads the day, puts the record in (in place of the same vote's earlier one,
 * e.g. the reason after "no") and writes only if nobody wrote the day meanwhile (the eTag read); on a conflict it
 * reads again and retries, so records written at once by several turns or instances are all kept. A day holds at
 * most `maxRecordsPerDay` votes; a new vote after that is counted in the item, not kept. Writes of this process are
 * queued one after another.
 */
export class FeedbackStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly storage: ConditionalStorage,
    readonly options: FeedbackOptions = {},
  ) {}

  get comments(): boolean {
    return this.options.comments !== false;
  }

  add(record: FeedbackRecord): Promise<void> {
    const kept = FeedbackRecord.parse(this.comments ? record : { ...record, comment: undefined });
    const added = this.queue.then(() => this.append(kept));
    this.queue = added.catch(() => undefined);
    return added;
  }

  private async append(record: FeedbackRecord): Promise<void> {
    const key = keyOf(dayOf(record.at));
    const attempts = this.options.attempts ?? 8;
    for (let attempt = 1; ; attempt++) {
      const stored = (await this.storage.read([key]))[key] as { eTag?: string } | undefined;
      const day = DayItem.safeParse(stored);
      const { records, dropped } = day.success ? day.data : { records: [], dropped: 0 };
      const same = records.findIndex((earlier) => earlier.vote === record.vote);
      const full = records.length >= (this.options.maxRecordsPerDay ?? MAX_RECORDS_PER_DAY);
      const next =
        same >= 0
          ? { records: records.map((earlier, index) => (index === same ? record : earlier)), dropped }
          : full
            ? { records, dropped: dropped + 1 }
            : { records: [...records, record], dropped };
      try {
        await this.storage.writeIfUnchanged(key, next, stored?.eTag ?? null);
        return;
      } catch (error) {
        if (!isETagConflict(error) || attempt >= attempts) throw error;
        // another instance wrote the day first: read it again, after a short random wait
        await sleep(Math.random() * 20 * attempt);
      }
    }
  }

  /** The records of these UTC days ("2026-12-01"), each vote once (its latest record), and the votes not kept. */
  async read(days: string[]): Promise<StoredFeedback> {
    const items = await this.storage.read(days.map(keyOf));
    const latest = new Map<string, FeedbackRecord>();
    let dropped = 0;
    for (const day of days) {
      const parsed = DayItem.safeParse(items[keyOf(day)]);
      if (!parsed.success) continue;
      // items written before votes were replaced in place hold a vote more than once: the last one counts
      for (const record of parsed.data.records) latest.set(record.vote, record);
      dropped += parsed.data.dropped;
    }
    return { records: [...latest.values()], dropped };
  }
}
