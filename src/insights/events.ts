import type { TurnContext } from 'botbuilder';
import type { Logger } from '../logger';
import { isReplay } from '../pipeline';
import { AbandonWatch } from './abandoned';
import type { FeedbackReason } from '../understand/submit';

/** How a partner gave something: pressed a button (a card submit or a suggested action) or typed it. */
export type How = 'button' | 'typed';

/**
 * The steps of a case trainers read in the report (`npm run report`), one JSON log line each with an `event` field.
 * Option ids only, never the partner's words, except a not-understood message with its personal data removed.
 */
export type InsightEvent =
  | { event: 'caseStarted'; how: How; answers?: Record<string, string> }
  | { event: 'questionAsked'; question: string }
  | { event: 'answerTaken'; question: string; option: string; how: How | 'corrected' }
  | { event: 'notUnderstood'; question?: string; text?: string }
  /** A hand-off to a person: the summary sent to the support desk, not delivered, or not agreed to. */
  | { event: 'handoff'; outcome: 'sent' | 'failed' | 'declined' }
  /** "Did this answer your question?" on a card: no free text, a reason id for "no". */
  | { event: 'feedback'; routeId: string; helpful: boolean; reason?: FeedbackReason };

export type { FeedbackReason } from '../understand/submit';

/** The case's end: which path a partner took to which card (the line trainers count routes by). */
export interface CaseFinished {
  lang: string;
  /** Route or not-eligible id, e.g. "azure/cloudSolutionProvider". */
  routeId: string;
  kind: 'route' | 'notEligible';
  /** The answers that decided the route (enum ids only, never free text). */
  answers?: Record<string, string>;
}

export interface EventOptions {
  /** Log the (redacted) text of messages the bot did not understand; false logs the event without text. */
  notUnderstoodText?: boolean;
  /** ABANDON_AFTER_MINUTES: an open case silent this long is logged as `abandoned` (default 30). */
  abandonAfterMinutes?: number;
  /** The clock (tests). */
  now?: () => number;
}

const PERSONAL_DATA: [RegExp, string][] = [
  [/\bhttps?:\/\/\S+|\bwww\.\S+/gi, '<url>'],
  [/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '<email>'],
  [/\b[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\b/gi, '<guid>'],
  [/[0-9０-９]+([-./:][0-9０-９]+)*/g, '<n>'],
];

/**
 * A message with what could identify a person, tenant or case removed: URLs, e-mail addresses, GUIDs and digits
 * (phone numbers, contract and access IDs), so the same question asked with different numbers groups together.
 */
export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PERSONAL_DATA) out = out.replace(pattern, replacement);
  return out.replace(/\s+/g, ' ').trim().slice(0, 200);
}

/** The case's events, written through the bot's logger; the dialogs call it with the turn they are in. */
export class CaseEvents {
  /**
   * Open cases this process serves, logged as `abandoned` when silent too long (src/insights/abandoned.ts). The
   * composition root starts its sweep once and stops it on shutdown; tests sweep by hand.
   */
  readonly abandoned: AbandonWatch;

  constructor(
    private readonly log: Logger,
    private readonly options: EventOptions = {},
  ) {
    this.abandoned = new AbandonWatch(log, { afterMinutes: options.abandonAfterMinutes, now: options.now });
  }

  /** The partner wrote (any message): an open case of theirs is not abandoned. */
  seen(context: TurnContext): void {
    const id = context.activity.conversation?.id;
    if (id && !isReplay(context)) this.abandoned.seen(id);
  }

  /**
   * The case reached its answer card: one `caseFinished` line (filter with `jq 'select(.event=="caseFinished")'`).
   * A redelivered last answer shows the card again, but the case was finished (and logged) once.
   */
  caseFinished(context: TurnContext, finished: CaseFinished): void {
    if (isReplay(context)) return;
    const { conversation, channelId } = context.activity;
    if (conversation?.id) this.abandoned.caseClosed(conversation.id);
    this.log.info(
      { event: 'caseFinished', conversationId: conversation?.id, channelId, ...finished },
      'case finished',
    );
  }

  /**
   * How this turn's message came: a card submit carries a value; a suggested action sends its title as text, so a
   * text that is exactly one of the buttons' titles counts as pressed.
   */
  static how(context: TurnContext, titles: string[] = []): How {
    const { value, text } = context.activity;
    if (value !== undefined && value !== null) return 'button';
    return text !== undefined && titles.includes(text.trim()) ? 'button' : 'typed';
  }

  /** `answers`: option ids the opening message already gave ("Azure, CSP"). */
  caseStarted(context: TurnContext, answers: Record<string, string> = {}): void {
    this.record(context, { event: 'caseStarted', how: CaseEvents.how(context), answers });
  }

  /** The answer to the question on screen; `choices` are its buttons. */
  answered(context: TurnContext, question: string, option: string, choices: { label: string }[] = []): void {
    const how = CaseEvents.how(
      context,
      choices.map((choice) => choice.label),
    );
    this.record(context, { event: 'answerTaken', question, option, how });
  }

  /** Something that lost trainers' data (a feedback record not stored): a warning with the conversation. */
  problem(context: TurnContext, event: string, error: unknown): void {
    this.log.warn({ event, err: error, conversationId: context.activity.conversation?.id }, event);
  }

  record(context: TurnContext, event: InsightEvent): void {
    // a redelivered message runs again only for its replies: its steps were logged the first time
    if (isReplay(context)) return;
    const conversationId = context.activity.conversation?.id;
    if (conversationId && (event.event === 'caseStarted' || event.event === 'questionAsked')) {
      const question = event.event === 'questionAsked' ? event.question : undefined;
      this.abandoned.caseOpen(conversationId, context.activity.channelId, question);
    }
    const line =
      event.event === 'notUnderstood'
        ? {
            ...event,
            text: this.options.notUnderstoodText === false || !event.text ? undefined : redact(event.text),
          }
        : event;
    this.log.info(
      {
        ...line,
        conversationId: context.activity.conversation?.id,
        channelId: context.activity.channelId,
        locale: context.activity.locale,
      },
      line.event,
    );
  }
}
