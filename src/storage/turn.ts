import { hash } from 'node:crypto';
import type { Activity, BotState, Middleware, ResourceResponse, TurnContext } from 'botbuilder';
import type { Lang } from '../knowledge/schema';
import type { Logger } from '../logger';
import { localeLang } from '../http/tenantGate';
import { isETagConflict } from './conditional';
import { storageMessages } from './messages';
import { STATE_VERSION_PROPERTY, isOutdated, isUnknownDialog } from './version';

const REPLY_BUFFER = Symbol('replyBuffer');

/** Where conversation state keeps the fingerprint of the last message it has taken in. */
export const LAST_MESSAGE_PROPERTY = 'lastMessage';

/**
 * Holds a turn's replies until its state is saved, so an attempt that loses an eTag conflict sends nothing.
 * A held reply gets an empty id: the bot cannot update or delete its own reply within the same turn.
 */
export class ReplyBuffer {
  private held?: Partial<Activity>[];

  constructor(context: TurnContext) {
    context.onSendActivities(async (_context, activities, next): Promise<ResourceResponse[]> => {
      if (!this.held) return next();
      this.held.push(...activities);
      return activities.map(() => ({ id: '' }));
    });
  }

  hold(): void {
    this.held = [];
  }

  async release(context: TurnContext): Promise<void> {
    const held = this.held ?? [];
    this.held = undefined;
    if (held.length > 0) await context.sendActivities(held);
  }

  discard(): void {
    this.held = undefined;
  }
}

/** The turn's reply buffer, installed on first use; the middleware installs it before any other send handler. */
export function replyBufferFor(context: TurnContext): ReplyBuffer {
  let buffer = context.turnState.get(REPLY_BUFFER) as ReplyBuffer | undefined;
  if (!buffer) {
    buffer = new ReplyBuffer(context);
    context.turnState.set(REPLY_BUFFER, buffer);
  }
  return buffer;
}

/**
 * Register first (`adapter.use(replyBufferMiddleware)` before transcript logging), so that replies of an attempt
 * that is thrown away never reach the transcript or any other send handler.
 */
export const replyBufferMiddleware: Middleware = {
  async onTurn(context, next) {
    replyBufferFor(context);
    await next();
  },
};

export type TurnLogic = (context: TurnContext) => Promise<void>;

export interface TurnRunnerOptions {
  conversationState: BotState;
  /** Further states loaded fresh and saved by every attempt, e.g. user state. */
  otherStates?: BotState[];
  /** The current dialog state version (see stateVersionOf); conversations saved with another one restart. */
  stateVersion: string;
  /** The partner's language for the storage layer's few messages. */
  languageOf?: (context: TurnContext) => Lang | Promise<Lang>;
  /**
   * Called instead of the logic when the channel delivers again a message that was already handled and saved
   * (its instance died before answering): show the partner where the conversation is, e.g. ask the current
   * question again. Without it nothing is sent; either way the message is not applied twice.
   */
  answerAgain?: TurnLogic;
  log?: Logger;
}

/** Counters since start, for the health endpoint and the benchmark. */
export interface TurnStats {
  turns: number;
  /** Saves that lost an eTag conflict. */
  conflicts: number;
  /** Turns re-run on fresh state after a conflict. */
  retried: number;
  /** Turns that conflicted again on the re-run and were answered with "please send it again". */
  gaveUp: number;
  /** Conversations restarted because the bot was updated under them. */
  restarted: number;
  /** Messages the channel delivered again after an instance had already handled and saved them (e.g. it died). */
  redelivered: number;
}

/** A redelivery repeats the channel's id, text, value and timestamp; ids alone may repeat after a channel restart. */
function messageFingerprint(activity: Activity): string | undefined {
  if (activity.type !== 'message' || !activity.id) return undefined;
  // each turn asks at least twice (redelivery check, then the record in state): hash once per activity
  let fingerprint = fingerprints.get(activity);
  if (fingerprint === undefined) {
    const { text, value, timestamp } = activity;
    // one-shot hash: same digest as createHash().update().digest(), without building a Hash object
    const digest = hash('sha256', JSON.stringify({ text, value, timestamp }), 'base64url');
    fingerprint = `${activity.id} ${digest.slice(0, 16)}`;
    fingerprints.set(activity, fingerprint);
  }
  return fingerprint;
}

const fingerprints = new WeakMap<Activity, string>();

