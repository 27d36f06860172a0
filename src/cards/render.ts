import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Template } from 'adaptivecards-templating';
import { CardFactory, MessageFactory, type Activity, type Attachment } from 'botbuilder';
import type { z } from 'zod';
import { QuestionId, type Knowledge, type Lang } from '../knowledge/schema';
import type { Answers, Ask, KnownErrorOut, NotEligible, Route } from '../engine/types';
import { FeedbackReason, WelcomeTopic } from '../understand/submit';
import { cardLabels, cardText, questionNames, type CardMessageId } from '../messages/cards';
import {
  AskShape,
  KnownErrorShape,
  NotEligibleShape,
  RedirectShape,
  RouteShape,
  SeverityGuideShape,
  type RedirectOut,
} from './shapes';
import { isNode, MARKDOWN_LINK, nodes, readCard, type CardChoice } from './plainText';

/** A card ready to send, with what channels without Adaptive Cards show instead. */
export interface RenderedCard {
  /** Which template in cards/ this was expanded from. */
  card: CardName;
  attachment: Attachment;
  /** The card as plain text, read off the card (src/cards/plainText.ts): the answer first, links as URLs. */
  text: string;
  /** Channels without cards: the card with everything it opens on demand, sent when the partner types "steps". */
  details?: string;
  /** One line, for notifications and channels that show only a summary. */
  summary: string;
  /** A menu's items as the plain text numbers them, with what each button sends (typed numbers pick them). */
  choices?: CardChoice[];
}

export type { CardChoice };

export type CardName =
  | 'result'
  | 'notEligible'
  | 'knownError'
  | 'redirect'
  | 'severity'
  | 'welcome'
  | 'question'
  | 'knownErrorMenu'
  | 'redirectMenu'
  | 'feedback';

/** Bad data for a card: names the card and the field, so a broken knowledge entry is found at once. */
export class CardDataError extends Error {
  constructor(card: CardName, error: z.ZodError) {
    const first = error.issues[0];
    super(`${card} card: ${first?.path.join('.') || '(root)'}: ${first?.message ?? 'invalid data'}`);
    this.name = 'CardDataError';
  }
}

export const cardsDirectory = path.join(import.meta.dirname, '../../cards');

/** Each template read and prepared once: preparing parses every expression in it. */
const templates = new Map<CardName, Template>();

function template(card: CardName): Template {
  let prepared = templates.get(card);
  if (!prepared) {
    prepared = new Template(JSON.parse(readFileSync(path.join(cardsDirectory, `${card}.json`), 'utf8')));
    templates.set(card, prepared);
  }
  return prepared;
}

function checked<T>(card: CardName, shape: z.ZodType<T>, data: unknown): T {
  const parsed = shape.safeParse(data);
  if (!parsed.success) throw new CardDataError(card, parsed.error);
  return parsed.data;
}

/**
 * A line starting like a markdown list ("2. Problem details", the portal's own step names), or only a marker (a
 * step's number "2." on its own: Web Chat renders it as a list of its own, numbered 1).
 */
const LIST_MARKER = /^(\s*(?:\d+[.)]|[-*+]))(?:[ \t]+|$)/gm;

/**
 * Card text is markdown: a line starting with a list marker would render as a nested list. A no-break space
 * after the marker is not a list separator in markdown, and reads the same.
 */
function notAList<T>(value: T): T {
  if (typeof value === 'string') return value.replace(LIST_MARKER, '$1\u00a0') as T;
  if (Array.isArray(value)) return value.map(notAList) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, notAList(item)])) as T;
  }
  return value;
}

/**
 * Expanded cards by template and data. Partners take the same few hundred routes again and again, and expanding
 * a template re-parses every expression: the profile put it at a fifth of a turn's CPU.
 */
const expandedCards = new Map<string, string>();
const MAX_EXPANDED_CARDS = 2_000;

