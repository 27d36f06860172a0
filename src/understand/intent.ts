import type { Knowledge, Lang } from '../knowledge/schema';
import { answerMatches, type AnswerMatch } from './answers';
import {
  lastWordLength,
  longestFirst,
  MAX_UNDERSTOOD_LENGTH,
  normalise,
  occurrences,
  overlaps,
  type Normalised,
  type Span,
} from './normalise';
import { getPhrases, messageCore, type CompiledPhrases } from './phrases';
import { remembered } from './memo';

/** What a message asks the bot to do, before any slot filling. */
export type Intent =
  | { kind: 'help' }
  | { kind: 'startOver' }
  | { kind: 'back' }
  | { kind: 'change' }
  | { kind: 'cancel' }
  | { kind: 'switchLanguage'; lang: Lang }
  | { kind: 'knownError'; id: string }
  | { kind: 'knownErrorMenu' }
  | { kind: 'supportCase' }
  | { kind: 'redirectMenu' }
  | { kind: 'greeting' }
  | { kind: 'thanks' }
  | { kind: 'severityHelp' }
  | { kind: 'redirect'; id: string }
  /** `givesAnswers`: the message also answers questions of a case ("… a gold partner"), outside the fact's words. */
  | { kind: 'fact'; id: string; givesAnswers: boolean }
  | { kind: 'none' };

interface PatternEntry {
  id: string;
  patterns: { ja: string[]; en: string[] };
}

/**
 * In order: a command that is (nearly) the whole message (help, start over, back, change, cancel, switch language,
 * a topic of the welcome by name: a support case, the known errors, the questions that are not technical support);
 * a greeting or a thank-you that is the whole message;
 * a pasted known error message; a severity question; a question that is not technical support; a general fact,
 * unless the message describes a case (names a product family or product outside the fact's own words: "on-premises
 * incidents" is a fact, "Intune for my CSP customer, do I need an access ID?" a case), which the route card answers
 * better. Redirect and fact patterns that are part of an answer ("advisor partner") do not count: that is a case.
 * `none` means: start or continue a support case with `extractAnswers`.
 */
export function detectIntent(
  text: string,
  knowledge: Knowledge,
  phrases: CompiledPhrases = getPhrases(),
): Intent {
  const message = text.slice(0, MAX_UNDERSTOOD_LENGTH);
  return recentIntents(knowledge, phrases, message, () => intentOf(message, knowledge, phrases));
}

const recentIntents = remembered<Intent>();

function intentOf(message: string, knowledge: Knowledge, phrases: CompiledPhrases): Intent {
  const command = phrases.commands.get(messageCore(message, phrases));
  switch (command) {
    case 'english':
      return { kind: 'switchLanguage', lang: 'en' };
    case 'japanese':
      return { kind: 'switchLanguage', lang: 'ja' };
    case undefined:
      break;
    default:
      return { kind: command };
  }

  const normalised = normalise(message);
  if (normalised.compact.length === 0) return { kind: 'none' };
  if (phrases.smallTalk.greeting.has(normalised.compact)) return { kind: 'greeting' };
  if (phrases.smallTalk.thanks.has(normalised.compact)) return { kind: 'thanks' };
  const knownError = bestEntry(normalised, knowledge.knownErrors, []);
  if (knownError) return { kind: 'knownError', id: knownError.id };
  if (phrases.severityHelp.some((phrase) => occurrences(normalised, phrase).length > 0)) {
    return { kind: 'severityHelp' };
  }
  const answers = answerMatches(normalised, knowledge, undefined, phrases);
  const redirect = bestEntry(normalised, knowledge.redirects, answers);
  if (redirect) return { kind: 'redirect', id: redirect.id };
  const fact = bestEntry(normalised, knowledge.facts, answers);
  if (!fact) return { kind: 'none' };
  const outside = answers.filter((answer) => !fact.spans.some((span) => overlaps(answer, span)));
  const describesCase = outside.some((match) => match.question === 'family' || match.question === 'product');
  return describesCase ? { kind: 'none' } : { kind: 'fact', id: fact.id, givesAnswers: outside.length > 0 };
}

interface Needle {
  id: string;
  needle: string;
  lastWord: number;
}

/** Patterns normalised once per knowledge list, not on every message. */
const needlesByEntries = new WeakMap<PatternEntry[], Needle[]>();

function needlesOf(entries: PatternEntry[]): Needle[] {
  let needles = needlesByEntries.get(entries);
  if (!needles) {
    needles = entries.flatMap((entry) =>
      [...entry.patterns.ja, ...entry.patterns.en].map((pattern) => {
        const phrase = normalise(pattern);
        return { id: entry.id, needle: phrase.compact, lastWord: lastWordLength(phrase) };
      }),
    );
    needlesByEntries.set(entries, needles);
  }
  return needles;
}

const within = (inner: Span, outer: Span) => outer.start <= inner.start && inner.end <= outer.end;

/**
 * The entry whose patterns cover the most text (a pasted message matches its own long pattern best), with where
 * they matched. A pattern inside an answer ("cloud competency") is part of that answer, not a question.
 * A pattern ending in a short word ends at a word boundary: "Code: 8" is not in "code 80070005".
 */
function bestEntry(
  text: Normalised,
  entries: PatternEntry[],
  answers: AnswerMatch[],
): { id: string; spans: Span[] } | undefined {
  const matches: (Span & { id: string })[] = [];
  for (const { id, needle, lastWord } of needlesOf(entries)) {
    for (const span of occurrences(text, needle, lastWord)) {
      const partOfAnswer = answers.some((answer) => within(span, answer));
      if (!partOfAnswer) matches.push({ ...span, id });
    }
  }
  const kept = longestFirst(matches);
  const covered = new Map<string, number>();
  for (const match of kept) {
    covered.set(match.id, (covered.get(match.id) ?? 0) + match.end - match.start);
  }
  let best: string | undefined;
  let bestLength = 0;
  for (const [id, length] of covered) {
    if (length > bestLength) [best, bestLength] = [id, length];
  }
  return best === undefined ? undefined : { id: best, spans: kept.filter((match) => match.id === best) };
}