/**
 * Runs one turn of bot logic on freshly loaded state and saves it conditionally. An eTag conflict (another
 * instance saved this conversation meanwhile) re-runs the turn once on the new state; a second conflict is
 * answered politely and leaves the stored state as the other turn wrote it. Replies of a discarded attempt are
 * never sent. A conversation saved by an older dialog version restarts with a short notice, and a message the
 * channel delivers again after it was handled (by an instance that then died) is not applied twice.
 */
export class TurnRunner {
  readonly stats: TurnStats = { turns: 0, conflicts: 0, retried: 0, gaveUp: 0, restarted: 0, redelivered: 0 };
  private readonly states: BotState[];

  constructor(private readonly options: TurnRunnerOptions) {
    this.states = [options.conversationState, ...(options.otherStates ?? [])];
  }

  async run(context: TurnContext, logic: TurnLogic): Promise<void> {
    this.stats.turns++;
    const replies = replyBufferFor(context);
    let conflicts = 0;
    let unknownDialog = false;
    for (;;) {
      replies.hold();
      try {
        await Promise.all(this.states.map((state) => state.load(context, true)));
        await this.restartIfOutdated(context, unknownDialog);
        if (this.handledBefore(context)) {
          await this.options.answerAgain?.(context);
          await replies.release(context);
          return;
        }
        // Marked before the logic runs, so that its own save (if it saves) is the turn's only write.
        this.markTurn(context);
        await logic(context);
        for (const state of this.states) await state.saveChanges(context);
        await replies.release(context);
        return;
      } catch (error) {
        replies.discard();
        if (isETagConflict(error) && conflicts === 0) {
          conflicts++;
          this.stats.conflicts++;
          this.stats.retried++;
          this.options.log?.info(
            { event: 'stateConflict', outcome: 'retried', ...where(context) },
            'state conflict',
          );
        } else if (isETagConflict(error)) {
          this.stats.conflicts++;
          this.stats.gaveUp++;
          this.options.log?.warn(
            { event: 'stateConflict', outcome: 'gaveUp', ...where(context) },
            'state conflict',
          );
          // What later code of this turn sees (and might save) is what the other turn stored.
          await Promise.all(this.states.map((state) => state.load(context, true)));
          await context.sendActivity(storageMessages.tooManyAtOnce[await this.language(context)]);
          return;
        } else if (isUnknownDialog(error) && !unknownDialog) {
          unknownDialog = true;
        } else {
          throw error;
        }
      }
    }
  }

  /** Clears a conversation saved by another dialog version (or naming a dialog we lack) and says so. */
  private async restartIfOutdated(context: TurnContext, unknownDialog: boolean): Promise<void> {
    const { conversationState, stateVersion, log } = this.options;
    const state = conversationState.get(context) as Record<string, unknown>;
    if (!unknownDialog && !isOutdated(state, stateVersion)) return;
    this.stats.restarted++;
    const lang = await this.language(context); // before clearing: the language the partner was using
    log?.info(
      {
        event: 'conversationRestarted',
        reason: unknownDialog ? 'unknownDialog' : 'stateVersion',
        savedVersion: state[STATE_VERSION_PROPERTY],
        ...where(context),
      },
      'conversation restarted after a bot update',
    );
    await conversationState.clear(context);
    await context.sendActivity(storageMessages.botUpdated[lang]);
  }

  /** The channel delivered a message again that an instance (maybe a dead one) already handled and saved. */
  private handledBefore(context: TurnContext): boolean {
    const fingerprint = messageFingerprint(context.activity);
    const state = this.options.conversationState.get(context) as Record<string, unknown>;
    if (!fingerprint || state[LAST_MESSAGE_PROPERTY] !== fingerprint) return false;
    this.stats.redelivered++;
    this.options.log?.info({ event: 'messageRedelivered', ...where(context) }, 'message already handled');
    return true;
  }

  /** Stamps the dialog state version and records which message this state has taken in. */
  private markTurn(context: TurnContext): void {
    const state = this.options.conversationState.get(context) as Record<string, unknown>;
    state[STATE_VERSION_PROPERTY] = this.options.stateVersion;
    const message = messageFingerprint(context.activity);
    if (message) state[LAST_MESSAGE_PROPERTY] = message;
  }

  private language(context: TurnContext): Lang | Promise<Lang> {
    return (this.options.languageOf ?? localeLang)(context);
  }
}

function where(context: TurnContext): { conversationId?: string; channelId?: string } {
  return { conversationId: context.activity.conversation?.id, channelId: context.activity.channelId };
}
