import type { Knowledge, QuestionId } from '../knowledge/schema';
import type { Answers } from '../engine/types';
import { interpret } from './interpretation';
import { getPhrases, type CompiledPhrases } from './phrases';

/**
 * The answers a partner gave in their own words, in Japanese or English: `interpret(…).answers`, for older
 * callers. `expecting` is the question (or questions) the bot is asking, if any.
 */
export function extractAnswers(
  text: string,
  knowledge: Knowledge,
  expecting?: QuestionId | readonly QuestionId[],
  phrases: CompiledPhrases = getPhrases(),
): Answers {
  const asking = Array.isArray(expecting) ? expecting[0] : (expecting as QuestionId | undefined);
  return interpret(text, { lang: 'en', asking }, knowledge, phrases).answers;
}
