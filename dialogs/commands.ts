import type { TurnContext } from 'botbuilder';
import type { DialogTurnResult } from 'botbuilder-dialogs';
import type { Lang } from '../src/knowledge/schema';
import type { Answers } from '../src/engine/types';
import type { Intent, Interpretation } from '../src/understand/interpretation';
import type { CardSubmit } from '../src/understand/submit';
import type { ConversationMessageId } from '../src/messages/conversation';
import type { MenuItem } from './memory';
import type { Replies } from './replies';

/** What both places can do: reply in the conversation's language. */
export interface Place {
  readonly context: TurnContext;
  readonly lang: Lang;
  readonly replies: Replies;
  /** The turn's interpretation (nothing said, for a button). */
  readonly meaning: Interpretation;
  say(id: ConversationMessageId, values?: Record<string, string | number>): Promise<void>;
  /** Sends a list (a card's choices) and keeps it for the next message, so a typed number or title picks one. */
  offer(sent: Promise<MenuItem[]>): Promise<void>;
}

/** No question open: after the welcome, a card, or at the start. */
export interface AtRest extends Place {
  end(): Promise<DialogTurnResult>;
  welcome(): Promise<DialogTurnResult>;
  startOver(): Promise<DialogTurnResult>;
  startCase(answers?: Answers): Promise<DialogTurnResult>;
  /** "Back" after the card: the last case, its latest answer asked again. */
  reopenLastCase(): Promise<DialogTurnResult>;
  /** "Change" after the card: the answers of the last case, to pick one. */
  offerChange(): Promise<DialogTurnResult>;
  severityHelper(): Promise<DialogTurnResult>;
  switchLanguage(lang: Lang): Promise<DialogTurnResult>;
  /** A fact, then an offer to go on with a case filled with what the partner said. */
  fact(id: string): Promise<DialogTurnResult>;
  /** Words of a case: a new case from them, or a correction of the last one. */
  caseWords(): Promise<DialogTurnResult>;
  notSure(): Promise<DialogTurnResult>;
  /** "Steps": every step, note and link of the last answer (channels without cards show a short answer). */
  steps(): Promise<DialogTurnResult>;
  /** "Talk to a person": the hand-off (summary, consent, support desk), or where people answer without one. */
  person(): Promise<DialogTurnResult>;
}

/** A question open: the result ends the turn, or undefined lets the question take the message as its answer. */
export interface AtPrompt extends Place {
  /** The question again, as it was. */
  reprompt(): Promise<DialogTurnResult>;
  /** Another topic: the dialog ends and the main dialog handles the message afresh. */
  handOff(): Promise<DialogTurnResult>;
  cancel(): Promise<DialogTurnResult>;
  help(): Promise<DialogTurnResult>;
  back(): Promise<DialogTurnResult>;
  offerChange(): Promise<DialogTurnResult>;
  supportCase(): Promise<DialogTurnResult>;
  severityHelper(): Promise<DialogTurnResult>;
  switchLanguage(lang: Lang): Promise<DialogTurnResult>;
  /** Words of a case: the answer to the question, answers to others, corrections, options asked about. */
  caseWords(): Promise<DialogTurnResult | undefined>;
  /** After a reply: the answers the message also gave are taken, and the case goes on. */
  goOn(): Promise<DialogTurnResult>;
  notSure(): Promise<DialogTurnResult>;
  /** "Steps" before the answer: they come with it; the question again. */
  steps(): Promise<DialogTurnResult>;
  /** "Talk to a person" at a question: the hand-off, then the case goes on (or where people answer, and the question). */
  person(): Promise<DialogTurnResult>;
}

/** The redirect (routing.yaml) where people answer every partner matter: partner.microsoft.com/support. */
export const PEOPLE_ANSWER = 'programSupport';

/** Without a support-desk webhook, "talk to a person" gets this: people answer at the partner support window. */
export async function peopleWindow(place: Place): Promise<void> {
  await place.say('humanHelp');
  await place.replies.redirect(place.context, PEOPLE_ANSWER, place.lang);
}

type Kind = Intent['kind'];
type IntentOf<K extends Kind> = Extract<Intent, { kind: K }>;

interface Command<K extends Kind> {
  atRest(rest: AtRest, intent: IntentOf<K>): Promise<DialogTurnResult>;
  atPrompt(prompt: AtPrompt, intent: IntentOf<K>): Promise<DialogTurnResult | undefined>;
}

/**
 * What each thing a partner may say or press does, with no question open and at a question. Adding a command is a
 * row here, its phrases (src/understand/phrases.yaml) and its texts (src/messages/conversation.ts).
 */
