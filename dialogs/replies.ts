import type { z } from 'zod';
import { deepFreeze } from '../src/deepFreeze';
import { MessageFactory, type TurnContext } from 'botbuilder';
import { QuestionId, TierId, type Knowledge, type Lang, type Text } from '../src/knowledge/schema';
import type { Interpretation } from '../src/understand/interpretation';
import type { Answers, NotEligible, Route } from '../src/engine/types';
import { route } from '../src/engine/route';
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
import { questionNames } from '../src/messages/cards';
import { say, type ConversationMessageId } from '../src/messages/conversation';
import type { CardSubmit } from '../src/understand/submit';
import type { MenuItem } from './memory';

/** An answer as the partner sees it: the question's name and the option's label. */
export interface NamedAnswer {
  question: string;
  answer: string;
}

/** "Product family: Azure, Program: CSP direct": answers listed the one way the bot lists them. */
export function listAnswers(answers: NamedAnswer[]): string {
  return answers.map(({ question, answer }) => `${question}: ${answer}`).join(', ');
}

/**
 * What the dialogs send, in one place: cards from src/cards (with their plain-text fallback on channels
 * without Adaptive Cards), facts from the knowledge file, and sentences from the message catalogue.
 */
export class Replies {
  /**
   * Each case's outcome and card by its answers and language, which decide both: partners take the same few
   * hundred cases again and again, and describing and rendering a route is the costliest part of a turn.
   */
  private readonly decided = new Map<string, Decided>();

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
    return this.choiceList(context, say('whichAnswerToChange', lang), items);
  }

  /** "Go on with a case for Azure?" with a button that opens the case the reply offers. */
  offerToContinue(context: TurnContext, prompt: string, lang: Lang): Promise<MenuItem[]> {
    const start = { verb: 'start', topic: 'supportCase' } satisfies CardSubmit;
    return this.choiceList(context, prompt, [{ title: say('continueCase', lang), value: start }]);
  }

  /** A sentence with one button per item (src/cards builds them); returns the items, for a typed pick. */
  private async choiceList(context: TurnContext, prompt: string, items: MenuItem[]): Promise<MenuItem[]> {
    await context.sendActivity(menuActivity(context.activity, prompt, items));
    return items;
  }

  /** The welcome with the first choices; returns them, so a typed number or name can pick one. */
  welcome(context: TurnContext, lang: Lang): Promise<MenuItem[]> {
    return this.card(context, renderWelcome(lang, this.knowledge));
  }

  /**
   * Sends the case's card; returns its outcome and the card's "Did this answer your question?" choices (for a typed
   * yes, no or number), or undefined (and sends nothing) while the engine still asks.
   */
  async outcome(
    context: TurnContext,
    answers: Answers,
    lang: Lang,
  ): Promise<{ outcome: Route | NotEligible; choices: MenuItem[] } | undefined> {
    const decided = this.decide(answers, lang);
    if (!decided) return undefined;
    const choices = await this.card(context, decided.card);
    return { outcome: decided.outcome, choices };
  }

  /** Everything the case's card opens on demand, as text ("steps" on channels without cards); false while it asks. */
  async steps(context: TurnContext, answers: Answers, lang: Lang): Promise<boolean> {
    const card = this.decide(answers, lang)?.card;
    if (card) await context.sendActivity(MessageFactory.text(card.details ?? card.text));
    return card !== undefined;
  }

  /** The id of the route or not-eligible outcome these answers end on; undefined while the engine still asks. */
  routeIdOf(answers: Answers, lang: Lang): string | undefined {
    return this.decide(answers, lang)?.outcome.id;
  }

  private decide(answers: Answers, lang: Lang): Decided | undefined {
    const key = `${lang} ${JSON.stringify(answers, Object.keys(answers).sort())}`;
    let decided = this.decided.get(key);
    if (!decided) {
      const outcome = route(answers, lang, this.knowledge);
      if (outcome.kind === 'ask') return undefined;
      const card = outcome.kind === 'route' ? renderRoute(outcome) : renderNotEligible(outcome);
      decided = { outcome, card: deepFreeze(card) };
      if (this.decided.size >= MAX_DECIDED) this.decided.delete(this.decided.keys().next().value!);
      this.decided.set(key, decided);
    }
    return decided;
  }

  async severity(context: TurnContext, level: 'A' | 'B' | 'C', lang: Lang): Promise<void> {
    await this.card(context, renderSeverity(level, lang, this.knowledge));
  }

  /** The fix of a known error (or the list of them); returns the choices it offers (feedback, or the list). */
  knownError(context: TurnContext, id: string, lang: Lang): Promise<MenuItem[]> {
    const error = describeKnownError(id, lang, this.knowledge);
    return error ? this.card(context, renderKnownError(error, lang)) : this.knownErrorMenu(context, lang);
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

  /** Options the partner asked about ("what's PSfP?"), each with what it means, in one message. */
  async explainOptions(
    context: TurnContext,
    askedAbout: { slot: QuestionId; option: string }[],
    lang: Lang,
  ): Promise<void> {
    const lines = askedAbout.flatMap(({ slot, option }) => {
      const question = this.knowledge.questions[slot];
      const entry = optionsOf(this.knowledge, slot).find((candidate) => candidate.id === option);
      if (!entry) return [];
      const explanation = entry.explain?.[lang] ?? question.why[lang];
      const values = { option: entry.label[lang], question: questionNames[slot][lang], explanation };
      return [say('optionExplained', lang, values)];
    });
    if (lines.length > 0) await context.sendActivity(MessageFactory.text(lines.join('\n\n')));
  }

  /** "Product: Intune, Program: CSP direct" (a product stands for its family), or '' for no answers. */
  describeAnswers(answers: Answers, lang: Lang): string {
    return listAnswers(this.answerList(answers, lang));
  }

  /** The answers as the partner saw them, question name and option label, in the order the bot asks. */
  answerList(answers: Answers, lang: Lang): NamedAnswer[] {
    return QuestionId.options.flatMap((slot) => {
      const option = answers[slot];
      if (option === undefined || (slot === 'family' && answers.product)) return [];
      return this.nameAnswer(slot, option, lang) ?? [];
    });
  }

  /** One answer as the partner sees it; undefined for an option the question does not have. */
  nameAnswer(slot: QuestionId, option: string, lang: Lang): NamedAnswer | undefined {
    const entry = optionsOf(this.knowledge, slot).find((candidate) => candidate.id === option);
    return entry && { question: questionNames[slot][lang], answer: entry.label[lang] };
  }

  /** "Shall I send this to the support desk?" with yes and no buttons; returns them, for a typed pick. */
  askConsent(context: TurnContext, prompt: string, lang: Lang): Promise<MenuItem[]> {
    const send = (yes: boolean) => ({ verb: 'handoff', send: yes }) satisfies CardSubmit;
    return this.choiceList(context, prompt, [
      { title: say('handoffSend', lang), value: send(true) },
      { title: say('handoffDontSend', lang), value: send(false) },
    ]);
  }

  /** A general fact of the seed (cloud competencies, delegated admin …), as its title and text. */
  async fact(context: TurnContext, id: string, lang: Lang, named: Interpretation): Promise<boolean> {
    const fact = this.knowledge.facts.find((entry) => entry.id === id);
    if (!fact) return false;
    // The level said ("we are Gold") or asked about ("how many incidents does Gold get?").
    const asked = named.askedAbout.find((about) => about.slot === 'tier')?.option;
    const tier = TierId.safeParse(named.answers.tier ?? asked);
    const forTier = TIER_FACTS.has(id) && tier.success ? [this.incidentsFor(tier.data, lang)] : [];
    // The family named or asked about ("Is a contract needed for Office 365 tickets?"): its own answer first.
    const family =
      named.answers.family ??
      named.askedAbout.find((about) => about.slot === 'family')?.option ??
      this.familyOf(
        named.answers.product ?? named.askedAbout.find((about) => about.slot === 'product')?.option,
      );
    const forFamily = fact.forFamily.find((entry) => entry.families.some((id) => id === family));
    const paragraphs = [
      fact.title[lang],
      ...forTier,
      ...(forFamily ? [forFamily.text[lang]] : []),
      fact.text[lang],
    ];
    await context.sendActivity(MessageFactory.text(paragraphs.join('\n\n')));
    return true;
  }

  private familyOf(product: string | undefined): string | undefined {
    return this.knowledge.questions.product.options.find((option) => option.id === product)?.family;
  }

  /** "For Silver: on-premises 15 incidents; Signature Cloud Support: …", from the benefit table. */
  private incidentsFor(tier: z.infer<typeof TierId>, lang: Lang): string {
    const { benefits, entitlements } = this.knowledge;
    const count = (value: number | 'unlimited') =>
      value === 'unlimited'
        ? say('unlimited', lang)
        : entitlements.incidents[lang].replace('{count}', `${value}`);
    const signature = benefits.signatureCloudSupport[tier];
    const cloud = signature
      ? say('byCompetency', lang, { cloud: count(signature.cloud), other: count(signature.other) })
      : say('noSignatureCloudSupport', lang);
    const onPremises = count(benefits.onPremisesIncidents[tier]);
    const name = optionsOf(this.knowledge, 'tier').find((option) => option.id === tier)?.label[lang] ?? tier;
    return say('incidentsForTier', lang, { tier: name, onPremises, cloud });
  }

  /** Sends a card (its text on channels without cards) and returns the menu items it offers, if any. */
  private async card(context: TurnContext, card: RenderedCard): Promise<MenuItem[]> {
    await context.sendActivity(cardActivity(card, context.activity.channelId));
    return card.choices ?? [];
  }
}

interface Decided {
  outcome: Route | NotEligible;
  card: RenderedCard;
}

/** About 25 KB each: 2,000 cases stay under 50 MB. */
const MAX_DECIDED = 2_000;

/** Facts about incidents per MPN level: said first for the level the partner named. */
const TIER_FACTS = new Set(['incidentsByTier', 'signatureCloudSupport']);

/** The options of one question, as the knowledge file has them (an explanation where it gives one). */
function optionsOf(knowledge: Knowledge, slot: QuestionId): { id: string; label: Text; explain?: Text }[] {
  return knowledge.questions[slot].options;
}
