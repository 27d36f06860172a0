/**
 * Text normalised for matching in both languages. Japanese has no spaces between words, so matching is done on
 * a compact form (NFKC, lower case, no whitespace or punctuation), and word boundaries are remembered separately
 * so that short English words ("AI", "CSP", "Gold") only match as whole words ("email" is not "AI").
 */
export interface Normalised {
  /** NFKC, lower-cased, without whitespace, punctuation or symbols. */
  compact: string;
  /** boundary[i]: a word boundary lies before compact[i]; boundary[compact.length] is the end. */
  boundary: boolean[];
  /** separators[i]: the whitespace and punctuation dropped just before compact[i] ("", " ", ", ", "。"). */
  separators: string[];
}

/** Understanding looks at the start of a message only: a pasted log can be long, the question is not. */
export const MAX_UNDERSTOOD_LENGTH = 10_000;

/** Whitespace, punctuation (including 、。・「」) and symbols separate words and are dropped. */
const SEPARATOR = /[\s\p{P}\p{S}]/u;
const ASCII_WORD_CHAR = /[a-z0-9]/;
const POSSESSIVE = /['’]s\b/g;

/** Needles up to this length must match whole words at both ends; longer ones only at their start ("partners"). */
const SHORT_WORD = 4;

export function normalise(text: string): Normalised {
  let compact = '';
  const boundary: boolean[] = [];
  const separators: string[] = [];
  let dropped = '';
  let separated = true;
  let previous = '';
  // A possessive is the word itself: "team's skills" does not name Teams, "customer's" is "customer".
  for (const char of text.normalize('NFKC').toLowerCase().replace(POSSESSIVE, '')) {
    if (SEPARATOR.test(char)) {
      separated = true;
      dropped += char;
      continue;
    }
    const asciiPair = ASCII_WORD_CHAR.test(char) && ASCII_WORD_CHAR.test(previous);
    // Code units, not code points, so indexes line up with String#indexOf on `compact`.
    for (let unit = 0; unit < char.length; unit += 1) {
      boundary.push(unit === 0 && (separated || !asciiPair));
      separators.push(unit === 0 ? dropped : '');
    }
    compact += char;
    previous = char;
    separated = false;
    dropped = '';
  }
  boundary.push(true);
  separators.push(dropped);
  return { compact, boundary, separators };
}

/** A place where a needle occurs in a text, as [start, end) in the compact form. */
export interface Span {
  start: number;
  end: number;
}

/** How long the last word of a normalised phrase is ("azure ad" → 2), so its end can be held to a word boundary. */
export function lastWordLength(phrase: Normalised): number {
  const lastStart = phrase.boundary.lastIndexOf(true, phrase.compact.length - 1);
  return phrase.compact.length - Math.max(lastStart, 0);
}

/**
 * Every place the needle occurs, honouring word boundaries at its ASCII ends. A short last word must end at a
 * word boundary too, so "Azure AD" is not found in "Azure, advisor".
 */
export function occurrences(text: Normalised, needle: string, lastWord = needle.length): Span[] {
  const first = needle.length === 0 ? -1 : text.compact.indexOf(needle);
  if (first === -1) return [];
  const found: Span[] = [];
  const needsStart = ASCII_WORD_CHAR.test(needle[0]);
  const needsEnd = lastWord <= SHORT_WORD && ASCII_WORD_CHAR.test(needle[needle.length - 1]);
  for (let at = first; at !== -1; at = text.compact.indexOf(needle, at + 1)) {
    const end = at + needle.length;
    if ((!needsStart || text.boundary[at]) && (!needsEnd || text.boundary[end]))
      found.push({ start: at, end });
  }
  return found;
}

export function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * Keeps the longest matches that do not overlap a longer one ("Windows Server" wins over "Windows").
 * Matches on exactly the same span are all kept: one phrase may answer two questions.
 */
export function longestFirst<T extends Span>(matches: T[]): T[] {
  const kept: T[] = [];
  const byLength = [...matches].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  for (const match of byLength) {
    const clash = kept.some(
      (other) => overlaps(match, other) && !(other.start === match.start && other.end === match.end),
    );
    if (!clash) kept.push(match);
  }
  return kept;
}
