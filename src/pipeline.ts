import { hash } from 'node:crypto';
import {
  ActivityTypes,
  MessageFactory,
  type Activity,
  type BotAdapter,
  type Middleware,
  type ResourceResponse,
  type TurnContext,
} from 'botbuilder';
import type { Lang } from './knowledge/schema';
import type { Logger } from './logger';
import { say } from './messages/conversation';
import { securityMessages } from './messages/security';
import { isETagConflict } from './storage/conditional';
import type { SafeConversationState } from './storage/state';
import { storageMessages } from './storage/messages';
import { STATE_VERSION_PROPERTY, isOutdated, isUnknownDialog } from './storage/version';
import { languageFromLocale } from './understand/locale';

/** Where conversation state keeps the dialog stack; a failed turn forgets it (and nothing else). */
export const DIALOG_STATE_PROPERTY = 'dialogState';

const REPLAY = Symbol('replayedTurn');

/**
 * True while a redelivered message runs again only to give the partner the replies they missed: what the turn
 * logs for trainers (a finished case, its steps) was logged the first time and must not be logged twice.
 */
export function isReplay(context: TurnContext): boolean {
  return context.turnState.get(REPLAY) === true;
}

/** Where conversation state keeps the last message it took in, and the state from before it (see replay). */
const LAST_MESSAGE_PROPERTY = 'lastMessage';

interface LastMessage {
  fingerprint: string;
  /**
   * The conversation state as it was before this message, as JSON: running the message on it again gives its
   * replies. A string, not an object: it is written once per turn and only read back on a redelivery, so the
   * state's change checks and saves pass over it as one value instead of walking a second copy of the state.
   */
  before: string;
}

/** What runs one turn's dialogs (the SupportBot); it sends its replies and never saves. */
export interface TurnLogic {
  run(context: TurnContext): Promise<void>;
}

export interface TurnPipelineOptions {
  conversationState: SafeConversationState;
  bot: TurnLogic;
  /** stateVersionOf(dialogs, answers): a conversation saved under another version restarts politely. */
  stateVersion: string;
  /** The partner's language as the dialogs keep it (ConversationMemory.language). */
  languageOf: (context: TurnContext) => Lang | Promise<Lang>;
  /** The first step: refuses activities of tenants the bot does not serve (security's TenantGate). */
  tenantGate?: Middleware;
  log?: Logger;
}

/** Counters since start, for /healthz and the benchmark. */
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
  /** Messages delivered again after they were taken in (by this instance or one that died): answered again. */
  redelivered: number;
}

interface Running {
  activityId?: string;
  type: string;
  finished: Promise<void>;
}

/**
 * One turn, in order, each step in one place:
 * 1. tenant gate: other tenants get a polite refusal and reach nothing else;
 * 2. serialisation: one turn per conversation (per person in group chats and channels) at a time in this process;
 *    a second message while one runs (a double-click) is asked to wait, a redelivery in flight waits for it;
 * 3. state loaded fresh (a conversation saved by another dialog version restarts politely);
 * 4. redelivery: a message the state has already taken in (its instance may have died before answering) is not
 *    applied again; it is run on the state from before it, so the partner gets exactly the answer they missed;
 * 5. dialogs, whose replies are captured, not sent;
 * 6. one conditional save (an eTag conflict with another instance re-runs 3–6 once on fresh state);
 * 7. the captured replies are sent.
 * A turn that fails is logged, its replies dropped, its dialog forgotten, and the partner told in their language.
 */
