import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { Knowledge, QuestionId } from '../src/knowledge/schema';
import type { Answers } from '../src/engine/types';
import type { Interpretation, InterpretationContext } from '../src/understand/interpretation';
import { interpretWithButtons } from '../src/understand/buttons';
import { pickFromMenu } from '../src/understand/menu';
import { parseCardSubmit, type CardSubmit } from '../src/understand/submit';
import type { ConversationMemory, MenuItem } from './memory';
import type { CaseEvents } from '../src/insights/events';

/**
 * A message as the dialogs see it, read once per turn: a card submit (or an item of the list on screen picked by
 * its number or title), a submit that is not ours any more, a picture with no words, nothing, or typed text with
 * its one interpretation.
 */
export type Understood =
  | { kind: 'submit'; submit: CardSubmit }
  | { kind: 'staleSubmit' }
  | { kind: 'imageOnly' }
  | { kind: 'empty' }
  | { kind: 'text'; text: string; meaning: Interpretation };

/** A message with nothing to act on (a button, a picture): no intent beyond a case, no words of one. */
export const NOTHING_SAID: Interpretation = {
  intent: { kind: 'none' },
  answers: {},
  negated: {},
  askedAbout: [],
  corrections: {},
  withdrawn: [],
  unrecognised: [],
  ambiguous: false,
};

/** What the turn's message is read against: the question on screen and the answers so far, if a case is open. */
export interface ReadingContext {
  asking?: QuestionId;
  answers?: Answers;
}

/** The reading of this turn, with what the previous reply offered for one message (a list, a case to go on with). */
export interface TurnReading {
  understood: Understood;
  /** The list the last reply showed (its items can be picked by number or title this turn only). */
  menu: MenuItem[];
  /** The answers a fact reply offered to go on with as a case, if that was the last reply. */
  offeredCase?: Answers;
}

const READING = Symbol('turnReading');

/**
 * Reads the turn's message once, whichever dialog asks first (the open question's dialog, or the main dialog at
 * rest), and gives every later caller the same reading. The bot answers in the language the partner writes when
 * the text is clearly in one, unless they asked for a language.
 */
export async function readTurn(
  context: TurnContext,
  deps: Reader,
  where: ReadingContext = {},
): Promise<TurnReading> {
  const known = context.turnState.get(READING) as TurnReading | undefined;
  if (known) return known;
  if (context.activity.type === ActivityTypes.Message) deps.events?.seen(context);
  const menu = await deps.memory.takeMenu(context);
  const offeredCase = await deps.memory.takeOfferedCase(context);
  const understood = await understand(context, deps, menu, where);
  const reading: TurnReading = { understood, menu, offeredCase };
  context.turnState.set(READING, reading);
  return reading;
}

/** What reading a message takes: the knowledge, the conversation's memory, and (tests may pass their own) interpret(). */
export interface Reader {
  knowledge: Knowledge;
  memory: ConversationMemory;
  interpret?: Interpreter;
  /** Trainers' events: a message from the partner means their open case is not abandoned. */
  events?: CaseEvents;
  /** Keep the partner's last messages for a hand-off summary (only when a support-desk webhook is set). */
  rememberMessages?: boolean;
}

export type Interpreter = (
  text: string,
  context: InterpretationContext,
  knowledge: Knowledge,
) => Interpretation;

async function understand(
  context: TurnContext,
  { knowledge, memory, interpret: interpreter = interpretWithButtons, rememberMessages }: Reader,
  menu: MenuItem[],
  where: ReadingContext,
): Promise<Understood> {
  const { activity } = context;
  if (activity.type !== ActivityTypes.Message) return { kind: 'empty' };
  if (activity.value !== undefined) {
    const submit = parseCardSubmit(activity.value, knowledge);
    return submit ? { kind: 'submit', submit } : { kind: 'staleSubmit' };
  }
  const text = activity.text?.trim() ?? '';
  if (!text) {
    // A screenshot or a file with no words (Teams adds the picture as an attachment): the bot reads text only.
    return activity.attachments?.length ? { kind: 'imageOnly' } : { kind: 'empty' };
  }
  const picked = pickFromMenu(
    text,
    menu.map((item) => item.title),
  );
  const pickedSubmit = picked === undefined ? undefined : parseCardSubmit(menu[picked].value, knowledge);
  if (pickedSubmit) return { kind: 'submit', submit: pickedSubmit };

  if (rememberMessages) await memory.rememberMessage(context, text);
  const lang = await memory.language(context);
  const meaning = interpreter(text, { lang, asking: where.asking, answers: where.answers }, knowledge);
  if (meaning.language) await memory.followWriting(context, meaning.language);
  return { kind: 'text', text, meaning };
}
