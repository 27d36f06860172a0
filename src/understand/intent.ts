import type { Intent } from './interpretation';
import {
  foundIn,
  lastWordLength,
  longestFirst,
  normalise,
  occurrences,
  type Normalised,
  type Span,
} from './normalise';
import type { CompiledPhrases } from './phrases';

/** A command that is (nearly) the whole message: `core`, the message without polite words, is one of its phrases. */
export function intentOfCommand(core: string, phrases: CompiledPhrases): Intent | undefined {
  const command = phrases.commands.get(core);
  switch (command) {
    case undefined:
      return undefined;
    case 'english':
      return { kind: 'switchLanguage', lang: 'en' };
    case 'japanese':
      return { kind: 'switchLanguage', lang: 'ja' };
    default:
      return { kind: command };
  }
}

interface PatternEntry {
  id: string;
  patterns: { ja: string[]; en: string[] };
}

/** A pattern's parts, which must occur in this order: "access ID … another account" (any words between). */
interface Needle {
  id: string;
  parts: { needle: string; lastWord: number }[];
}

const GAP = '…';

/** A pattern of one part, as a needle list item (see NeedleDictionary), with its place among the list's patterns. */
interface WholePattern {
  needle: string;
  lastWord: number;
  id: string;
  index: number;
}

/** A list's patterns, normalised once: those of one part (searched with the message's scan) and the others. */
interface CompiledPatterns {
  whole: WholePattern[];
  split: (Needle & { index: number })[];
}

const compiledByEntries = new WeakMap<PatternEntry[], CompiledPatterns>();

function patternsOf(entries: PatternEntry[]): CompiledPatterns {
  let compiled = compiledByEntries.get(entries);
  if (!compiled) {
    const needles: Needle[] = entries.flatMap((entry) =>
      [...entry.patterns.ja, ...entry.patterns.en].map((pattern) => ({
        id: entry.id,
        parts: pattern.split(GAP).map((part) => {
          const phrase = normalise(part);
          return { needle: phrase.compact, lastWord: lastWordLength(phrase) };
        }),
      })),
    );
    compiled = {
      whole: needles.flatMap(({ id, parts }, index) =>
        parts.length === 1 ? [{ ...parts[0], id, index }] : [],
      ),
      split: needles.flatMap((needle, index) => (needle.parts.length > 1 ? [{ ...needle, index }] : [])),
    };
    compiledByEntries.set(entries, compiled);
  }
  return compiled;
}

/** The one-part patterns of a list, to put in the NeedleDictionary every message is scanned with. */
export function wholePatterns(entries: PatternEntry[]): readonly WholePattern[] {
  return patternsOf(entries).whole;
}

const within = (inner: Span, outer: Span) => outer.start <= inner.start && inner.end <= outer.end;

/** Where all parts of a pattern occur in order, the earliest way: one span per part, or undefined. */
function partsIn(text: Normalised, parts: Needle['parts']): Span[] | undefined {
  const spans: Span[] = [];
  let from = 0;
  for (const part of parts) {
    const next = occurrences(text, part.needle, part.lastWord).find((span) => span.start >= from);
    if (!next) return undefined;
    spans.push(next);
    from = next.end;
  }
  return spans;
}

/**
 * The entry whose patterns cover the most text (a pasted message matches its own long pattern best), with where
 * they matched. A pattern inside an answer ("cloud competency" stated as the partner's own) is part of that
 * answer, not a question. A pattern ending in a short word ends at a word boundary: "Code: 8" is not in
 * "code 80070005".
 */
export function bestEntry(
  text: Normalised,
  entries: PatternEntry[],
  answers: Span[],
): { id: string; spans: Span[] } | undefined {
  const { whole, split } = patternsOf(entries);
  const matches: (Span & { id: string; index: number })[] = [];
  for (const { start, end, item } of foundIn(text, whole)) {
    const { id, index } = item as WholePattern;
    if (!answers.some((answer) => within({ start, end }, answer))) matches.push({ start, end, id, index });
  }
  for (const { id, parts, index } of split) {
    const spans = partsIn(text, parts);
    if (spans && !spans.every((span) => answers.some((answer) => within(span, answer)))) {
      for (const span of spans) matches.push({ ...span, id, index });
    }
  }
  // in the order of the patterns, as when they were searched for one by one: ties go to the earlier pattern
  matches.sort((a, b) => a.index - b.index || a.start - b.start);
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
