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
  /** Where the needles of a NeedleDictionary's lists occur, found in one pass over the text (see scan). */
  scanned?: { dictionary: NeedleDictionary; found: Map<NeedleList, Found[]> };
}

/** Understanding looks at the start of a message only: a pasted log can be long, the question is not. */
export const MAX_UNDERSTOOD_LENGTH = 10_000;

/** Whitespace, punctuation (including 、。・「」) and symbols separate words and are dropped. */
const SEPARATOR = /[\s\p{P}\p{S}]/u;
const ASCII_WORD_CHAR = /[a-z0-9]/;
const POSSESSIVE = /['’]s\b/g;

/** Needles up to this length must match whole words at both ends; longer ones only at their start ("partners"). */
const SHORT_WORD = 4;

/** SEPARATOR and ASCII_WORD_CHAR for each ASCII character, looked up instead of matched: most messages are ASCII. */
const ASCII = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code));
const ASCII_SEPARATORS = ASCII.map((char) => SEPARATOR.test(char));
const ASCII_WORD_CHARS = ASCII.map((char) => ASCII_WORD_CHAR.test(char));
const isSeparator = (char: string) => {
  const code = char.charCodeAt(0);
  return code < 128 ? ASCII_SEPARATORS[code] : SEPARATOR.test(char);
};
/** Whether the character of `text` at `at` is an ASCII letter or digit (read by code, no one-character string). */
const isAsciiWordChar = (text: string, at = 0) => ASCII_WORD_CHARS[text.charCodeAt(at)] === true;

export function normalise(text: string): Normalised {
  let compact = '';
  const boundary: boolean[] = [];
  const separators: string[] = [];
  let dropped = '';
  let separated = true;
  let previous = '';
  // A possessive is the word itself: "team's skills" does not name Teams, "customer's" is "customer".
  for (const char of text.normalize('NFKC').toLowerCase().replace(POSSESSIVE, '')) {
    if (isSeparator(char)) {
      separated = true;
      dropped += char;
      continue;
    }
    const asciiPair = isAsciiWordChar(char) && isAsciiWordChar(previous);
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
  const found: Span[] = [];
  if (needle.length === 0) return found;
  for (let at = text.compact.indexOf(needle); at !== -1; at = text.compact.indexOf(needle, at + 1)) {
    if (atBoundaries(text, needle, lastWord, at)) found.push({ start: at, end: at + needle.length });
  }
  return found;
}

function atBoundaries(text: Normalised, needle: string, lastWord: number, at: number): boolean {
  const needsStart = isAsciiWordChar(needle);
  const needsEnd = lastWord <= SHORT_WORD && isAsciiWordChar(needle, needle.length - 1);
  return (!needsStart || text.boundary[at]) && (!needsEnd || text.boundary[at + needle.length]);
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

/** A list of needles as the phrase and knowledge files give them: the compact form and its last word's length. */
export type NeedleList = readonly { needle: string; lastWord: number }[];

/** Where an item of a needle list occurs; `order` is the item's place in its list. */
export interface Found extends Span {
  item: NeedleList[number];
  order: number;
}

interface Membership {
  list: NeedleList;
  item: NeedleList[number];
  order: number;
}

/** A node of the needle trie: the needles spelt by the path to it, and the nodes one code unit further. */
interface TrieNode {
  memberships: Membership[];
  next: Map<number, TrieNode>;
}

const trieNode = (): TrieNode => ({ memberships: [], next: new Map() });

/**
 * The needle lists understanding searches every message for (about 900 needles: answer words, cues, patterns),
 * as one trie of their code units. A message is read once for all of them, each position walked only as far as
 * some needle still matches, instead of being searched once per needle, which was most of the time it took to
 * understand a message. `foundIn` gives what `occurrences` gives needle by needle over a list, in the same order.
 */
export class NeedleDictionary {
  private readonly root = trieNode();
  private readonly lists: ReadonlySet<NeedleList>;

  constructor(lists: readonly NeedleList[]) {
    this.lists = new Set(lists);
    for (const list of this.lists) {
      list.forEach((item, order) => {
        if (item.needle.length === 0) return;
        let node = this.root;
        for (let at = 0; at < item.needle.length; at += 1) {
          const unit = item.needle.charCodeAt(at);
          let next = node.next.get(unit);
          if (!next) node.next.set(unit, (next = trieNode()));
          node = next;
        }
        node.memberships.push({ list, item, order });
      });
    }
  }

  /** The text, with where every needle of every list occurs in it. */
  scan(text: Normalised): Normalised {
    const found = new Map<NeedleList, Found[]>();
    const { compact } = text;
    for (let start = 0; start < compact.length; start += 1) {
      // a needle starting with a letter or digit starts a word: none starts inside "support"
      if (!text.boundary[start] && isAsciiWordChar(compact, start)) continue;
      let node: TrieNode | undefined = this.root;
      for (let at = start; at < compact.length; at += 1) {
        node = node.next.get(compact.charCodeAt(at));
        if (!node) break;
        for (let index = 0; index < node.memberships.length; index += 1) {
          const { list, item, order } = node.memberships[index];
          if (!atBoundaries(text, item.needle, item.lastWord, start)) continue;
          const span = { start, end: at + 1, item, order };
          const spans = found.get(list);
          if (spans) spans.push(span);
          else found.set(list, [span]);
        }
      }
    }
    // in list order, then by position, as searching for the list's needles one by one finds them
    for (const spans of found.values())
      if (spans.length > 1) spans.sort((a, b) => a.order - b.order || a.start - b.start);
    const { boundary, separators } = text;
    return { compact, boundary, separators, scanned: { dictionary: this, found } };
  }

  has(list: NeedleList): boolean {
    return this.lists.has(list);
  }
}

const NOTHING_FOUND: readonly Found[] = [];

/** Where the items of a list occur in the text: from its scan when the list was in it, else needle by needle. */
export function foundIn(text: Normalised, list: NeedleList): readonly Found[] {
  const { scanned } = text;
  if (scanned?.dictionary.has(list)) return scanned.found.get(list) ?? NOTHING_FOUND;
  return list.flatMap((item, order) =>
    occurrences(text, item.needle, item.lastWord).map((span) => ({ ...span, item, order })),
  );
}