export class TurnPipeline {
  readonly stats: TurnStats = { turns: 0, conflicts: 0, retried: 0, gaveUp: 0, restarted: 0, redelivered: 0 };
  private readonly running = new Map<string, Running>();
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: TurnPipelineOptions) {}

  /** Turns running right now (for /healthz and graceful shutdown). */
  get turnsInFlight(): number {
    return this.running.size;
  }

  /** Resolves once no turn is running. */
  idle(): Promise<void> {
    if (this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Call before adapter.use(...) of any other middleware: the reply capture is then the first send handler, so the
   * transcript and every other one see only replies that are really sent; failures outside a turn are recovered.
   */
  attach(adapter: BotAdapter): void {
    adapter.use(async (context, next) => {
      captureFor(context);
      await next();
    });
    adapter.onTurnError = (context, error) => this.recover(context, error);
  }

  /** The turn handler: `adapter.process(req, res, (context) => pipeline.run(context))`. */
  async run(context: TurnContext): Promise<void> {
    const { tenantGate } = this.options;
    if (tenantGate) return tenantGate.onTurn(context, () => this.serialised(context));
    return this.serialised(context);
  }

  /** The partner's language for the pipeline's own messages: the dialogs' choice, else the client's locale. */
  async languageOf(context: TurnContext): Promise<Lang> {
    try {
      return await this.options.languageOf(context);
    } catch {
      return languageFromLocale(context.activity.locale);
    }
  }

  /**
   * For the adapter's onTurnError too: logs with the conversation id, drops the turn's replies, clears the dialog
   * state that broke so the next message starts cleanly (language and last case kept), and apologises.
   */
  async recover(context: TurnContext, error: unknown): Promise<void> {
    const { activity } = context;
    const { conversationState, log } = this.options;
    captureFor(context).discard();
    log?.error(
      {
        err: error,
        conversationId: activity.conversation?.id,
        channelId: activity.channelId,
        type: activity.type,
      },
      'turn failed',
    );
    try {
      const state = await conversationState.load(context, true);
      delete state[DIALOG_STATE_PROPERTY];
      await conversationState.saveChanges(context);
    } catch (stateError) {
      log?.error({ err: stateError, conversationId: activity.conversation?.id }, 'could not clear state');
    }
    if (activity.type !== ActivityTypes.Message) return;
    const lang = await this.languageOf(context);
    await context.sendActivity(MessageFactory.text(say('turnError', lang))).catch((sendError: unknown) => {
      log?.error({ err: sendError, conversationId: activity.conversation?.id }, 'could not apologise');
    });
  }

  private async serialised(context: TurnContext): Promise<void> {
    const { activity } = context;
    // the key its state is stored under: one turn at a time per stored conversation
    const key = this.options.conversationState.getStorageKey(context) ?? '';
    let running = this.running.get(key);
    const redelivery = Boolean(activity.id) && running?.activityId === activity.id;
    if (running && !redelivery && running.type === 'message' && activity.type === 'message') {
      this.options.log?.info(
        { event: 'turnBusy', conversationId: activity.conversation?.id },
        'message arrived while a turn was running',
      );
      await context.sendActivity(securityMessages.busy[await this.languageOf(context)]);
      return;
    }
    while (running) {
      await running.finished;
      running = this.running.get(key);
    }
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    this.running.set(key, { activityId: activity.id, type: activity.type, finished });
    try {
      await this.attempts(context);
    } catch (error) {
      await this.recover(context, error);
    } finally {
      this.running.delete(key);
      finish();
      if (this.running.size === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const wake of waiters) wake();
      }
    }
  }

  private async attempts(context: TurnContext): Promise<void> {
    this.stats.turns++;
    const { conversationState, bot, log } = this.options;
    const replies = captureFor(context);
    const fingerprint = messageFingerprint(context.activity);
    let conflicted = false;
    let unknownDialog = false;
    for (;;) {
      replies.hold();
      try {
        // A message always changes the state (its fingerprint): it is saved without comparing, so nothing is kept
        // to compare with.
        const loaded = fingerprint
          ? await conversationState.loadToWrite(context)
          : await conversationState.load(context, true);
        await this.restartIfOutdated(context, loaded, unknownDialog);
        // read after the restart: clearing puts a new object in place
        const state = conversationState.get(context) as Record<string, unknown>;
        const last = state[LAST_MESSAGE_PROPERTY] as LastMessage | undefined;
        if (fingerprint && last?.fingerprint === fingerprint) {
          await this.replay(context, state, last);
        } else {
          const before = fingerprint ? stateBefore(state) : undefined;
          await bot.run(context);
          state[STATE_VERSION_PROPERTY] = this.options.stateVersion;
          if (fingerprint && before)
            state[LAST_MESSAGE_PROPERTY] = { fingerprint, before } satisfies LastMessage;
          await conversationState.saveChanges(context, fingerprint !== undefined);
        }
        await replies.release(context);
        return;
      } catch (error) {
        replies.discard();
        if (isETagConflict(error)) {
          this.stats.conflicts++;
          const outcome = conflicted ? 'gaveUp' : 'retried';
          this.stats[outcome]++;
          log?.[conflicted ? 'warn' : 'info'](
            { event: 'stateConflict', outcome, ...where(context) },
            'state conflict',
          );
          if (!conflicted) {
            conflicted = true;
            continue;
          }
          // Whatever runs later in this turn sees what the other turn stored.
          await conversationState.load(context, true);
          await context.sendActivity(storageMessages.tooManyAtOnce[await this.languageOf(context)]);
          return;
        }
        if (isUnknownDialog(error) && !unknownDialog) {
          unknownDialog = true;
          continue;
        }
        throw error;
      }
    }
  }

  /**
   * The message was taken in before (the channel retried because the answer never reached it): the dialogs run
   * it again on the state from before it, which gives the very replies the partner missed, and nothing is saved.
   */
  private async replay(
    context: TurnContext,
    state: Record<string, unknown>,
    last: LastMessage,
  ): Promise<void> {
    this.stats.redelivered++;
    this.options.log?.info({ event: 'messageRedelivered', ...where(context) }, 'message already taken in');
    for (const property of Object.keys(state)) if (property !== 'eTag') delete state[property];
    const before: unknown = last.before; // an object in states saved before it was kept as JSON
    Object.assign(state, typeof before === 'string' ? JSON.parse(before) : before);
    context.turnState.set(REPLAY, true);
    await this.options.bot.run(context);
  }

  /** Clears a conversation saved by another dialog version (or naming a dialog we lack) and says so. */
  private async restartIfOutdated(
    context: TurnContext,
    state: Record<string, unknown>,
    unknownDialog: boolean,
  ): Promise<void> {
    const { conversationState, stateVersion, log } = this.options;
    if (!unknownDialog && !isOutdated(state, stateVersion)) return;
    this.stats.restarted++;
    const lang = await this.languageOf(context); // before clearing: the language the partner was using
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
}

/** The state to replay a redelivered message on: everything but the store's eTag and the previous snapshot. */
function stateBefore(state: Record<string, unknown>): string {
  const before = { ...state };
  delete before.eTag;
  delete before[LAST_MESSAGE_PROPERTY];
  return JSON.stringify(before);
}

/** A redelivery repeats the channel's id, text, value and timestamp; ids alone may repeat after a channel restart. */
function messageFingerprint(activity: Activity): string | undefined {
  if (activity.type !== ActivityTypes.Message || !activity.id) return undefined;
  const { text, value, timestamp } = activity;
  // one-shot hash: same digest as createHash().update().digest(), without building a Hash object
  const digest = hash('sha256', JSON.stringify({ text, value, timestamp }), 'base64url');
  return `${activity.id} ${digest.slice(0, 16)}`;
}

const CAPTURE = Symbol('replyCapture');

/**
 * The one send handler of the bot: holds a turn's replies until its state is saved (so an attempt that loses
 * an eTag conflict, or fails, sends nothing), and drops trace activities outside the Emulator (a dialog's state
 * snapshot would otherwise reach an expectReplies client). A held reply gets an empty id: the bot cannot update
 * or delete its own reply within the same turn.
 */
class ReplyCapture {
  private held?: Partial<Activity>[];

  constructor(context: TurnContext) {
    const keepTraces = context.activity.channelId === 'emulator';
    context.onSendActivities(async (_context, activities, next): Promise<ResourceResponse[]> => {
      const kept = keepTraces ? activities : activities.filter((activity) => activity.type !== 'trace');
      if (this.held) {
        this.held.push(...kept);
        return activities.map(() => ({ id: '' }));
      }
      if (kept.length === activities.length) return next();
      // nothing left to send: the adapter refuses an empty batch
      if (kept.length === 0) return [];
      // botbuilder's handler contract: change the array in place, then continue
      activities.splice(0, activities.length, ...kept);
      return next();
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

/** The turn's reply capture, installed on first use (attach installs it before any other send handler). */
function captureFor(context: TurnContext): ReplyCapture {
  let capture = context.turnState.get(CAPTURE) as ReplyCapture | undefined;
  if (!capture) {
    capture = new ReplyCapture(context);
    context.turnState.set(CAPTURE, capture);
  }
  return capture;
}

function where(context: TurnContext): { conversationId?: string; channelId?: string } {
  return { conversationId: context.activity.conversation?.id, channelId: context.activity.channelId };
}
