import type { Answers } from '../engine/types';
import type { Knowledge, Lang, QuestionId } from '../knowledge/schema';
import { extractAnswers } from './answers';
import { detectIntent, type Intent as DetectedIntent } from './intent';
import { getPhrases, type CompiledPhrases } from './phrases';

/** Every question the partner can answer in words: the slots of a case. */
export type Slot = QuestionId;
export type Polarity = 'affirmed' | 'negated';

/** What a message asks the bot to do: a command, a topic, or (`none`) a support case to start or continue. */
export type Intent = DetectedIntent | { kind: 'notSure' } | { kind: 'handoff' };

/** Where the message arrives: the language of the conversation, the question on screen, the answers so far. */
export interface InterpretationContext {
  lang: Lang;
  asking?: QuestionId;
  answers?: Answers;
}

/** One message, understood once per turn; the dialogs act on this and never read the text again. */
export interface Interpretation {
  /** The language the text is clearly written in; undefined for ids, numbers, bare product names, mixed text. */
  language?: Lang;
  intent: Intent;
  /** Affirmed answers to take, with negation complements and corrections applied. */
  answers: Answers;
  /** Options the partner denies: never fill a slot with these. */
  negated: Partial<Record<Slot, string[]>>;
  /** Options the message only asks about ("what's PSfP?"): never an answer. */
  askedAbout: { slot: Slot; option: string }[];
  /** Answers that replace earlier ones ("Gold, not Silver", "actually we're Silver", "Y じゃなくて X"). */
  corrections: Partial<Answers>;
  /** Product-like names the knowledge does not decide (Entra ID, Defender, Power BI): ask, never guess. */
  unrecognised: string[];
  /** More than one reading for a slot: ask, never guess. */
  ambiguous: boolean;
  /** Severity the partner stated, or whether they can work around the clock. */
  severity?: { level?: 'A' | 'B' | 'C'; aroundTheClock?: boolean };
}

/** The questions whose answer words count when the bot is asking `asking` ("family" also takes a product). */
export function expectedBy(asking: QuestionId | undefined): QuestionId[] {
  if (asking === undefined) return [];
  return asking === 'family' ? ['family', 'product'] : [asking];
}

/**
 * Understands one message: what it asks for, and the answers it gives, denies, asks about or corrects.
 * First version: today's intent detection and answer extraction behind the contract's type.
 */
export function interpret(
  text: string,
  context: InterpretationContext,
  knowledge: Knowledge,
  phrases: CompiledPhrases = getPhrases(),
): Interpretation {
  const intent = detectIntent(text, knowledge, phrases);
  const answers = extractAnswers(text, knowledge, expectedBy(context.asking), phrases);
  return {
    language: languageOf(text),
    intent,
    answers,
    negated: {},
    askedAbout: [],
    corrections: {},
    unrecognised: [],
    ambiguous: false,
  };
}

const JAPANESE_SCRIPT = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;
const LATIN_WORD = /\p{Script=Latin}{2,}/gu;

/** Japanese when the text has kana or kanji; English when it has two Latin words or more; otherwise unclear. */
export function languageOf(text: string): Lang | undefined {
  if (JAPANESE_SCRIPT.test(text)) return 'ja';
  return (text.match(LATIN_WORD)?.length ?? 0) >= 2 ? 'en' : undefined;
}
