import { MessageFactory, type TurnContext } from 'botbuilder';
import type { Knowledge, Lang, QuestionId } from '../src/knowledge/schema';
import type { NotEligible, Route } from '../src/engine/types';
import {
  cardActivity,
  describeKnownError,
  describeRedirect,
  menuActivity,
  renderKnownError,
  renderKnownErrorMenu,
  renderNotEligible,
  renderRedirect,
  renderRedirectMenu,
  renderRoute,
  renderSeverity,
  renderWelcome,
  type RenderedCard,
} from '../src/cards';
import { cardText } from '../src/messages/cards';
import { say, type ConversationMessageId } from '../src/messages/conversation';
import type { CardSubmit } from '../src/understand/submit';
import type { MenuItem } from './memory';

/**
 * What the dialogs send, in one place: cards from src/cards (with their plain-text fallback on channels
 * without Adaptive Cards), facts from the knowledge file, and sentences from the message catalogue.
 */
export class Replies {
  constructor(private readonly knowledge: Knowledge) {}

  async say(
    context: TurnContext,
    id: ConversationMessageId,
    lang: Lang,
    values?: Record<string, string | number>,
  ): Promise<void> {
    await context.sendActivity(MessageFactory.text(say(id, lang, values)));
  }

  /** Several catalogue messages as one message, one paragraph each. */
  async sayAll(context: TurnContext, ids: ConversationMessageId[], lang: Lang): Promise<void> {
    await context.sendActivity(MessageFactory.text(ids.map((id) => say(id, lang)).join('\n\n')));
  }

  /**
   * "Which answer do you want to change?" with one button per answer given; each sends a changeAnswer submit.
   * Channels without cards get a numbered list. Returns the list, so a typed number or name can pick from it.
   */
  async whichAnswer(
    context: TurnContext,
    answers: { question: QuestionId; title: string }[],
    lang: Lang,
  ): Promise<MenuItem[]> {
    const items = answers.map(({ question, title }) => ({
      title,
      value: { verb: 'changeAnswer', question } satisfies CardSubmit,
    }));
    await context.sendActivity(menuActivity(context.activity, say('whichAnswerToChange', lang), items));
    return items;
  }

  /** The welcome with the first choices; returns them, so a typed number or name can pick one. */
  welcome(context: TurnContext, lang: Lang): Promise<MenuItem[]> {
    return this.card(context, renderWelcome(lang, this.knowledge));
  }

  async outcome(context: TurnContext, outcome: Route | NotEligible): Promise<void> {
    await this.card(context, outcome.kind === 'route' ? renderRoute(outcome) : renderNotEligible(outcome));
  }

  async severity(context: TurnContext, level: 'A' | 'B' | 'C', lang: Lang): Promise<void> {
    await this.card(context, renderSeverity(level, lang, this.knowledge));
  }

  /** The three severities and the business-hours note as text, for a partner who asks in the middle of a case. */
  async severityGuide(context: TurnContext, lang: Lang): Promise<void> {
    const { levels, businessHoursNote } = this.knowledge.severity;
    const lines = [
      cardText('severityTitle', lang),
      ...levels.map(
        (level) => `- ${cardText('severityLevel', lang, { level: level.id })}: ${level.criteria[lang]}`,
      ),
      businessHoursNote[lang],
      '',
      say('severityHelperLater', lang),
    ];
    await context.sendActivity(MessageFactory.text(lines.join('\n')));
  }

  async knownError(context: TurnContext, id: string, lang: Lang): Promise<void> {
    const error = describeKnownError(id, lang, this.knowledge);
    await (error ? this.card(context, renderKnownError(error, lang)) : this.knownErrorMenu(context, lang));
  }

  knownErrorMenu(context: TurnContext, lang: Lang): Promise<MenuItem[]> {
    return this.card(context, renderKnownErrorMenu(lang, this.knowledge));
  }

  async redirect(context: TurnContext, id: string, lang: Lang): Promise<void> {
    const redirect = describeRedirect(id, lang, this.knowledge);
    await (redirect ? this.card(context, renderRedirect(redirect, lang)) : this.redirectMenu(context, lang));
  }

  redirectMenu(context: TurnContext, lang: Lang): Promise<MenuItem[]> {
    return this.card(context, renderRedirectMenu(lang, this.knowledge));
  }

  /** A general fact of the seed (cloud competencies, delegated admin …), as its title and text. */
  async fact(context: TurnContext, id: string, lang: Lang): Promise<boolean> {
    const fact = this.knowledge.facts.find((entry) => entry.id === id);
    if (!fact) return false;
    await context.sendActivity(MessageFactory.text(`${fact.title[lang]}\n\n${fact.text[lang]}`));
    return true;
  }

  /** Sends a card (its text on channels without cards) and returns the menu items it offers, if any. */
  private async card(context: TurnContext, card: RenderedCard): Promise<MenuItem[]> {
    await context.sendActivity(cardActivity(card, context.activity.channelId));
    return card.choices ?? [];
  }
}
