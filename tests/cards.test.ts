import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AdaptiveCard, SerializationContext, Versions } from 'adaptivecards';
import { describe, expect, it } from 'vitest';
import {
  cardActivity,
  CardDataError,
  describeKnownError,
  describeLinks,
  describeRedirect,
  menuActivity,
  questionActivity,
  renderKnownError,
  renderKnownErrorMenu,
  renderNotEligible,
  renderQuestion,
  renderRedirect,
  renderRedirectMenu,
  renderFeedbackReasons,
  renderRoute,
  renderSeverity,
  renderWelcome,
  supportsCards,
  type RenderedCard,
} from '../src/cards';
import { cardsDirectory, firstSentence, FIRST_SCREEN_BUDGET } from '../src/cards/render';
import { everyDecidedCase } from '../src/engine/space';
import type { NotEligible, Route } from '../src/engine/types';
import { getKnowledge } from '../src/knowledge/load';
import { Lang, QuestionId, SeverityId } from '../src/knowledge/schema';
import { cardMessages, cardText, questionNames } from '../src/messages/cards';
import { parseCardSubmit, WelcomeTopic } from '../src/understand';
import { everyAsk, everyCard } from './helpers/everyCard';

const knowledge = getKnowledge();
const LANGS = Lang.options;
const LOCALE: Record<Lang, string> = { ja: 'ja-jp', en: 'en-us' };
/** Teams rejects a bot message over about 28 KB (activity JSON with its card). */
const MAX_MESSAGE_BYTES = 28 * 1024;
/** Teams mobile renders Adaptive Cards up to 1.2: every card declares 1.2, and anything newer needs a fallback. */
const CARD_VERSION = 1.2;
/**
 * Input validation (1.3): a 1.2 host ignores it and still takes the input. An input's 1.3 `label` is not on this
 * list: a 1.2 host would show the input with no label, so each input has a 1.2 TextBlock above it instead.
 */
const INPUT_VALIDATION_1_3 = /^Property "(isRequired|errorMessage)" is supported in version 1\.3/;
const ELEMENTS_UP_TO_1_2 = new Set([
  'AdaptiveCard',
  'TextBlock',
  'RichTextBlock',
  'TextRun',
  'Image',
  'ImageSet',
  'Media',
  'Container',
  'ColumnSet',
  'Column',
  'FactSet',
  'ActionSet',
  'Input.Text',
  'Input.Number',
  'Input.Date',
  'Input.Time',
  'Input.Toggle',
  'Input.ChoiceSet',
  'Action.Submit',
  'Action.OpenUrl',
  'Action.ShowCard',
  'Action.ToggleVisibility',
]);
/** The Adaptive Cards SDK's default host config; Teams shows six. */
const MAX_ACTIONS = 5;

/** A line markdown renders as a list item, an empty one ("2." alone) included. */
const MARKDOWN_LIST = /^\s*(\d+[.)]|[-*+])([ \t]|$)/m;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function* nodes(value: Json): Generator<JsonObject> {
  if (Array.isArray(value)) {
    for (const item of value) yield* nodes(item);
  } else if (isObject(value)) {
    yield value;
    for (const child of Object.values(value)) yield* nodes(child);
  }
}

function* strings(value: Json): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value) yield* strings(item);
  else if (isObject(value)) for (const child of Object.values(value)) yield* strings(child);
}

const content = (card: RenderedCard) => card.attachment.content as JsonObject;
const ofType = (card: RenderedCard, type: string) =>
  [...nodes(content(card))].filter((node) => node.type === type);

const readAs = (text: string) => text.replace(/\u00a0/g, ' ').replace(/\[([^\]]*)\]\(https:[^)]*\)/g, '$1');

/** Everything a person reads on the card: text blocks, facts, button titles, inputs' text. */
function visibleText(card: RenderedCard): string[] {
  return [...nodes(content(card))].flatMap((node) => {
    const shown: string[] = [];
    for (const key of ['text', 'title', 'value', 'label', 'placeholder'] as const) {
      const value = node[key];
      // The card keeps a no-break space after a leading "2." so markdown does not make it a list; a markdown
      // link reads as its text.
      if (typeof value === 'string') shown.push(readAs(value));
    }
    return shown;
  });
}

/**
 * What shows before anything is pressed: the card without hidden elements and without the cards behind
 * Action.ShowCard (written apart from the renderer's own count, which picks how many steps fit).
 */
