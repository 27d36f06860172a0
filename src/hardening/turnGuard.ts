import type { Activity, Middleware, ResourceResponse, TurnContext } from 'botbuilder';
import { securityMessages } from '../messages/security';
import { localeLang } from '../http/tenantGate';
import type { Lang } from '../knowledge/schema';
import type { Logger } from '../logger';

export interface TurnGuardOptions {
  log?: Logger;
  /** The user's language for the "one moment" reply; defaults to the activity's locale. */
  langOf?: (context: TurnContext) => Lang | Promise<Lang>;
  /** How many recent activity ids are remembered (all conversations together) to spot redeliveries. */
  rememberedIds?: number;
  /** How many of those keep their replies, to answer an expectReplies redelivery exactly as the first time. */
  rememberedReplies?: number;
}

interface InFlight {
  activityId?: string;
  type: string;
  /** Resolves when the turn ends: true when it completed (so a redelivery of it must not run again). */
  finished: Promise<boolean>;
}

/**
 * Adapter middleware that keeps one conversation's turns from trampling each other inside this process:
 * - a redelivered activity (same conversation and activity id) is not run again; an expectReplies caller gets
 *   the first delivery's replies back, so a client retry after a lost response still shows the question;
 * - a second message while a message turn of the same conversation is running (a double-click on a card button)
 *   is not run: the user is asked to wait and answer the current question, so the first answer wins;
 * - anything else (conversationUpdate, typing, a message behind a conversationUpdate) waits its turn and then runs.
 * Cross-instance conflicts are the storage's eTag check; this guard only serialises turns within one process.
 */
export class TurnGuard implements Middleware {
  private readonly inFlight = new Map<string, InFlight>();
  /** Recently completed activities; Map insertion order doubles as age, the oldest are forgotten first. */
  private readonly handled = new Map<string, true>();
  /** Replies of recent expectReplies turns, replayed on redelivery; a smaller cap, as cards are large. */
  private readonly replies = new Map<string, Partial<Activity>[]>();
  private readonly log?: Logger;
  private readonly langOf: (context: TurnContext) => Lang | Promise<Lang>;
  private readonly rememberedIds: number;
  private readonly rememberedReplies: number;
  private idleWaiters: (() => void)[] = [];

  constructor(options: TurnGuardOptions = {}) {
    this.log = options.log;
    this.langOf = options.langOf ?? localeLang;
    this.rememberedIds = options.rememberedIds ?? 20_000;
    this.rememberedReplies = options.rememberedReplies ?? 500;
  }

  /** Turns running right now (for /healthz and graceful shutdown). */
  get turnsInFlight(): number {
    return this.inFlight.size;
  }

  /** Resolves once no turn is running. */
  idle(): Promise<void> {
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { activity } = context;
    const conversationId = activity.conversation?.id;
    if (typeof conversationId !== 'string' || !conversationId) return next();
    const conversationKey = `${activity.channelId}\u0000${conversationId}`;
    const activityKey =
      typeof activity.id === 'string' && activity.id ? `${conversationKey}\u0000${activity.id}` : '';

    if (activityKey && this.handled.has(activityKey)) return this.redelivered(context, activityKey);

    let running = this.inFlight.get(conversationKey);
    if (running && activityKey && running.activityId === activity.id) {
      if (await running.finished) return this.redelivered(context, activityKey);
    } else if (running && running.type === 'message' && activity.type === 'message') {
      this.log?.info({ event: 'turnBusy', conversationId }, 'message arrived while a turn was running');
      await context.sendActivity(securityMessages.busy[await this.langOf(context)]);
      return;
    }
    while (running) {
      await running.finished;
      running = this.inFlight.get(conversationKey);
    }
    return this.run(context, next, conversationKey, activityKey);
  }

  private async run(
    context: TurnContext,
    next: () => Promise<void>,
    conversationKey: string,
    activityKey: string,
  ) {
    const keepReplies = activityKey !== '' && context.activity.deliveryMode === 'expectReplies';
    const replies: Partial<Activity>[] = [];
    if (keepReplies) {
      context.onSendActivities(async (_ctx, activities, sendNext): Promise<ResourceResponse[]> => {
        replies.push(...activities);
        return sendNext();
      });
    }
    let finish!: (completed: boolean) => void;
    const finished = new Promise<boolean>((resolve) => (finish = resolve));
    this.inFlight.set(conversationKey, {
      activityId: context.activity.id,
      type: context.activity.type,
      finished,
    });
    let completed = false;
    try {
      await next();
      completed = true;
      if (activityKey) this.remember(activityKey, keepReplies ? replies : undefined);
    } finally {
      this.inFlight.delete(conversationKey);
      finish(completed);
      if (this.inFlight.size === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const wake of waiters) wake();
      }
    }
  }

  private async redelivered(context: TurnContext, activityKey: string): Promise<void> {
    this.log?.info(
      {
        event: 'redelivery',
        conversationId: context.activity.conversation?.id,
        activityId: context.activity.id,
      },
      'activity already handled',
    );
    const replies = this.replies.get(activityKey);
    if (context.activity.deliveryMode === 'expectReplies' && replies?.length)
      await context.sendActivities(replies);
  }

  private remember(activityKey: string, replies: Partial<Activity>[] | undefined): void {
    this.handled.set(activityKey, true);
    if (replies) this.replies.set(activityKey, replies);
    forgetOldest(this.handled, this.rememberedIds);
    forgetOldest(this.replies, this.rememberedReplies);
  }
}

function forgetOldest(map: Map<string, unknown>, keep: number): void {
  for (const key of map.keys()) {
    if (map.size <= keep) return;
    map.delete(key);
  }
}
