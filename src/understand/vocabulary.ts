import { distance } from 'fastest-levenshtein';
import { QuestionId, type Knowledge } from '../knowledge/schema';
import { lastWordLength, NeedleDictionary, normalise, type NeedleList } from './normalise';
import type { CompiledPhrases } from './phrases';
import { patternLists } from './intent';

/**
 * One way of naming answers: an option's label or synonym, or a word naming several options ("yes" to "ASfP or
 * PSfP?", "CSP").
 */
export interface Term {
  slot: QuestionId;
  options: string[];
  kind: 'option' | 'group';
  needle: string;
  /** The label or synonym as the knowledge writes it ("SQL Server"), to name the product the partner typed. */
  written: string;
  /** Length of the needle's last word, which must end at a word boundary when short. */
  lastWord: number;
  /** Too common to mean an answer unless its question is being asked ("no", "latest", "フロー"). */
  answerOnly: boolean;
  /**
   * A product's name more precise than its option ("SQL Server", "Exchange Online"), for the card to show: not the
   * option's own label, a word for a family or kind (phrases' notProductNames) nor a katakana spelling.
   */
  namesProduct: boolean;
}

/** What the knowledge and phrase files let the bot recognise, built once per pair of files. */
export interface Vocabulary {
  terms: Term[];
  /** Lower-case Latin words of the answer terms: what a typo is corrected to, and words that say no language. */
  answerWords: Set<string>;
  /** Answer words of four letters or more, the targets of typo correction, by their first letter. */
  typoTargets: Map<string, string[]>;
  /** Lower-case English words of the knowledge and phrase files, and `notTypos`: never corrected. */
  knownWords: Set<string>;
  /** Katakana words of four characters or more in the answer terms ("アドバイザー"): what kana is corrected to. */
  kanaTargets: string[];
  /** Katakana words of the knowledge and phrase files: never corrected. */
  knownKana: Set<string>;
  /** Answer names of two Latin words or more ("action pack"), as lower-case words, by each of their words. */
  namesByWord: Map<string, string[][]>;
  /** The answer terms and every needle list of the phrase file, to scan each message for once. */
  dictionary: NeedleDictionary;
}

const LATIN_WORDS = /\p{Script=Latin}+/gu;
const MIN_TYPO_LENGTH = 4;
/** Katakana words (with the long-vowel mark, which belongs to no script) and hiragana runs, long enough to correct. */
const KATAKANA_WORDS = /[\p{Script=Katakana}ー]{4,}/gu;
const HIRAGANA_RUNS = /[\p{Script=Hiragana}ー]{4,}/gu;

const vocabularies = new WeakMap<Knowledge, WeakMap<CompiledPhrases, Vocabulary>>();

export function vocabularyOf(knowledge: Knowledge, phrases: CompiledPhrases): Vocabulary {
  let byPhrases = vocabularies.get(knowledge);
  if (!byPhrases) vocabularies.set(knowledge, (byPhrases = new WeakMap()));
  let vocabulary = byPhrases.get(phrases);
  if (!vocabulary) byPhrases.set(phrases, (vocabulary = buildVocabulary(knowledge, phrases)));
  return vocabulary;
}