function firstScreen(value: Json): string[] {
  if (Array.isArray(value)) return value.flatMap(firstScreen);
  if (!isObject(value) || value.isVisible === false) return [];
  const shown: string[] = [];
  if (value.type === 'Input.ChoiceSet') {
    for (const choice of value.choices as JsonObject[]) shown.push(String(choice.title));
    return shown;
  }
  for (const key of ['text', 'title', 'value', 'label', 'placeholder']) {
    if (typeof value[key] === 'string') shown.push(value[key]);
  }
  for (const [key, child] of Object.entries(value)) {
    if (key !== 'card' && key !== 'data' && key !== 'fallbackText') shown.push(...firstScreen(child));
  }
  return shown;
}

/** Each input of a card with the element laid out just before it (in the same body or container). */
function inputsWithWhatPrecedes(value: Json): { input: JsonObject; before?: JsonObject }[] {
  const found: { input: JsonObject; before?: JsonObject }[] = [];
  for (const node of nodes(value)) {
    for (const list of Object.values(node)) {
      if (!Array.isArray(list)) continue;
      const elements = list.filter(isObject).filter((element) => element.isVisible !== false);
      elements.forEach((element, index) => {
        if (String(element.type).startsWith('Input.'))
          found.push({ input: element, before: elements[index - 1] });
      });
    }
  }
  return found;
}

/** The urls a person can open: buttons and markdown links. */
function urls(card: RenderedCard): string[] {
  const found: string[] = [];
  for (const node of nodes(content(card))) {
    if (node.type === 'Action.OpenUrl' && typeof node.url === 'string') found.push(node.url);
  }
  for (const text of strings(content(card))) {
    for (const match of text.matchAll(/\]\((https?:[^)\s]+)\)/g)) found.push(match[1]);
  }
  return found;
}

/**
 * Each value an Action.Submit can send: its data (unless a required input must be filled first), and its data
 * merged with each value of the choice inputs beside it.
 */
function submits(card: RenderedCard): unknown[] {
  const sent: unknown[] = [];
  const choiceSets = ofType(card, 'Input.ChoiceSet');
  const inputValues = choiceSets.flatMap((input) =>
    (input.choices as JsonObject[]).map((choice) => ({ [input.id as string]: choice.value })),
  );
  const mustChoose = choiceSets.some((input) => input.isRequired === true);
  for (const action of ofType(card, 'Action.Submit')) {
    if (!mustChoose) sent.push(action.data);
    for (const input of inputValues) sent.push({ ...(action.data as JsonObject), ...input });
  }
  return sent;
}

/**
 * What the card's own buttons send, each with the values of the choice inputs beside it: a form shown on demand
 * (change an answer) is left out, as the plain text leaves it out (it says the command to type instead).
 */
function ownSubmits(card: RenderedCard): unknown[] {
  const own: JsonObject[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (isObject(node)) {
      own.push(node);
      for (const [key, child] of Object.entries(node)) if (key !== 'card') visit(child);
    }
  };
  visit(content(card));
  const inputs = own
    .filter((node) => node.type === 'Input.ChoiceSet')
    .flatMap((input) =>
      (input.choices as JsonObject[]).map((choice) => ({ [input.id as string]: choice.value })),
    );
  return own
    .filter((node) => node.type === 'Action.Submit')
    .flatMap((action) =>
      inputs.length > 0
        ? inputs.map((input) => ({ ...(action.data as JsonObject), ...input }))
        : [action.data],
    );
}

const verbs = (card: RenderedCard) =>
  ofType(card, 'Action.Submit').map((action) => (action.data as JsonObject).verb);

