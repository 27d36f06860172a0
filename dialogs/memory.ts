import type { BotState, StatePropertyAccessor, TurnContext } from 'botbuilder';
import { z } from 'zod';
import { QuestionId, type Lang } from '../src/knowledge/schema';
import { Answers } from '../src/engine/types';
import { languageFromLocale } from '../src/understand/locale';
import { scrubSecrets } from '../src/logger';

/** How many of the partner's last messages a hand-off summary shows (and the state keeps), each cut to 500 chars. */
const RECENT_MESSAGES = 5;

/** The answers of a finished case, and the order they were given in (so "back" drops the latest). */
export const LastCase = z.object({ answers: Answers, answered: z.array(QuestionId) });
export type LastCase = z.infer<typeof LastCase>;

/**
 * A list on screen the partner may answer by typing an item's number or title instead of pressing it
 * (plain-text channels show only numbers): each item's title and the card-submit value its button sends.
 */
export const MenuItem = z.object({ title: z.string(), value: z.record(z.string(), z.unknown()) });
export type MenuItem = z.infer<typeof MenuItem>;

/** What the partner said about the urgency, kept so the severity helper does not ask it again. */
export const StatedSeverity = z.object({
  level: z.enum(['A', 'B', 'C']).optional(),
  aroundTheClock: z.boolean().optional(),
  businessDown: z.boolean().optional(),
});
export type StatedSeverity = z.infer<typeof StatedSeverity>;

const MenuItems = z.array(MenuItem);
const RecentMessages = z.array(z.string());

/** A remembered value as its schema reads it; nothing kept (the usual case) is undefined without a parse. */
function kept<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  if (value === undefined) return undefined;
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * What the bot remembers about a conversation besides the dialog stack, kept small on purpose:
 * the language (from the first activity's locale, then the language the partner writes, until they choose one),
 * whether the welcome was sent, the answers of the last finished case (so "back" or "change an answer" after the
 * card can reopen it), what they said about severity, and what the last message offered, for one turn.
 */
export class ConversationMemory {
  private readonly lang: StatePropertyAccessor<Lang>;
  private readonly welcomed: StatePropertyAccessor<boolean>;
  private readonly lastCase: StatePropertyAccessor<LastCase>;
  private readonly menu: StatePropertyAccessor<MenuItem[]>;
  private readonly langChosen: StatePropertyAccessor<boolean>;
  private readonly offeredCase: StatePropertyAccessor<Answers>;
  private readonly severity: StatePropertyAccessor<StatedSeverity>;
  private readonly recent: StatePropertyAccessor<string[]>;

  constructor(conversationState: BotState) {
    this.lang = conversationState.createProperty<Lang>('lang');
    this.welcomed = conversationState.createProperty<boolean>('welcomed');
    this.lastCase = conversationState.createProperty<LastCase>('lastCase');
    this.menu = conversationState.createProperty<MenuItem[]>('menu');
    this.langChosen = conversationState.createProperty<boolean>('langChosen');
    this.offeredCase = conversationState.createProperty<Answers>('offeredCase');
    this.severity = conversationState.createProperty<StatedSeverity>('severity');
    this.recent = conversationState.createProperty<string[]>('recentMessages');
  }

  /** The conversation's language; fixed from activity.locale the first time it is asked for. */
  async language(context: TurnContext): Promise<Lang> {
    const saved = await this.lang.get(context);
    if (saved === 'ja' || saved === 'en') return saved;
    const lang = languageFromLocale(context.activity.locale);
    await this.lang.set(context, lang);
    return lang;
  }

  /** The partner asked for a language ("English please"): it stays, whatever they write afterwards. */
  async switchLanguage(context: TurnContext, lang: Lang): Promise<void> {
    await this.lang.set(context, lang);
    await this.langChosen.set(context, true);
  }

  /** The partner writes clearly in one language: the bot answers in it, unless they chose one. */
  async followWriting(context: TurnContext, lang: Lang): Promise<void> {
    if (!(await this.langChosen.get(context))) await this.lang.set(context, lang);
  }

  /** True the first time only: the welcome is sent once per conversation. */
  async welcomeDue(context: TurnContext): Promise<boolean> {
    if (await this.welcomed.get(context)) return false;
    await this.welcomed.set(context, true);
    return true;
  }

  async lastCaseOf(context: TurnContext): Promise<LastCase | undefined> {
    return kept(LastCase, await this.lastCase.get(context));
  }

  async rememberCase(context: TurnContext, last: LastCase): Promise<void> {
    await this.lastCase.set(context, last);
  }

  /** A case this turn's reply offers to go on with (after a fact), with the answers the partner already gave. */
  async offerCase(context: TurnContext, answers: Answers): Promise<void> {
    await this.offeredCase.set(context, answers);
  }

  /** The case the previous reply offered, if any; forgotten, like the list, after one message. */
  async takeOfferedCase(context: TurnContext): Promise<Answers | undefined> {
    const offered = kept(Answers, await this.offeredCase.get(context));
    await this.offeredCase.delete(context);
    return offered;
  }

  async statedSeverity(context: TurnContext): Promise<StatedSeverity> {
    return kept(StatedSeverity, await this.severity.get(context)) ?? {};
  }

  async rememberSeverity(context: TurnContext, stated: StatedSeverity): Promise<void> {
    await this.severity.set(context, { ...(await this.statedSeverity(context)), ...stated });
  }

  async forgetSeverity(context: TurnContext): Promise<void> {
    await this.severity.delete(context);
  }

  /**
   * The partner's message, kept (the last few, secrets scrubbed) for the summary a hand-off to a person shows
   * before it is sent. Only with a support-desk webhook set: otherwise the state keeps no words of the partner.
   */
  async rememberMessage(context: TurnContext, text: string): Promise<void> {
    const kept = [...(await this.recentMessages(context)), scrubSecrets(text).slice(0, 500)];
    await this.recent.set(context, kept.slice(-RECENT_MESSAGES));
  }

  async recentMessages(context: TurnContext): Promise<string[]> {
    return kept(RecentMessages, await this.recent.get(context)) ?? [];
  }

  /** The list this turn's reply offers; the next message may pick from it. */
  async offerMenu(context: TurnContext, items: MenuItem[]): Promise<void> {
    if (items.length > 0) await this.menu.set(context, items);
    else await this.menu.delete(context);
  }

  /** The list the previous reply offered (empty if none); it is forgotten, so it applies to one message only. */
  async takeMenu(context: TurnContext): Promise<MenuItem[]> {
    const items = kept(MenuItems, await this.menu.get(context));
    await this.menu.delete(context);
    return items ?? [];
  }
}
