import { createHash, randomUUID } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { z } from 'zod';
import type { Lang } from '../src/knowledge/schema';
import type { Answers } from '../src/engine/types';
import { consentIn } from '../src/handoff/consent';
import { say } from '../src/messages/conversation';
import { HANDOFF, type DialogDeps } from './interruptible';
import { PEOPLE_ANSWER } from './commands';
import { listAnswers } from './replies';
import { readTurn } from './understood';

export interface HandoffOptions {
  /** The answers so far: those of the case on screen, or of the last case. */
  answers?: Answers;
  /** The route (or not-covered) id of the last case's card, if it reached one. */
  routeId?: string;
  /** Offered after two messages the bot could not read, rather than asked for. */
  offered?: boolean;
}

/** What the partner was shown and may agree to send: exactly what the support desk receives. */
const Shown = z.object({
  answers: z.array(z.object({ question: z.string(), answer: z.string() })),
  routeId: z.string().optional(),
  lastMessages: z.array(z.string()),
});
type Shown = z.infer<typeof Shown>;

/** The dialog's result once the partner has answered: a case set aside for the hand-off goes on. */
export const PERSON_ASKED = { personAsked: true } as const;
export const isPersonAsked = (result: unknown): boolean =>
  typeof result === 'object' && result !== null && 'personAsked' in result;

/**
 * A hand-off to a person at the support desk (SUPPORT_DESK_WEBHOOK_URL): shows the summary it would send (the
 * answers so far with their labels, the route if any, the partner's last few messages) and asks for consent. On
 * yes it posts the summary once (keyed by the turn's activity id, so a redelivered or re-run turn never posts
 * twice) and says what happens next, or that it failed and where people answer instead. On no nothing leaves the
 * bot. A command or new words instead of an answer are handled as themselves (main dialog, afresh).
 */
export class HandoffDialog extends Dialog<HandoffOptions> {
  static readonly id = 'handoff';

  /** Always part of the dialog set (the state version does not depend on settings); begun only with a webhook. */
  constructor(private readonly deps: DialogDeps) {
    super(HandoffDialog.id);
  }

  override async beginDialog(dc: DialogContext, options?: HandoffOptions): Promise<DialogTurnResult> {
    const { context } = dc;
    const { memory, replies } = this.deps;
    const lang = await memory.language(context);
    const shown: Shown = {
      answers: replies.answerList(options?.answers ?? {}, lang),
      routeId: options?.routeId,
      lastMessages: await memory.recentMessages(context),
    };
    if (dc.activeDialog) dc.activeDialog.state.shown = shown;
    await this.ask(context, shown, lang, options?.offered ? say('handoffOffer', lang) : undefined);
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const { context } = dc;
    const { memory, replies, events } = this.deps;
    if (context.activity.type !== 'message') return Dialog.EndOfTurn;
    const lang = await memory.language(context);
    const shown = Shown.safeParse(dc.activeDialog?.state.shown);
    const { understood } = await readTurn(context, this.deps);
    const consent =
      understood.kind === 'submit' && understood.submit.verb === 'handoff'
        ? understood.submit.send
        : understood.kind === 'text'
          ? (consentIn(understood.text) ?? (understood.meaning.intent.kind === 'cancel' ? false : undefined))
          : undefined;
    if (consent === true && shown.success) return this.send(dc, shown.data, lang);
    if (consent === false || !shown.success) {
      events?.record(context, { event: 'handoff', outcome: 'declined' });
      await replies.say(context, 'handoffNotSent', lang);
      return dc.endDialog(PERSON_ASKED);
    }
    // A command, a topic, words of a case or another card's button: not a yes, so nothing is sent, and the
    // message is handled as itself.
    const somethingElse =
      understood.kind === 'submit' ||
      understood.kind === 'staleSubmit' ||
      (understood.kind === 'text' &&
        (understood.meaning.intent.kind !== 'none' || Object.keys(understood.meaning.answers).length > 0));
    if (somethingElse) {
      events?.record(context, { event: 'handoff', outcome: 'declined' });
      await replies.say(context, 'handoffNotSent', lang);
      return dc.endDialog(HANDOFF);
    }
    await this.ask(context, shown.data, lang, say('handoffYesOrNo', lang));
    return Dialog.EndOfTurn;
  }

  /** The summary as the partner sees it, then yes / no buttons (a typed yes, no or button title answers too). */
  private async ask(context: TurnContext, shown: Shown, lang: Lang, before?: string): Promise<void> {
    const none = say('handoffNothing', lang);
    const answers = listAnswers(shown.answers);
    const lines = [
      ...(before ? [before] : []),
      say('handoffSummary', lang),
      `${say('handoffAnswers', lang)}: ${answers || none}`,
      ...(shown.routeId ? [`${say('handoffRoute', lang)}: ${shown.routeId}`] : []),
      `${say('handoffMessages', lang)}:`,
      ...(shown.lastMessages.length > 0 ? shown.lastMessages.map((text) => `- ${text}`) : [none]),
      say('handoffConsent', lang),
    ];
    const { memory, replies } = this.deps;
    await memory.offerMenu(context, await replies.askConsent(context, lines.join('\n\n'), lang));
  }

  private async send(dc: DialogContext, shown: Shown, lang: Lang): Promise<DialogTurnResult> {
    const { context } = dc;
    const { activity } = context;
    const { replies, events } = this.deps;
    const conversationId = activity.conversation?.id ?? '';
    // The turn's id: a redelivered or re-run turn gets the first delivery's outcome and posts nothing more. Hashed,
    // as it also goes to the desk (Idempotency-Key): the desk gets no conversation address.
    const turn = `${conversationId}:${activity.id ?? randomUUID()}`;
    const key = createHash('sha256').update(turn).digest('base64url').slice(0, 32);
    const summary = { conversationId, channelId: activity.channelId, lang, ...shown };
    const delivery = this.deps.handoff
      ? await this.deps.handoff.deliver(key, summary)
      : { delivered: false as const, attempts: 0 };
    events?.record(context, { event: 'handoff', outcome: delivery.delivered ? 'sent' : 'failed' });
    if (delivery.delivered) {
      await replies.say(context, 'handoffSent', lang);
    } else {
      await replies.say(context, 'handoffFailed', lang, { attempts: delivery.attempts });
      await replies.redirect(context, PEOPLE_ANSWER, lang);
    }
    return dc.endDialog(PERSON_ASKED);
  }
}