/** What every card the bot sends must satisfy, whatever its data. */
function expectSendable(card: RenderedCard, lang: Lang): void {
  expect(card.attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
  const json = content(card);
  expect(json.type).toBe('AdaptiveCard');
  expect(Number(json.version)).toBe(CARD_VERSION);
  expect(Buffer.byteLength(JSON.stringify(cardActivity(card, 'msteams')))).toBeLessThanOrEqual(
    MAX_MESSAGE_BYTES,
  );

  const parsed = new AdaptiveCard();
  const context = new SerializationContext(Versions.v1_2);
  parsed.parse(json, context);
  const parseEvents = Array.from(
    { length: context.eventCount },
    (_, i) => context.getEventAt(i).message,
  ).filter((message) => !INPUT_VALIDATION_1_3.test(message));
  expect(parseEvents, `${card.card}: parse warnings`).toEqual([]);
  const validation = parsed.validateProperties().validationEvents.map((event) => event.message);
  expect(validation, `${card.card}: validation`).toEqual([]);

  for (const text of strings(json)) {
    expect(text, 'an unexpanded template expression').not.toContain('${');
    expect(text, 'an unfilled label placeholder').not.toMatch(/\{[a-zA-Z]+\}/);
  }
  for (const node of nodes(json)) {
    if (node.type === 'AdaptiveCard' && node.version !== undefined) {
      expect(Number(node.version)).toBeLessThanOrEqual(CARD_VERSION);
    }
    if (typeof node.type === 'string' && !ELEMENTS_UP_TO_1_2.has(node.type)) {
      expect(node.fallback, `${card.card}: ${node.type} is newer than 1.2`).toBeDefined();
    }
    if (node.type === 'TextBlock') {
      expect(String(node.text).trim(), 'an empty TextBlock').not.toBe('');
      expect(String(node.text), 'markdown would make this a list').not.toMatch(MARKDOWN_LIST);
    }
    if (node.type === 'FactSet') {
      expect((node.facts as JsonObject[]).length).toBeGreaterThan(0);
      for (const fact of node.facts as JsonObject[]) {
        expect(String(fact.title).trim()).not.toBe('');
        expect(String(fact.title), 'markdown would make this a list').not.toMatch(MARKDOWN_LIST);
        expect(String(fact.value).trim()).not.toBe('');
        expect(String(fact.value), 'markdown would make this a list').not.toMatch(MARKDOWN_LIST);
      }
    }
    if (Array.isArray(node.actions)) expect(node.actions.length).toBeLessThanOrEqual(MAX_ACTIONS);
    if (node.type === 'Action.Submit') {
      expect(isObject(node.data), 'Action.Submit data must be an object').toBe(true);
      expect(typeof (node.data as JsonObject).verb).toBe('string');
    }
  }
  for (const { input, before } of inputsWithWhatPrecedes(json)) {
    const name = `${card.card}: input ${String(input.id)}`;
    // Teams mobile (1.2) shows neither `label` nor `isRequired`: the TextBlock just above is the input's label.
    expect(before?.type, `${name} has no TextBlock label above it`).toBe('TextBlock');
    expect(String(before?.text ?? '').trim(), name).not.toBe('');
    // Hosts of 1.3 and later would show a `label` as well: the same words twice.
    expect(input.label, `${name} is labelled twice in a 1.3 host`).toBeUndefined();
  }
  for (const url of urls(card)) {
    expect(url).toMatch(/^https:\/\//);
    expect(url.toLowerCase(), 'a link in the other language').not.toContain(
      LOCALE[lang === 'ja' ? 'en' : 'ja'],
    );
  }
  // Every button and selectable row sends something the dialogs accept.
  for (const value of submits(card)) {
    expect(parseCardSubmit(value, knowledge), JSON.stringify(value)).toBeDefined();
  }
  expect(card.text.trim()).not.toBe('');
  expect(card.summary.trim()).not.toBe('');
}

/** Each route's card, rendered once for all the tests that read it. */
const routeCards = new Map<Route, RenderedCard>();
function routeCard(outcome: Route): RenderedCard {
  let card = routeCards.get(outcome);
  if (!card) {
    card = renderRoute(outcome);
    routeCards.set(outcome, card);
  }
  return card;
}

describe.each(LANGS)('every outcome the engine can decide (%s)', (lang) => {
  const cases = everyDecidedCase(lang, knowledge);
  const routes = cases.map((c) => c.outcome).filter((o): o is Route => o.kind === 'route');
  const notEligible = cases.map((c) => c.outcome).filter((o): o is NotEligible => o.kind === 'notEligible');

  it('covers every route id and at least one not-eligible case', () => {
    expect(new Set(routes.map((r) => r.id)).size).toBeGreaterThanOrEqual(11);
    expect(notEligible.length).toBeGreaterThan(0);
  });

  it('renders a sendable result card for every route', () => {
    for (const outcome of routes) expectSendable(routeCard(outcome), lang);
  });

  it('shows every fact of the route on the card', () => {
    for (const outcome of routes) {
      const card = routeCard(outcome);
      const shown = visibleText(card);
      const expected = [
        // the partner's answers; the plan has its own line
        outcome.answersSummary,
        outcome.plan.name,
        outcome.entitlement,
        outcome.portal.name,
        // the IDs paragraph: its answer on the card, the rest behind "More about the IDs"
        ...firstSentence(outcome.ids.text).filter(Boolean),
        // said on business support portal routes only
        ...(outcome.browserCountryNote ? [outcome.browserCountryNote] : []),
        ...(outcome.severity.businessHoursNote ? [outcome.severity.businessHoursNote] : []),
        ...outcome.caveats.map((caveat) => caveat.text),
        ...outcome.severity.levels.map((level) => level.criteria),
        ...outcome.knownErrors.flatMap((error) => [
          error.title,
          error.message,
          ...error.fix,
          ...error.causes,
        ]),
      ];
      for (const text of expected) expect(shown, `${outcome.id}: ${text}`).toContain(text);

      const linked = urls(card);
      for (const link of [...outcome.kbs, ...outcome.links]) expect(linked).toContain(link.url);
      if (outcome.portal.url) expect(linked).toContain(outcome.portal.url);
    }
  });

  it('numbers the steps in the engine order: the first on the first screen, the others one press away', () => {
    for (const outcome of routes) {
      const card = routeCard(outcome);
      const [first] = ofType(card, 'FactSet').filter((set) =>
        (set.facts as JsonObject[]).some((fact) => fact.value === outcome.steps[0].text),
      );
      const more = [...nodes(content(card))].find((node) => node.id === 'moreSteps');
      const facts = [first, ...(more ? [...nodes(more)].filter((node) => node.type === 'FactSet') : [])]
        .flatMap((set) => set.facts as JsonObject[])
        .map((fact) => ({ title: readAs(String(fact.title)).trim(), value: readAs(String(fact.value)) }));
      expect(facts).toEqual(outcome.steps.map((step, i) => ({ title: `${i + 1}.`, value: step.text })));
      if (more) {
        // behind "All N steps", so the first screen stays short
        const opens = ofType(card, 'Action.ShowCard').map((action) => action.card as Json);
        expect(opens.some((opened) => [...nodes(opened)].includes(more))).toBe(true);
      }
    }
  });

  it('opens on the answer: the plan, where to file (a link), the IDs, the entitlement and the first steps', () => {
    for (const outcome of routes) {
      const card = routeCard(outcome);
      const shown = firstScreen(content(card));
      const [idsAnswer, idsDetails] = firstSentence(outcome.ids.text);
      for (const fact of [
        outcome.plan.name,
        outcome.portal.name,
        idsAnswer,
        outcome.entitlement,
        outcome.steps[0].text,
      ]) {
        expect(shown.map(readAs), `${outcome.id}: ${fact}`).toContain(fact);
      }
      // where to find the IDs is one press away, so the steps are not pushed off a phone's first screen
      if (idsDetails) expect(shown.map(readAs), outcome.id).not.toContain(idsDetails);
      if (outcome.portal.url) {
        expect(shown.join('\n'), outcome.id).toContain(`](${outcome.portal.url})`);
      }
    }
  });

  it('shows an assumed "no ASfP or PSfP" on the first screen and in the text, for a partner who has one to correct', () => {
    const noPlan = knowledge.questions.purchasedPlan.options.find((option) => option.id === 'none')!;
    const assumed = routes.filter((outcome) => outcome.answers.purchasedPlan === 'none');
    expect(assumed.length).toBeGreaterThan(0);
    for (const outcome of assumed) {
      const card = routeCard(outcome);
      const summaryLine = firstScreen(content(card)).find((text) => text === outcome.answersSummary);
      expect(summaryLine, outcome.id).toContain(noPlan.summaryLabel![lang]);
      expect(card.text, outcome.id).toContain(noPlan.summaryLabel![lang]);
    }
  });

  it(`keeps the first screen within the budget (${FIRST_SCREEN_BUDGET[lang]} characters) and a message within 28 KB`, () => {
    for (const outcome of routes) {
      const card = routeCard(outcome);
      const characters = firstScreen(content(card))
        .map(readAs)
        .reduce((sum, text) => sum + [...text].length, 0);
      expect(characters, outcome.id).toBeLessThanOrEqual(FIRST_SCREEN_BUDGET[lang]);
      const bytes = Buffer.byteLength(JSON.stringify(cardActivity(card, 'msteams')));
      expect(bytes, outcome.id).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    }
  });

  it('lists what to have ready, with the IDs only where the plan needs them, and a template to copy', () => {
    const l = cardMessages;
    for (const outcome of routes) {
      const shown = visibleText(routeCard(outcome));
      for (const item of [
        'checklistProduct',
        'checklistDescription',
        'checklistSeverity',
        'checklistContacts',
        'checklistFiles',
      ] as const) {
        expect(shown).toContain(l[item][lang]);
      }
      expect(shown.includes(l.checklistIds[lang])).toBe(outcome.ids.required);
      expect(shown.includes(l.checklistCustomer[lang])).toBe(outcome.family.id !== 'onPremises');
      const template = ofType(routeCard(outcome), 'Input.Text')[0];
      expect(template.isMultiline).toBe(true);
      expect(String(template.value)).toContain(outcome.product?.name ?? outcome.family.name);
    }
  });

  it('offers start over and change-an-answer for exactly the answers the route was decided on', () => {
    for (const outcome of routes) {
      const card = routeCard(outcome);
      expect(verbs(card)).toEqual(expect.arrayContaining(['startOver', 'changeAnswer']));
      const choices = ofType(card, 'Input.ChoiceSet').find((input) => input.id === 'question');
      const offered = (choices?.choices as JsonObject[]).map((choice) => choice.value);
      expect(offered).toEqual(Object.keys(outcome.answers).sort(byQuestionOrder));
    }
  });

  it('gives a plain-text answer in the order of the card, and every step, note and link on "steps"', () => {
    for (const outcome of routes) {
      const { text, details = '' } = routeCard(outcome);
      const position = (fact: string) => text.indexOf(fact);
      const [idsAnswer, idsDetails] = firstSentence(outcome.ids.text);
      const order = [outcome.plan.name, idsAnswer, `1. ${outcome.steps[0].text}`];
      for (const fact of order) expect(text, outcome.id).toContain(fact);
      expect(order.map(position)).toEqual([...order.map(position)].sort((a, b) => a - b));
      if (outcome.portal.url) expect(text).toContain(outcome.portal.url);
      expect(text).toContain(cardText('stepsCommand', lang, { count: outcome.steps.length }));
      expect(text.indexOf(`1. ${outcome.steps[0].text}`)).toBeLessThan(
        text.indexOf(cardMessages.stepsCommand[lang].slice(0, 4)),
      );

      expect(details).toContain(idsDetails);
      outcome.steps.forEach((step, i) => expect(details).toContain(`${i + 1}. ${step.text}`));
      for (const caveat of outcome.caveats) expect(details).toContain(caveat.text);
      for (const error of outcome.knownErrors) expect(details).toContain(error.title);
      for (const link of [...outcome.kbs, ...outcome.links]) expect(details).toContain(link.url);
    }
  });

  it('renders every not-eligible case with its reason, what to do instead and its links', () => {
    for (const outcome of notEligible) {
      const card = renderNotEligible(outcome);
      expectSendable(card, lang);
      const shown = visibleText(card);
      for (const text of [outcome.reason, outcome.summary, ...outcome.instead]) expect(shown).toContain(text);
      for (const link of outcome.links) expect(urls(card)).toContain(link.url);
      expect(verbs(card)).toEqual(expect.arrayContaining(['startOver', 'changeAnswer']));
      outcome.instead.forEach((item, i) => expect(card.text).toContain(`${i + 1}. ${item}`));
    }
  });

  it('resolves links on known-error and redirect cards exactly as the engine does on routes', () => {
    for (const outcome of routes) {
      for (const link of [...outcome.kbs, ...outcome.links]) {
        expect(describeLinks([link.id], lang, knowledge)).toEqual([link]);
      }
      // On its own a known error lists every fix; on a route, the fixes for that route.
      for (const error of outcome.knownErrors)
        expect(describeKnownError(error.id, lang, knowledge)?.links).toEqual(error.links);
    }
  });
});

describe('the Japanese budget', () => {
  it('is the English one scaled by how long the same facts are in Japanese', () => {
    const facts = (route: Route) =>
      [
        route.entitlement,
        route.ids.text,
        ...route.steps.map((s) => s.text),
        ...route.caveats.map((c) => c.text),
      ]
        .map((text) => [...text].length)
        .reduce((sum, length) => sum + length, 0);
    const byAnswers = (lang: Lang) =>
      new Map(
        everyDecidedCase(lang, knowledge)
          .map((c) => c.outcome)
          .filter((o): o is Route => o.kind === 'route')
          .map((route) => [JSON.stringify(route.answers), facts(route)]),
      );
    const en = byAnswers('en');
    const ja = byAnswers('ja');
    let jaTotal = 0;
    let enTotal = 0;
    for (const [answers, length] of en) {
      enTotal += length;
      jaTotal += ja.get(answers) ?? 0;
    }
    const ratio = jaTotal / enTotal;
    // If the knowledge file's wording moves this far, FIRST_SCREEN_BUDGET.ja must follow it.
    expect(Math.abs(FIRST_SCREEN_BUDGET.ja / FIRST_SCREEN_BUDGET.en - ratio)).toBeLessThan(0.08);
  });
});

/** The order the schema declares the answers in, which the card lists them in. */
const QUESTION_ORDER: string[] = QuestionId.options;
function byQuestionOrder(a: string, b: string) {
  return QUESTION_ORDER.indexOf(a) - QUESTION_ORDER.indexOf(b);
}

describe.each(LANGS)('the other cards (%s)', (lang) => {
  it('renders each question with a way to send every choice', () => {
    for (const ask of everyAsk(lang, knowledge)) {
      const card = renderQuestion(ask, lang);
      expectSendable(card, lang);
      const sent = submits(card)
        .map((value) => parseCardSubmit(value, knowledge))
        .filter((submit) => submit?.verb === 'answer' && 'option' in submit)
        .map((submit) => (submit && 'option' in submit ? submit.option : undefined));
      expect(new Set(sent)).toEqual(new Set(ask.choices.map((choice) => choice.id)));
      expect(visibleText(card)).toContain(ask.prompt);
      ask.choices.forEach((choice, i) => expect(card.text).toContain(`${i + 1}. ${choice.label}`));
    }
  });

  it('renders each known error with its message, fix and links', () => {
    for (const entry of knowledge.knownErrors) {
      const error = describeKnownError(entry.id, lang, knowledge);
      if (!error) throw new Error(`no known error ${entry.id}`);
      const card = renderKnownError(error, lang);
      expectSendable(card, lang);
      const shown = visibleText(card);
      for (const text of [error.title, error.message, ...error.fix]) expect(shown).toContain(text);
      for (const link of error.links) {
        expect(urls(card)).toContain(link.url);
        expect(card.text).toContain(link.url);
      }
      error.fix.forEach((step, i) => expect(card.text).toContain(`${i + 1}. ${step}`));
    }
  });

  it('renders each redirect with a button to where the question goes instead', () => {
    for (const entry of knowledge.redirects) {
      const redirect = describeRedirect(entry.id, lang, knowledge);
      if (!redirect) throw new Error(`no redirect ${entry.id}`);
      const card = renderRedirect(redirect, lang);
      expectSendable(card, lang);
      expect(visibleText(card)).toEqual(expect.arrayContaining([redirect.title, redirect.text]));
      const buttons = ofType(card, 'Action.OpenUrl').map((action) => action.url);
      for (const link of redirect.links) {
        expect(buttons).toContain(link.url);
        expect(card.text).toContain(link.url);
      }
    }
  });

  it.each(SeverityId.options)(
    'renders severity %s with its criteria, the others and the business-hours note',
    (level) => {
      const card = renderSeverity(level, lang, knowledge);
      expectSendable(card, lang);
      const shown = visibleText(card);
      for (const entry of knowledge.severity.levels) expect(shown).toContain(entry.criteria[lang]);
      expect(shown).toContain(knowledge.severity.businessHoursNote[lang]);
      const chosen = knowledge.severity.levels.find((entry) => entry.id === level)?.criteria[lang];
      expect(card.summary).toContain(level);
      expect(card.text.split('\n').slice(0, 2)).toContain(chosen);
    },
  );

  it('welcomes with the four first choices', () => {
    const card = renderWelcome(lang, knowledge);
    expectSendable(card, lang);
    const topics = ofType(card, 'Action.Submit').map((action) => (action.data as JsonObject).topic);
    expect(topics).toEqual(WelcomeTopic.options);
    expect(visibleText(card)).toContain(knowledge.meta.title[lang]);
  });

  it('offers every known error and every redirect to pick from', () => {
    const errors = renderKnownErrorMenu(lang, knowledge);
    expectSendable(errors, lang);
    expect(submits(errors).map((value) => (value as JsonObject).id)).toEqual(
      knowledge.knownErrors.map((e) => e.id),
    );
    const redirects = renderRedirectMenu(lang, knowledge);
    expectSendable(redirects, lang);
    expect(submits(redirects).map((value) => (value as JsonObject).id)).toEqual(
      knowledge.redirects.map((r) => r.id),
    );
  });
});

/**
 * What a person reads on a card, in the card's order: texts, facts, menu items and a prefilled text. Buttons that
 * are commands (start over, change an answer, open the portal) and forms shown on demand are left out: the plain
 * text says those with typed commands. `opened`: with what Action.ShowCard opens.
 */
function readInOrder(value: Json, opened: boolean, form = false): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => readInOrder(item, opened, form));
  if (!isObject(value) || value.isVisible === false) return [];
  // In a card with inputs, the submit sends them (the drop-down's OK): not an item of a menu.
  if (value.type === 'AdaptiveCard') form = JSON.stringify(value.body ?? []).includes('"type":"Input.');
  const picks = (action: Json) =>
    isObject(action) && isObject(action.data) && Object.keys(action.data).length > 1
      ? [String(action.title)]
      : [];
  switch (value.type) {
    case 'TextBlock':
      return [readAs(String(value.text))];
    case 'FactSet':
      // "•" marks a list item, which the plain text writes "-"
      return (value.facts as JsonObject[]).flatMap((fact) =>
        [readAs(String(fact.title)).trim(), readAs(String(fact.value))].filter((shown) => shown !== '•'),
      );
    case 'Input.Text':
      return typeof value.value === 'string' ? [value.value] : [];
    case 'Input.ChoiceSet':
      return (value.choices as JsonObject[]).map((choice) => String(choice.title));
    case 'Action.Submit':
      return form ? [] : picks(value);
    case 'Action.ShowCard': {
      const card = value.card as JsonObject;
      const form = (card.actions as JsonObject[] | undefined)?.some(
        (action) => action.type === 'Action.Submit',
      );
      return opened && !form ? [String(value.title), ...readInOrder(card, opened)] : [];
    }
    case 'Container':
      if (value.selectAction) return picks(value.selectAction);
  }
  return Object.entries(value)
    .filter(([key]) => !['selectAction', 'data', 'fallbackText', 'card'].includes(key))
    .flatMap(([, child]) => readInOrder(child, opened, form));
}

