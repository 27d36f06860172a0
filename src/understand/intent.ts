import type { Intent } from './interpretation';
import {
  foundIn,
  lastWordLength,
  longestFirst,
  normalise,
  type Found,
  type NeedleList,
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

const GAP = '…';

/** A pattern of one part, as a needle list item (see NeedleDictionary), with its place among the list's patterns. */
interface WholePattern {
  needle: string;
  lastWord: number;
  id: string;
  index: number;
}

/** One part of a pattern of several, which must occur in order: "access ID … another account" (any words between). */
interface PatternPart extends WholePattern {
  part: number;
  partCount: number;
}

/** A list's patterns, normalised once, as needle lists: those of one part and the parts of the others. */
interface CompiledPatterns {
  whole: WholePattern[];
  parts: PatternPart[];
}

const compiledByEntries = new WeakMap<PatternEntry[], CompiledPatterns>();

function patternsOf(entries: PatternEntry[]): CompiledPatterns {
  let compiled = compiledByEntries.get(entries);
  if (!compiled) {
    compiled = { whole: [], parts: [] };
    const patterns = entries.flatMap((entry) =>
      [...entry.patterns.ja, ...entry.patterns.en].map((pattern) => ({ id: entry.id, pattern })),
    );
    for (const [index, { id, pattern }] of patterns.entries()) {
      const parts = pattern.split(GAP).map((part) => {
        const phrase = normalise(part);
        return { needle: phrase.compact, lastWord: lastWordLength(phrase), id, index };
      });
      if (parts.length === 1) compiled.whole.push(parts[0]);
      else
        for (const [part, needle] of parts.entries())
          compiled.parts.push({ ...needle, part, partCount: parts.length });
    }
    compiledByEntries.set(entries, compiled);
  }
  return compiled;
}

/** A list's patterns as needle lists, to put in the NeedleDictionary every message is scanned with. */
export function patternLists(entries: PatternEntry[]): NeedleList[] {
  const { whole, parts } = patternsOf(entries);
  return [whole, parts];
}

const within = (inner: Span, outer: Span) => outer.start <= inner.start && inner.end <= outer.end;

/**
 * Where all parts of each pattern of several occur in order, the earliest way: one span per part. `found` holds
 * where parts occur, by pattern, then part, then position.
 */
function patternsIn(found: readonly Found[]): { pattern: PatternPart; spans: Span[] }[] {
  const matched: { pattern: PatternPart; spans: Span[] }[] = [];
  for (let first = 0; first < found.length;) {
    const pattern = found[first].item as PatternPart;
    let end = first;
    while (end < found.length && (found[end].item as PatternPart).index === pattern.index) end += 1;
    const spans: Span[] = [];
    let from = 0;
    for (let part = 0; part < pattern.partCount; part += 1) {
      let next: Found | undefined;
      for (let at = first; at < end && !next; at += 1) {
        const span = found[at];
        if ((span.item as PatternPart).part === part && span.start >= from) next = span;
      }
      if (!next) break;
      spans.push({ start: next.start, end: next.end });
      from = next.end;
    }
    if (spans.length === pattern.partCount) matched.push({ pattern, spans });
    first = end;
  }
  return matched;
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
  const { whole, parts } = patternsOf(entries);
  const matches: (Span & { id: string; index: number })[] = [];
  for (const { start, end, item } of foundIn(text, whole)) {
    const { id, index } = item as WholePattern;
    if (!answers.some((answer) => within({ start, end }, answer))) matches.push({ start, end, id, index });
  }
  for (const { pattern, spans } of patternsIn(foundIn(text, parts))) {
    if (spans.every((span) => answers.some((answer) => within(span, answer)))) continue;
    for (const { start, end } of spans) matches.push({ start, end, id: pattern.id, index: pattern.index });
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