function buildVocabulary(knowledge: Knowledge, phrases: CompiledPhrases): Vocabulary {
  const terms: Term[] = [];
  const answerWords = new Set<string>();
  const add = (term: Omit<Term, 'answerOnly'>) =>
    terms.push({ ...term, answerOnly: phrases.answerOnly.has(term.needle) });
  const notProductNames = phrases.notProductNames.map((word) => normalise(word).compact);

  for (const slot of QuestionId.options) {
    for (const option of knowledge.questions[slot].options) {
      const words = [option.label.ja, option.label.en, ...option.synonyms.ja, ...option.synonyms.en];
      const plain = new Set([
        ...notProductNames,
        normalise(option.label.ja).compact,
        normalise(option.label.en).compact,
      ]);
      const seen = new Set<string>();
      for (const word of words) {
        for (const latin of word.toLowerCase().match(LATIN_WORDS) ?? []) answerWords.add(latin);
        const phrase = normalise(word);
        if (!phrase.compact || seen.has(phrase.compact)) continue;
        seen.add(phrase.compact);
        add({
          slot,
          options: [option.id],
          kind: 'option',
          needle: phrase.compact,
          written: word,
          lastWord: lastWordLength(phrase),
          namesProduct: slot === 'product' && !plain.has(phrase.compact) && /\p{Script=Latin}/u.test(word),
        });
      }
    }
  }
  // Words naming several options ("yes", "support plan") are too common to mean anything unless their question is asked.
  for (const group of phrases.optionGroups) {
    for (const word of group.words) {
      terms.push({
        slot: group.slot,
        options: group.options,
        kind: 'group',
        ...word,
        written: word.needle,
        answerOnly: !group.stated,
        namesProduct: false,
      });
    }
  }

  const knownWords = new Set(phrases.notTypos);
  const prose = JSON.stringify(knowledge).toLowerCase() + ' ' + JSON.stringify([...phrases.commands.keys()]);
  for (const word of prose.match(LATIN_WORDS) ?? []) knownWords.add(word);
  const typoTargets = new Map<string, string[]>();
  for (const word of answerWords) {
    if (word.length < MIN_TYPO_LENGTH) continue;
    const sameFirst = typoTargets.get(word[0]) ?? [];
    typoTargets.set(word[0], sameFirst);
    sameFirst.push(word);
  }
  const kanaTargets = new Set<string>();
  for (const term of terms)
    for (const word of term.written.match(KATAKANA_WORDS) ?? []) kanaTargets.add(word);
  const knownKana = new Set(JSON.stringify(knowledge).match(KATAKANA_WORDS));
  const namesByWord = new Map<string, string[][]>();
  for (const term of terms) {
    const words = term.written.toLowerCase().match(WORDS) ?? [];
    if (words.length < 2 || !words.every((word) => /^[\p{Script=Latin}\d]+$/u.test(word))) continue;
    for (const word of new Set(words)) {
      const names = namesByWord.get(word) ?? [];
      if (!names.some((name) => name.join(' ') === words.join(' '))) names.push(words);
      namesByWord.set(word, names);
    }
  }
  const dictionary = new NeedleDictionary([
    terms,
    ...needleListsIn(phrases),
    ...[knowledge.knownErrors, knowledge.facts, knowledge.redirects].flatMap(patternLists),
  ]);
  return {
    terms,
    answerWords,
    typoTargets,
    knownWords,
    // longest first: a hiragana run holding two names takes the longer
    kanaTargets: [...kanaTargets].sort((a, b) => b.length - a.length),
    knownKana,
    namesByWord,
    dictionary,
  };
}

/** Every list of needles in the compiled phrases (each cue list is an array of `{ needle, lastWord }`). */
function needleListsIn(value: unknown): NeedleList[] {
  if (Array.isArray(value)) {
    const isList =
      value.length > 0 && value.every((item) => typeof (item as Partial<Term>)?.needle === 'string');
    return isList ? [value as NeedleList] : value.flatMap(needleListsIn);
  }
  if (value instanceof Map) return [...value.values()].flatMap(needleListsIn);
  if (typeof value !== 'object' || value === null || value instanceof Set) return [];
  return Object.values(value).flatMap(needleListsIn);
}

/** Endings that make another word, not a typo: "teams" is not a misspelt "team", nor "offices" of "office". */
const INFLECTIONS = ['s', 'es', 'ed', 'ing', 'er'];
function inflected(a: string, b: string): boolean {
  const [shorter, longer] = a.length < b.length ? [a, b] : [b, a];
  return longer.startsWith(shorter) && INFLECTIONS.includes(longer.slice(shorter.length));
}

/**
 * The text with misspelt answer words put right ("Offcie 365" → "office 365", "slver" → "silver"): a Latin word of
 * four letters or more that is no known word and lies within edit distance 1 of exactly one answer word starting
 * with the same letter, or 2 for five letters or more when two letters are swapped; then kana (correctKana).
 */
export function correctTypos(text: string, vocabulary: Vocabulary): string {
  return correctKana(correctShortWords(correctLongWords(text, vocabulary), vocabulary), vocabulary);
}

/** ぁ..ゖ to ァ..ヶ: the same sounds, 0x60 apart. */
const toKatakana = (hiragana: string) =>
  hiragana.replace(/[\u3041-\u3096]/g, (kana) => String.fromCharCode(kana.charCodeAt(0) + 0x60));

/**
 * Kana put right: an answer name left in hiragana by the input method ("あどばいざーです" → "アドバイザーです"), and a
 * katakana word that is no word of the knowledge and lies within one edit of exactly one answer word ("アドバイサー",
 * "シルバ"). Four characters or more, as in Latin.
 */