/** The texts not found in `text` one after the other (each after the one before). */
function missingInOrder(texts: string[], text: string): string[] {
  const missing: string[] = [];
  let from = 0;
  for (const expected of texts.map((t) => t.trim()).filter(Boolean)) {
    const at = text.indexOf(expected, from);
    if (at < 0) missing.push(expected);
    else from = at + expected.length;
  }
  return missing;
}

describe.each(LANGS)('the plain text of every card (%s)', (lang) => {
  const cards = everyCard(lang, knowledge);

  it('says what the card says, in the same order: the answer first, and on "steps" what the card opens', () => {
    // nine kinds of card, and the feedback one ("what went wrong?")
    expect(new Set(cards.map(({ card }) => card.card)).size).toBe(10);
    for (const { name, card } of cards) {
      const json = content(card);
      if (card.card === 'result') {
        expect(missingInOrder(readInOrder(json, false), card.text), name).toEqual([]);
        expect(missingInOrder(readInOrder(json, true), card.details ?? ''), name).toEqual([]);
      } else {
        expect(missingInOrder(readInOrder(json, true), card.text), name).toEqual([]);
      }
    }
  });

  it('numbers each menu item as the card offers it, and a typed number sends what its button sends', () => {
    for (const { name, card } of cards.filter(({ card }) => card.choices)) {
      const sent = ownSubmits(card).filter((value) => Object.keys(value as JsonObject).length > 1);
      expect(
        card.choices?.map((choice) => choice.value),
        name,
      ).toEqual(sent);
      card.choices?.forEach((choice, i) => expect(card.text, name).toContain(`${i + 1}. ${choice.title}`));
    }
  });

  it('sees a change of order', () => {
    const welcome = cards.find(({ card }) => card.card === 'welcome')!.card;
    const reversed = welcome.text.split('\n').reverse().join('\n');
    expect(missingInOrder(readInOrder(content(welcome), true), reversed)).not.toEqual([]);
  });
});