function expand(card: CardName, data: object): unknown {
  const key = `${card}\u0000${JSON.stringify(data)}`;
  let content = expandedCards.get(key);
  if (content === undefined) {
    content = JSON.stringify(template(card).expand({ $root: notAList(data) }));
    if (expandedCards.size >= MAX_EXPANDED_CARDS) expandedCards.delete(expandedCards.keys().next().value!);
    expandedCards.set(key, content);
  }
  // Each reply gets its own copy (middleware and channels may change an attachment in place); kept as JSON
  // because parsing it is cheaper than structuredClone of the object.
  return JSON.parse(content) as unknown;
}

/** A card filled from one set of template data; an answer card with "Did this answer your question?" below. */
function filled(card: CardName, data: object, lang: Lang, feedbackOn?: string): unknown {
  const content = expand(card, data);
  return feedbackOn ? withFeedback(content, feedbackOn, lang) : content;
}

/**
 * A filled card and its plain text: the text is read off the card (everything it opens, or its first screen
 * only), with what only text needs (how to type a command instead of pressing a button) after it.
 */
function sendable(
  card: CardName,
  content: unknown,
  {
    lang,
    summary,
    commands = [],
    opened = true,
  }: { lang: Lang; summary: string; commands?: string[]; opened?: boolean },
): RenderedCard {
  const { lines, choices } = readCard(content, { opened, menuHint: cardLabels(lang).menuHint });
  return {
    card,
    attachment: CardFactory.adaptiveCard(content),
    text: [...lines, ...(commands.length > 0 ? ['', ...commands] : [])].join('\n'),
    summary,
    choices: choices.length > 0 ? choices : undefined,
  };
}

/** A card and its plain text from one set of template data. */
function rendered(
  card: CardName,
  data: object,
  options: { lang: Lang; summary: string; commands?: string[]; feedbackOn?: string },
): RenderedCard {
  return sendable(card, filled(card, data, options.lang, options.feedbackOn), options);
}

// ---------- view helpers ----------

const numbered = (texts: string[]) => texts.map((text, index) => ({ n: `${index + 1}.`, text }));

/**
 * A paragraph's first sentence and the rest ('' when it is one sentence). The IDs paragraph of routing.yaml opens
 * with the answer ("No access ID or contract ID is needed.", "Competency partners need an access ID and a contract
 * ID … before they submit a new support request.") and goes on with where to find them: the card shows the answer
 * and keeps the rest behind a button, so the steps stay on the first screen of a phone.
 */
export function firstSentence(paragraph: string): [string, string] {
  const end = /\.(?=\s)|。/.exec(paragraph);
  if (!end) return [paragraph, ''];
  const cut = end.index + 1;
  return [paragraph.slice(0, cut), paragraph.slice(cut).trim()];
}

/** A link as card markdown: brackets in the name would end the link text early. */
const linkView = (link: { name: string; url: string }) => ({
  name: link.name.replace(/\[/g, '(').replace(/\]/g, ')'),
  url: link.url.replace(/\(/g, '%28').replace(/\)/g, '%29'),
});

/** A text that only some routes have, as zero or one line. */
const optional = (text: string | undefined) => (text ? [text] : []);

const markdownLink = (link: { name: string; url: string }) => {
  const { name, url } = linkView(link);
  return `[${name}](${url})`;
};

/**
 * The answers a partner can change, in the order the bot asks them: the list of the card's "Change an answer"
 * and of "change" typed in the chat.
 */
export function answersToChange(answers: Answers, lang: Lang): { question: QuestionId; title: string }[] {
  return QuestionId.options
    .filter((question) => answers[question] !== undefined)
    .map((question) => ({ question, title: questionNames[question][lang] }));
}

// ---------- cards ----------

/**
 * Visible characters allowed on a route card before anything is opened: the answer (plan, portal, IDs,
 * entitlement, first steps). Japanese says the same in fewer characters: over the same facts of every route
 * (entitlement, IDs, steps, notes) the Japanese text of routing.yaml is 0.57 times as long as the English
 * (tests/cards.test.ts measures it again), so its budget is 1,200 × 0.57.
 */
export const FIRST_SCREEN_BUDGET: Record<Lang, number> = { en: 1_200, ja: 684 };
/** The first screen shows at most this many steps; the others open on demand. */
const MAX_FIRST_STEPS = 3;

