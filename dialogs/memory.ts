import type { BotState, StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { Lang } from '../src/knowledge/schema';
import { Answers } from '../src/engine/types';

/** ja, ja-JP, ja-jp → Japanese; anything else (or nothing) → English. */
export function languageFromLocale(locale: string | undefined): Lang {
  return locale?.trim().toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

/**
 * What the bot remembers about a conversation besides the dialog stack, kept small on purpose:
 * the language (from the first activity's locale, until the user switches), whether the welcome was sent,
 * and the answers of the last finished case (so "change an answer" on a result card can reopen it).
 */
export class ConversationMemory {
  private readonly lang: StatePropertyAccessor<Lang>;
  private readonly welcomed: StatePropertyAccessor<boolean>;
  private readonly lastCase: StatePropertyAccessor<Answers>;

  constructor(conversationState: BotState) {
    this.lang = conversationState.createProperty<Lang>('lang');
    this.welcomed = conversationState.createProperty<boolean>('welcomed');
    this.lastCase = conversationState.createProperty<Answers>('lastCase');
  }

  /** The conversation's language; fixed from activity.locale the first time it is asked for. */
  async language(context: TurnContext): Promise<Lang> {
    const saved = await this.lang.get(context);
    if (saved === 'ja' || saved === 'en') return saved;
    const lang = languageFromLocale(context.activity.locale);
    await this.lang.set(context, lang);
    return lang;
  }

  async switchLanguage(context: TurnContext, lang: Lang): Promise<void> {
    await this.lang.set(context, lang);
  }

  /** True the first time only: the welcome is sent once per conversation. */
  async welcomeDue(context: TurnContext): Promise<boolean> {
    if (await this.welcomed.get(context)) return false;
    await this.welcomed.set(context, true);
    return true;
  }

  async lastAnswers(context: TurnContext): Promise<Answers | undefined> {
    const parsed = Answers.safeParse(await this.lastCase.get(context));
    return parsed.success ? parsed.data : undefined;
  }

  async rememberAnswers(context: TurnContext, answers: Answers): Promise<void> {
    await this.lastCase.set(context, answers);
  }
}