describe('card data is checked before expansion', () => {
  const [sample] = everyDecidedCase('en', knowledge)
    .map((c) => c.outcome)
    .filter((o): o is Route => o.kind === 'route');

  it('refuses an empty step, naming the field', () => {
    const broken = { ...sample, steps: [{ ...sample.steps[0], text: '  ' }] };
    expect(() => renderRoute(broken)).toThrow(CardDataError);
    expect(() => renderRoute(broken)).toThrow(/result card: steps\.0\.text/);
  });

  it('refuses a link that is not https', () => {
    const broken = { ...sample, kbs: [{ id: '2904733', name: 'KB', url: 'http://example.com/x' }] };
    expect(() => renderRoute(broken)).toThrow(/kbs\.0\.url/);
  });

  it('refuses a not-eligible case with nothing to do instead', () => {
    const [outcome] = everyDecidedCase('en', knowledge)
      .map((c) => c.outcome)
      .filter((o): o is NotEligible => o.kind === 'notEligible');
    expect(() => renderNotEligible({ ...outcome, instead: [] })).toThrow(CardDataError);
  });
});

describe('sending a card', () => {
  const [sample] = everyDecidedCase('ja', knowledge)
    .map((c) => c.outcome)
    .filter((o): o is Route => o.kind === 'route');
  const card = renderRoute(sample);

  it.each(['msteams', 'webchat', 'directline', 'emulator'])(
    'sends the card with a summary on %s',
    (channelId) => {
      const activity = cardActivity(card, channelId);
      expect(supportsCards(channelId)).toBe(true);
      expect(activity.attachments).toEqual([card.attachment]);
      expect(activity.summary).toBe(sample.summary);
      // Web Chat would show `text` as a second bubble above the card.
      expect(activity.text).toBeUndefined();
    },
  );

  it.each(['sms', 'email', 'slack', 'telegram', 'facebook', 'line', undefined])(
    'sends plain text with the steps on %s',
    (channelId) => {
      const activity = cardActivity(card, channelId);
      expect(supportsCards(channelId)).toBe(false);
      expect(activity.attachments ?? []).toEqual([]);
      expect(activity.text).toContain(`1. ${sample.steps[0].text}`);
    },
  );
});