/** A markdown link reads as its text; a no-break space as a space. */
const shownText = (text: string) => text.replace(MARKDOWN_LINK, '$1').replace(/\u00a0/g, ' ');

/**
 * What a person sees on a card before pressing anything: texts, facts, inputs and button titles, but not
 * hidden elements (isVisible false) nor the cards behind Action.ShowCard.
 */
function firstScreenText(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(firstScreenText);
  if (!isNode(value) || value.isVisible === false) return [];
  if (value.type === 'Input.ChoiceSet') {
    return [value.label, value.placeholder, ...nodes(value.choices).map((choice) => choice.title)]
      .filter((text): text is string => typeof text === 'string')
      .map(shownText);
  }
  const own = ['text', 'title', 'value', 'label', 'placeholder']
    .map((key) => value[key])
    .filter((text): text is string => typeof text === 'string')
    .map(shownText);
  const children = Object.entries(value)
    .filter(([key]) => !['card', 'data', 'selectAction', 'fallbackText', '$schema'].includes(key))
    .flatMap(([, child]) => firstScreenText(child));
  return [...own, ...children];
}

const characters = (texts: string[]) => texts.reduce((sum, text) => sum + [...text].length, 0);

export function renderRoute(input: Route): RenderedCard {
  const route = checked('result', RouteShape, input);
  const lang = route.lang;
  const l = cardLabels(lang);
  const links = [...route.kbs, ...route.links];
  const checklist = [
    // On-premises incidents are not filed for a customer tenant (no on-behalf-of process).
    ...(route.family.id === 'onPremises' ? [] : [l.checklistCustomer]),
    ...(route.ids.required ? [l.checklistIds] : []),
    l.checklistProduct,
    l.checklistDescription,
    l.checklistSeverity,
    l.checklistContacts,
    l.checklistFiles,
  ];
  const problemTemplate = cardText('templateText', lang, {
    product: route.product?.name ?? route.family.name,
  });
  const severity = route.severity.levels.map((level) => ({
    label: cardText('severityLevel', lang, { level: level.id }),
    criteria: level.criteria,
  }));
  const notes = [...route.caveats.map((caveat) => caveat.text), ...optional(route.browserCountryNote)];
  const steps = numbered(route.steps.map((step) => step.text));
  const knownErrorsTitle = cardText('knownErrorsTitle', lang, { count: route.knownErrors.length });
  const [idsLead, idsMore] = firstSentence(route.ids.text);

  /** The card with the first `shown` steps on its first screen, and the rest behind "All N steps". */
  const card = (shown: number) => {
    const data = {
      l,
      route,
      fallbackText: route.summary,
      portal: route.portal.url
        ? markdownLink({ name: route.portal.name, url: route.portal.url })
        : route.portal.name,
      idsStyle: route.ids.required ? 'warning' : 'good',
      idsLead,
      idsMore,
      firstSteps: steps.slice(0, shown),
      moreSteps: steps.slice(shown),
      allStepsTitle: cardText('allSteps', lang, { count: steps.length }),
      caveats: route.caveats.map((caveat) => ({ text: caveat.text })),
      notes,
      notesTitle: cardText('notesTitle', lang, { count: notes.length }),
      links: links.map(linkView),
      linksTitle: cardText('linksCount', lang, { count: links.length }),
      checklist: checklist.map((text) => ({ text })),
      problemTemplate,
      severity,
      knownErrors: route.knownErrors.map((error) => ({
        title: error.title,
        message: error.message,
        fix: numbered(error.fix),
        causes: error.causes.map((text) => ({ text })),
        links: error.links.map(linkView),
      })),
      knownErrorsTitle,
      changeAnswers: answersToChange(route.answers, lang),
    };
    return filled('result', data, lang, route.id);
  };
  // As many of the first steps as the budget allows (at least one): the answer stays on one screen. Expanding
  // the card is the costly part of a turn, so the count is worked out from the first expansion.
  const budget = FIRST_SCREEN_BUDGET[lang];
  let shown = Math.min(MAX_FIRST_STEPS, steps.length);
  let content = card(shown);
  let over = characters(firstScreenText(content)) - budget;
  if (over > 0) {
    const toggle =
      shown === steps.length ? characters([cardText('allSteps', lang, { count: steps.length })]) : 0;
    over += toggle;
    while (shown > 1 && over > 0) {
      shown -= 1;
      over -= characters([steps[shown].n, steps[shown].text]);
    }
    content = card(shown);
  }

  // The first screen as the answer (its "Did this answer your question?" numbered to pick by typing); "steps"
  // sends the card with everything opened.
  const commands = [cardText('stepsCommand', lang, { count: steps.length }), l.outcomeCommands];
  const details = readCard(content, { opened: true, menuHint: l.menuHint }).lines.join('\n');
  return {
    ...sendable('result', content, { lang, summary: route.summary, commands, opened: false }),
    details,
  };
}