function correctKana(text: string, vocabulary: Vocabulary): string {
  const { kanaTargets, knownKana } = vocabulary;
  const named = text.replace(HIRAGANA_RUNS, (run) => {
    const asKatakana = toKatakana(run);
    const target = kanaTargets.find((candidate) => asKatakana.includes(candidate));
    if (!target) return run;
    const at = asKatakana.indexOf(target);
    return run.slice(0, at) + target + run.slice(at + target.length);
  });
  return named.replace(KATAKANA_WORDS, (word) => {
    if (knownKana.has(word)) return word;
    const near = kanaTargets.filter(
      (target) => Math.abs(target.length - word.length) <= 1 && distance(target, word) === 1,
    );
    return near.length === 1 ? near[0] : word;
  });
}

function correctLongWords(text: string, vocabulary: Vocabulary): string {
  return text.replace(/\p{Script=Latin}{4,}/gu, (word) => {
    const lower = word.toLowerCase();
    if (vocabulary.knownWords.has(lower) || vocabulary.answerWords.has(lower)) return word;
    const allowed = lower.length >= 5 ? 2 : 1;
    let best: string | undefined;
    let bestDistance = allowed + 1;
    let tie = false;
    for (const target of vocabulary.typoTargets.get(lower[0]) ?? []) {
      if (Math.abs(target.length - lower.length) > allowed) continue;
      if (inflected(lower, target)) continue;
      const apart = distance(lower, target);
      // Two edits only as two letters swapped ("Offcie", "advsior"): "connect" is not "content".
      if (apart === 2 && [...lower].sort().join() !== [...target].sort().join()) continue;
      if (apart < bestDistance) [best, bestDistance, tie] = [target, apart, false];
      else if (apart === bestDistance) tie = true;
    }
    return best !== undefined && !tie ? best : word;
  });
}

const WORDS = /[\p{L}\p{N}]+/gu;
/** A word (of WORDS) of three Latin letters; lower-cased, it must still be three (İ is two code units then). */
const THREE_LETTER_WORD = /(?<![\p{L}\p{N}])\p{Script=Latin}{3}(?![\p{L}\p{N}])/gu;
const THREE_LATIN_LETTERS = /^\p{Script=Latin}{3}$/u;
/** Only spaces between two words of a name ("Action  Pack", not "action; pack"). */
const SPACES = /^ +$/;

/**
 * Three-letter words are too short to correct alone ("pak" could be many things), but inside a name of several
 * words whose other words are typed right they are one: "Action pak" / "Action Pac" → "Action Pack". One edit, the
 * same first letter, one reading only.
 */
function correctShortWords(text: string, vocabulary: Vocabulary): string {
  const unknownStarts = new Set<number>();
  for (const match of text.matchAll(THREE_LETTER_WORD)) {
    const word = match[0].toLowerCase();
    if (!THREE_LATIN_LETTERS.test(word)) continue;
    if (!vocabulary.answerWords.has(word) && !vocabulary.knownWords.has(word)) unknownStarts.add(match.index);
  }
  // most messages have no unknown three-letter word: no need to cut them into words
  if (unknownStarts.size === 0) return text;
  const tokens = [...text.matchAll(WORDS)].map((match) => ({
    word: match[0].toLowerCase(),
    start: match.index,
    end: match.index + match[0].length,
  }));
  const fixes = new Map<number, string>();
  tokens.forEach((token, at) => {
    if (!unknownStarts.has(token.start)) return;
    const readings = new Set<string>();
    for (const neighbour of [tokens[at - 1], tokens[at + 1]]) {
      for (const name of (neighbour && vocabulary.namesByWord.get(neighbour.word)) ?? []) {
        name.forEach((target, index) => {
          if (target[0] !== token.word[0] || distance(target, token.word) !== 1) return;
          const first = at - index;
          const placed = name.every((word, offset) => {
            const typed = tokens[first + offset];
            if (!typed) return false;
            if (offset > 0 && !SPACES.test(text.slice(tokens[first + offset - 1].end, typed.start)))
              return false;
            return offset === index || typed.word === word;
          });
          if (placed) readings.add(target);
        });
      }
    }
    if (readings.size === 1) fixes.set(at, [...readings][0]);
  });
  if (fixes.size === 0) return text;
  let fixed = '';
  let from = 0;
  for (const [at, word] of fixes) {
    fixed += text.slice(from, tokens[at].start) + word;
    from = tokens[at].end;
  }
  return fixed + text.slice(from);
}