describe('templates and labels', () => {
  const files = readdirSync(cardsDirectory).filter((file) => file.endsWith('.json'));

  it.each(files)('%s is an Adaptive Card of version 1.4 or lower with no inline label', (file) => {
    const json = JSON.parse(readFileSync(path.join(cardsDirectory, file), 'utf8')) as JsonObject;
    expect(json.type).toBe('AdaptiveCard');
    expect(Number(json.version)).toBeLessThanOrEqual(1.4);
    for (const node of nodes(json)) {
      for (const key of ['text', 'title', 'label', 'placeholder', 'value', 'fallbackText']) {
        const value = node[key];
        if (typeof value !== 'string') continue;
        // Labels come from src/messages/cards.ts or the route: only markup may be written in the template.
        expect(value.replace(/\$\{[^}]*\}/g, ''), `${file}: ${key} "${value}"`).not.toMatch(/\p{L}/u);
      }
    }
  });

  it('every template is one the renderer fills', () => {
    const outcomes = everyDecidedCase('en', knowledge).map((c) => c.outcome);
    const firstRoute = outcomes.find((o): o is Route => o.kind === 'route');
    const firstNotEligible = outcomes.find((o): o is NotEligible => o.kind === 'notEligible');
    const error = describeKnownError(knowledge.knownErrors[0].id, 'en', knowledge);
    const redirect = describeRedirect(knowledge.redirects[0].id, 'en', knowledge);
    if (!firstRoute || !firstNotEligible || !error || !redirect) throw new Error('knowledge has no sample');
    const cards = [
      renderRoute(firstRoute),
      renderNotEligible(firstNotEligible),
      renderKnownError(error, 'en'),
      renderRedirect(redirect, 'en'),
      renderSeverity('A', 'en', knowledge),
      renderWelcome('en', knowledge),
      renderQuestion(everyAsk('en', knowledge)[0], 'en'),
      renderKnownErrorMenu('en', knowledge),
      renderRedirectMenu('en', knowledge),
      renderFeedbackReasons(firstRoute.id, 'en', true),
    ];
    expect(cards.map((card) => card.card).sort()).toEqual(
      files.map((file) => path.basename(file, '.json')).sort(),
    );
  });

  it('every label exists in both languages with the same placeholders', () => {
    for (const [id, text] of Object.entries({ ...cardMessages, ...questionNames })) {
      expect(text.ja.trim(), id).not.toBe('');
      expect(text.en.trim(), id).not.toBe('');
      const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(placeholders(text.ja), id).toEqual(placeholders(text.en));
    }
  });

  it('question names fit a Teams button (20 characters)', () => {
    for (const text of Object.values(questionNames)) {
      expect([...text.ja].length).toBeLessThanOrEqual(20);
      expect([...text.en].length).toBeLessThanOrEqual(20);
    }
  });
});

describe('buttons built for menus and questions', () => {
  const buttons = [
    { title: 'Product family', value: { verb: 'changeAnswer', question: 'family' } },
    { title: 'MPN level', value: { verb: 'changeAnswer', question: 'tier' } },
  ];
  const teamsGroup = { channelId: 'msteams', conversation: { conversationType: 'groupChat' } } as never;

  it('sends values with messageBack in a Teams group, so no @mention is needed', () => {
    const activity = questionActivity(teamsGroup, 'Which?', buttons);
    const hero = activity.attachments?.[0].content as { buttons: { type: string; value: unknown }[] };
    expect(hero.buttons.map((button) => [button.type, button.value])).toEqual(
      buttons.map((button) => ['messageBack', button.value]),
    );
  });

  it('numbers the choices where no card renders, in the order of the buttons', () => {
    const activity = menuActivity({ channelId: 'sms' } as never, 'Which?', buttons);
    expect(activity.text).toBe('Which?\n1. Product family\n2. MPN level');
    expect(activity.attachments ?? []).toEqual([]);
  });
});