export function renderNotEligible(input: NotEligible): RenderedCard {
  const outcome = checked('notEligible', NotEligibleShape, input);
  const l = cardLabels(outcome.lang);
  const data = {
    l,
    outcome,
    instead: numbered(outcome.instead),
    links: outcome.links.map(linkView),
    changeAnswers: answersToChange(outcome.answers, outcome.lang),
  };
  return rendered('notEligible', data, {
    lang: outcome.lang,
    summary: `${l.notEligibleTitle}: ${outcome.summary}`,
    commands: [l.outcomeCommands],
    feedbackOn: outcome.id,
  });
}

export function renderKnownError(input: KnownErrorOut, lang: Lang): RenderedCard {
  const error = checked('knownError', KnownErrorShape, input);
  const l = cardLabels(lang);
  const data = {
    l,
    error,
    fix: numbered(error.fix),
    causes: error.causes.map((text) => ({ text })),
    links: error.links.map(linkView),
  };
  return rendered('knownError', data, { lang, summary: error.title, feedbackOn: `knownError:${error.id}` });
}

export function renderRedirect(input: RedirectOut, lang: Lang): RenderedCard {
  const redirect = checked('redirect', RedirectShape, input);
  const l = cardLabels(lang);
  const data = { l, redirect, links: redirect.links.map(linkView) };
  return rendered('redirect', data, { lang, summary: redirect.title });
}

/** The severity the helper chose, its criteria, the other two, and the business-hours note. */
export function renderSeverity(level: 'A' | 'B' | 'C', lang: Lang, knowledge: Knowledge): RenderedCard {
  const guide = checked('severity', SeverityGuideShape, {
    levels: knowledge.severity.levels.map((entry) => ({ id: entry.id, criteria: entry.criteria[lang] })),
    businessHoursNote: knowledge.severity.businessHoursNote[lang],
  });
  const l = cardLabels(lang);
  const levels = guide.levels.map((entry) => ({
    id: entry.id,
    label: cardText('severityLevel', lang, { level: entry.id }),
    criteria: entry.criteria,
  }));
  const chosen = levels.find((entry) => entry.id === level);
  if (!chosen) throw new Error(`severity card: the knowledge file has no severity ${level}`);
  const title = cardText('severityChosen', lang, { level });
  const data = {
    l,
    chosen: { title, criteria: chosen.criteria },
    others: levels.filter((entry) => entry.id !== level),
    businessHoursNote: guide.businessHoursNote,
  };
  return rendered('severity', data, { lang, summary: title });
}

const TOPIC_LABELS = {
  supportCase: 'topicSupportCase',
  severityHelp: 'topicSeverityHelp',
  knownError: 'topicKnownError',
  notTechnicalSupport: 'topicNotTechnical',
} as const satisfies Record<WelcomeTopic, CardMessageId>;

export function renderWelcome(lang: Lang, knowledge: Knowledge): RenderedCard {
  const l = cardLabels(lang);
  const title = knowledge.meta.title[lang];
  const topics = WelcomeTopic.options.map((topic) => ({ topic, title: l[TOPIC_LABELS[topic]] }));
  return rendered('welcome', { l, title, topics }, { lang, summary: title });
}

