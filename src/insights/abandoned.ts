import type { Logger } from '../logger';

/** A case this process saw open: where the partner was and when they last wrote. */
interface OpenCase {
  conversationId: string;
  channelId?: string;
  question?: string;
  lastAt: number;
}

export interface AbandonOptions {
  /** ABANDON_AFTER_MINUTES: silence after which an open case is logged as abandoned (default 30). */
  afterMinutes?: number;
  /** How often open cases are checked (default: every minute, or the silence itself if shorter). */
  everyMs?: number;
  now?: () => number;
}

/**
 * Logs `abandoned` (the question the partner left at, how long they were silent) for a case that got no message
 * for ABANDON_AFTER_MINUTES. Why a sweep of this process's open cases: a timer per conversation would pile up
 * and cannot be cancelled across instances, and emitting on the next turn would miss exactly the partners who never
 * come back. The sweep is one interval for all, kept in memory and bounded by the conversations this process
 * served. What it cannot see: cases open when the process restarts (the report then falls back to its own rule,
 * "no answer card and silent for that long"), and a conversation that moved on to another instance may be logged
 * here by mistake — the report ignores an `abandoned` line followed by more of the same case.
 */
export class AbandonWatch {
  private readonly open = new Map<string, OpenCase>();
  private timer?: NodeJS.Timeout;
  private readonly afterMs: number;
  private readonly now: () => number;

  constructor(
    private readonly log: Logger,
    private readonly options: AbandonOptions = {},
  ) {
    this.afterMs = (options.afterMinutes ?? 30) * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Checks every minute in the background (the timer does not keep the process alive); again: no second timer. */
  start(): void {
    this.timer ??= setInterval(() => this.sweep(), this.options.everyMs ?? Math.min(60_000, this.afterMs));
    this.timer.unref();
  }

  /** No more sweeps (shutdown); the open cases are kept, and `start()` resumes. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** A case began or goes on (a question asked: where the partner is now). */
  caseOpen(conversationId: string, channelId: string | undefined, question?: string): void {
    const known = this.open.get(conversationId);
    this.open.set(conversationId, {
      conversationId,
      channelId,
      question: question ?? known?.question,
      lastAt: this.now(),
    });
  }

  /** The partner wrote: their case, if one is open, is not abandoned yet. */
  seen(conversationId: string): void {
    const known = this.open.get(conversationId);
    if (known) known.lastAt = this.now();
  }

  /** The case reached its answer card. */
  caseClosed(conversationId: string): void {
    this.open.delete(conversationId);
  }

  /** Logs and forgets every open case silent for the configured time. */
  sweep(): void {
    const now = this.now();
    for (const [key, open] of this.open) {
      if (now - open.lastAt < this.afterMs) continue;
      this.open.delete(key);
      this.log.info(
        {
          event: 'abandoned',
          conversationId: open.conversationId,
          channelId: open.channelId,
          question: open.question,
          idleMinutes: Math.round((now - open.lastAt) / 60_000),
        },
        'abandoned',
      );
    }
  }
}