export const COMMANDS: { [K in Kind]: Command<K> } = {
  // "What's PSfP?" asks about an option, not about the bot: the words of a case explain it.
  help: {
    atRest: async (rest) => {
      if (rest.meaning.askedAbout.length > 0) return rest.caseWords();
      await rest.replies.sayAll(rest.context, ['intro', 'helpIdle', 'commands'], rest.lang);
      return rest.end();
    },
    atPrompt: (prompt) => (prompt.meaning.askedAbout.length > 0 ? prompt.caseWords() : prompt.help()),
  },
  startOver: { atRest: (rest) => rest.startOver(), atPrompt: (prompt) => prompt.handOff() },
  back: { atRest: (rest) => rest.reopenLastCase(), atPrompt: (prompt) => prompt.back() },
  change: { atRest: (rest) => rest.offerChange(), atPrompt: (prompt) => prompt.offerChange() },
  cancel: {
    atRest: async (rest) => {
      await rest.say('cancelled');
      return rest.end();
    },
    atPrompt: (prompt) => prompt.cancel(),
  },
  // Not an answer, but not a misunderstanding either: the question again, without "did not catch that".
  greeting: { atRest: (rest) => rest.welcome(), atPrompt: (prompt) => prompt.reprompt() },
  thanks: {
    atRest: async (rest) => {
      await rest.say('youAreWelcome');
      return rest.end();
    },
    atPrompt: (prompt) => prompt.reprompt(),
  },
  switchLanguage: {
    atRest: (rest, { lang }) => rest.switchLanguage(lang),
    atPrompt: (prompt, { lang }) => prompt.switchLanguage(lang),
  },
  knownError: {
    atRest: async (rest, { id }) => {
      await rest.offer(rest.replies.knownError(rest.context, id, rest.lang));
      return rest.end();
    },
    atPrompt: async (prompt, { id }) => {
      await prompt.replies.knownError(prompt.context, id, prompt.lang);
      return prompt.reprompt();
    },
  },
  knownErrorMenu: {
    atRest: async (rest) => {
      await rest.offer(rest.replies.knownErrorMenu(rest.context, rest.lang));
      return rest.end();
    },
    atPrompt: async (prompt) => {
      await prompt.offer(prompt.replies.knownErrorMenu(prompt.context, prompt.lang));
      return prompt.reprompt();
    },
  },
  redirectMenu: {
    atRest: async (rest) => {
      await rest.offer(rest.replies.redirectMenu(rest.context, rest.lang));
      return rest.end();
    },
    atPrompt: async (prompt) => {
      await prompt.offer(prompt.replies.redirectMenu(prompt.context, prompt.lang));
      return prompt.reprompt();
    },
  },
  redirect: {
    atRest: async (rest, { id }) => {
      await rest.replies.redirect(rest.context, id, rest.lang);
      return rest.end();
    },
    atPrompt: async (prompt, { id }) => {
      await prompt.replies.redirect(prompt.context, id, prompt.lang);
      return prompt.reprompt();
    },
  },
  supportCase: { atRest: (rest) => rest.startCase(), atPrompt: (prompt) => prompt.supportCase() },
  severityHelp: { atRest: (rest) => rest.severityHelper(), atPrompt: (prompt) => prompt.severityHelper() },
  fact: {
    atRest: (rest, { id }) => rest.fact(id),
    // "How many incidents does Gold get?" at another question: the fact, and Gold taken.
    atPrompt: async (prompt, { id }) => {
      await prompt.replies.fact(prompt.context, id, prompt.lang, prompt.meaning);
      return prompt.goOn();
    },
  },
  notSure: { atRest: (rest) => rest.notSure(), atPrompt: (prompt) => prompt.notSure() },
  steps: { atRest: (rest) => rest.steps(), atPrompt: (prompt) => prompt.steps() },
  // "Can I talk to a person?": the hand-off to the support desk (dialogs/handoffDialog.ts), or without one where
  // people answer (the partner support window); the conversation goes on either way.
  handoff: { atRest: (rest) => rest.person(), atPrompt: (prompt) => prompt.person() },
  none: { atRest: (rest) => rest.caseWords(), atPrompt: (prompt) => prompt.caseWords() },
};

/** Runs the row of an intent at rest. */
export function atRest(rest: AtRest, intent: Intent): Promise<DialogTurnResult> {
  return (COMMANDS[intent.kind] as Command<Kind>).atRest(rest, intent);
}

/** Runs the row of an intent at a question. */
export function atPrompt(prompt: AtPrompt, intent: Intent): Promise<DialogTurnResult | undefined> {
  return (COMMANDS[intent.kind] as Command<Kind>).atPrompt(prompt, intent);
}

/** A button that does what a command does (the welcome's topics, a fix, a redirect, "start over") is that command. */
export function commandOfSubmit(submit: CardSubmit): Intent | undefined {
  switch (submit.verb) {
    case 'start':
      return {
        supportCase: { kind: 'supportCase' },
        severityHelp: { kind: 'severityHelp' },
        knownError: { kind: 'knownErrorMenu' },
        notTechnicalSupport: { kind: 'redirectMenu' },
      }[submit.topic] as Intent;
    case 'startOver':
      return { kind: 'startOver' };
    case 'knownError':
      return { kind: 'knownError', id: submit.id };
    case 'redirect':
      return { kind: 'redirect', id: submit.id };
    case 'changeAnswer':
      return submit.question ? undefined : { kind: 'change' };
    default:
      return undefined;
  }
}