/** More choices than this go into a drop-down: Teams shows at most six buttons in a row. */
const MAX_BUTTONS = 5;

/** A question of the engine as a card: buttons for a few choices, a drop-down for many (the product list). */
export function renderQuestion(input: Ask, lang: Lang): RenderedCard {
  const ask = checked('question', AskShape, input);
  const l = cardLabels(lang);
  const data = { l, ask, choices: ask.choices, asButtons: ask.choices.length <= MAX_BUTTONS };
  return rendered('question', data, { lang, summary: ask.prompt });
}

/** The known errors to pick from when the partner says they got an error but did not paste it. */
export function renderKnownErrorMenu(lang: Lang, knowledge: Knowledge): RenderedCard {
  const l = cardLabels(lang);
  const errors = knowledge.knownErrors.map((error) => ({
    id: error.id,
    title: error.title[lang],
    message: error.message[lang],
  }));
  return rendered('knownErrorMenu', { l, errors }, { lang, summary: l.knownErrorMenuTitle });
}

/** The questions that are not technical support (presales, program and licensing), to pick from. */
export function renderRedirectMenu(lang: Lang, knowledge: Knowledge): RenderedCard {
  const l = cardLabels(lang);
  const redirects = knowledge.redirects.map((redirect) => ({ id: redirect.id, title: redirect.title[lang] }));
  return rendered('redirectMenu', { l, redirects }, { lang, summary: l.redirectMenuTitle });
}

// ---------- feedback ----------

/**
 * An answer card with "Did this answer your question?" and its yes / no buttons (cards/feedback.json) at its
 * bottom; the plain text numbers them like any menu (src/cards/plainText.ts).
 */
function withFeedback(content: unknown, outcome: string, lang: Lang): unknown {
  const l = cardLabels(lang);
  const part = expand('feedback', { l, outcome, step: 'ask', reasons: [], comment: false }) as {
    body: unknown[];
  };
  (content as { body: unknown[] }).body.push(...part.body);
  return content;
}

const REASON_LABELS: Record<FeedbackReason, CardMessageId> = {
  wrongRoute: 'feedbackWrongRoute',
  unclearSteps: 'feedbackUnclearSteps',
  missingInformation: 'feedbackMissingInformation',
  other: 'feedbackOther',
};

/**
 * After "no": what went wrong (the reasons), an optional comment where the setting allows it (cards only), and
 * a send button. Plain text numbers the reasons; a typed number or reason picks one (no comment there).
 */
export function renderFeedbackReasons(outcome: string, lang: Lang, comment: boolean): RenderedCard {
  const l = cardLabels(lang);
  const reasons = FeedbackReason.options.map((id) => ({ id, title: l[REASON_LABELS[id]] }));
  return rendered(
    'feedback',
    { l, outcome, step: 'reasons', reasons, comment },
    { lang, summary: l.feedbackWhy },
  );
}

// ---------- sending ----------

/**
 * Channels that render Adaptive Cards (Bot Framework channels reference: Teams, Web Chat and Direct Line clients,
 * the Emulator; "test" is botbuilder's TestAdapter). SMS, email, Slack, Telegram, Facebook, LINE and the rest
 * get plain text: they drop the card or turn it into an image without working buttons.
 */
const CARD_CHANNELS: ReadonlySet<string> = new Set(['msteams', 'webchat', 'directline', 'emulator', 'test']);

export function supportsCards(channelId: string | undefined): boolean {
  return channelId !== undefined && CARD_CHANNELS.has(channelId);
}

/**
 * The message to send: the card with a one-line summary where cards render (no `text`, which Web Chat would
 * show as a second bubble), the plain-text version everywhere else.
 */
export function cardActivity(card: RenderedCard, channelId: string | undefined): Partial<Activity> {
  if (!supportsCards(channelId)) return MessageFactory.text(card.text);
  const activity = MessageFactory.attachment(card.attachment);
  activity.summary = card.summary;
  return activity;
}
