import { QuestionId, type Knowledge } from '../knowledge/schema';
import { Answers } from '../engine/types';
import {
  longestFirst,
  MAX_UNDERSTOOD_LENGTH,
  normalise,
  lastWordLength,
  occurrences,
  type Normalised,
  type Span,
} from './normalise';
import { getPhrases, type CompiledPhrases } from './phrases';
import { remembered } from './memo';

/** One way of naming an answer: an option's label or synonym, in either language, normalised. */
interface Term {
  question: QuestionId;
  option: string;
  needle: string;
  /** Length of the needle's last word, which must end at a word boundary when short. */
  lastWord: number;
}

export type AnswerMatch = Span & Term;

const termsByKnowledge = new WeakMap<Knowledge, Term[]>();

function termsOf(knowledge: Knowledge): Term[] {
  let terms = termsByKnowledge.get(knowledge);
  if (!terms) {
    terms = QuestionId.options.flatMap((question) =>
      knowledge.questions[question].options.flatMap((option) => {
        const words = [option.label.ja, option.label.en, ...option.synonyms.ja, ...option.synonyms.en];
        const needles = new Map<string, number>();
        for (const word of words) {
          const phrase = normalise(word);
          if (!phrase.compact) continue;
          const lastWord = Math.min(lastWordLength(phrase), needles.get(phrase.compact) ?? Infinity);
          needles.set(phrase.compact, lastWord);
        }
        return [...needles].map(([needle, lastWord]) => ({ question, option: option.id, needle, lastWord }));
      }),
    );
    termsByKnowledge.set(knowledge, terms);
  }
  return terms;
}

/**
 * Where the text names answers: the longest match wins where matches overlap ("Windows Server" over "Windows").
 * Words too common to mean an answer on their own ("ない", "direct") count only for the question being asked.
 */
export function answerMatches(
  text: Normalised,
  knowledge: Knowledge,
  expecting?: QuestionId | readonly QuestionId[],
  phrases: CompiledPhrases = getPhrases(),
): AnswerMatch[] {
  const expected: readonly (QuestionId | undefined)[] = Array.isArray(expecting) ? expecting : [expecting];
  const matches: AnswerMatch[] = [];
  for (const term of termsOf(knowledge)) {
    if (!expected.includes(term.question) && phrases.answerOnly.has(term.needle)) continue;
    for (const span of occurrences(text, term.needle, term.lastWord)) matches.push({ ...span, ...term });
  }
  return longestFirst(matches);
}

/**
 * The answers a partner gave in their own words, in Japanese or English ("Intune issue for my CSP customer",
 * "オンプレミスの SQL Server 2019、シルバーです"), whatever the UI language. Only the labels and synonyms of the
 * knowledge file count. A question named with two different answers stays unanswered, so the bot asks it;
 * a product implies its family. `expecting` is the question (or questions) the bot is asking, if any.
 */
export function extractAnswers(
  text: string,
  knowledge: Knowledge,
  expecting?: QuestionId | readonly QuestionId[],
  phrases: CompiledPhrases = getPhrases(),
): Answers {
  const message = text.slice(0, MAX_UNDERSTOOD_LENGTH);
  const asked = Array.isArray(expecting) ? expecting.join(',') : (expecting ?? '');
  return recentAnswers(knowledge, phrases, `${asked}\u0000${message}`, () =>
    answersIn(message, knowledge, expecting, phrases),
  );
}

const recentAnswers = remembered<Answers>();

function answersIn(
  message: string,
  knowledge: Knowledge,
  expecting: QuestionId | readonly QuestionId[] | undefined,
  phrases: CompiledPhrases,
): Answers {
  const normalised = normalise(message);
  const named = new Map<QuestionId, Set<string>>();
  for (const match of answerMatches(normalised, knowledge, expecting, phrases)) {
    const options = named.get(match.question) ?? new Set<string>();
    options.add(match.option);
    named.set(match.question, options);
  }
  const found: Record<string, string> = {};
  for (const [question, options] of named) {
    if (options.size === 1) found[question] = [...options][0];
  }

  const product = knowledge.questions.product.options.find((option) => option.id === found.product);
  // A product belongs to one family; it is more precise than any family word found beside it.
  if (product) found.family = product.family;
  return Answers.parse(found);
}
