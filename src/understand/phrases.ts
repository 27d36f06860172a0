import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { QuestionId } from '../knowledge/schema';
import { lastWordLength, normalise, type Normalised } from './normalise';

/** Phrases per language; both lists are matched whatever the UI language. */
const PhraseList = z
  .object({ ja: z.array(z.string().trim().min(1)).min(1), en: z.array(z.string().trim().min(1)).min(1) })
  .strict();
/** The same, where one language may have none. */
const SomePhrases = z
  .object({
    ja: z.array(z.string().trim().min(1)).default([]),
    en: z.array(z.string().trim().min(1)).default([]),
  })
  .strict();
const CuesAround = z.object({ before: SomePhrases, after: SomePhrases }).strict();

export const COMMANDS = [
  'help',
  'startOver',
  'back',
  'change',
  'cancel',
  'english',
  'japanese',
  'supportCase',
  'knownErrorMenu',
  'redirectMenu',
  'steps',
] as const;
export type Command = (typeof COMMANDS)[number];

export const Phrases = z
  .object({
    fillers: z.object({ prefixes: PhraseList, suffixes: PhraseList }).strict(),
    commands: z
      .object(
        Object.fromEntries(COMMANDS.map((id) => [id, PhraseList])) as Record<Command, typeof PhraseList>,
      )
      .strict(),
    topics: z.object({ severityHelp: PhraseList }).strict(),
    answerOnly: PhraseList,
    smallTalk: z
      .object({
        greeting: PhraseList,
        thanks: PhraseList,
        thanksAround: z.object({ before: SomePhrases, after: SomePhrases }).strict(),
      })
      .strict(),
    negation: CuesAround.extend({ adjacentAfter: SomePhrases, scopeEnds: SomePhrases }).strict(),
    notAnswers: SomePhrases,
    corrections: z.object({ earlier: CuesAround, instead: SomePhrases, signals: SomePhrases }).strict(),
    problems: SomePhrases,
    questions: z
      .object({
        starts: SomePhrases,
        ends: SomePhrases,
        anywhere: SomePhrases,
        about: SomePhrases,
        owned: SomePhrases,
        conditions: z.object({ starts: SomePhrases, ends: SomePhrases }).strict(),
        supposing: z.object({ starts: SomePhrases, ends: SomePhrases }).strict(),
      })
      .strict(),
    optionGroups: z.array(
      z
        .object({
          slot: QuestionId,
          options: z.array(z.string()).min(2),
          words: SomePhrases,
          stated: z.boolean().optional(),
        })
        .strict(),
    ),
    notSure: PhraseList,
    handoff: PhraseList,
    consent: z.object({ yes: PhraseList, no: PhraseList }).strict(),
    severity: z
      .object({
        levels: SomePhrases,
        aroundTheClock: z.object({ yes: SomePhrases, no: SomePhrases }).strict(),
        impact: z
          .object({
            critical: SomePhrases,
            production: z.object({ systems: SomePhrases, down: SomePhrases }).strict(),
            companyWide: SomePhrases,
            noStop: SomePhrases,
          })
          .strict(),
      })
      .strict(),
    unrecognisedNames: SomePhrases,
    notProductNames: SomePhrases,
    notTypos: SomePhrases,
  })
  .strict();
export type Phrases = z.infer<typeof Phrases>;

/** Phrases ready for matching: each command phrase as the core of a message, each topic phrase compacted. */
export interface CompiledPhrases {
  prefixes: string[];
  suffixes: string[];
  commands: Map<string, Command>;
  severityHelp: Needle[];
  /** Answer words that count only when their question is being asked. */
  answerOnly: Set<string>;
  /** A greeting or a thank-you that is the whole message (polite words included), compacted. */
  smallTalk: {
    greeting: Set<string>;
    thanks: Set<string>;
    /** Words around a thank-you that keep it one, compacted, longest first. */
    thanksAround: { before: string[]; after: string[] };
  };
  /** Cues of interpret(): see phrases.yaml for what each list means. */
  negation: { before: Needle[]; after: Needle[]; adjacentAfter: Needle[]; scopeEnds: Needle[] };
  notAnswers: Needle[];
  corrections: { instead: Needle[]; signals: Needle[] };
  problems: Needle[];
  questions: {
    starts: Needle[];
    ends: string[];
    anywhere: Needle[];
    about: Needle[];
    owned: Needle[];
    conditions: { starts: Needle[]; ends: string[] };
    /** A clause that supposes ("if we have Premier"): what it names is never the partner's answer. */
    supposing: { starts: Needle[]; ends: string[] };
  };
  /** `stated`: the words say something wherever they stand ("we're CSP": which CSP option is asked, never guessed). */
  optionGroups: { slot: QuestionId; options: string[]; words: Needle[]; stated?: boolean }[];
  notSure: Needle[];
  handoff: Needle[];
  /** "Yes" / "no" to sending the hand-off summary, as the whole message (polite words removed). */
  consent: { yes: Set<string>; no: Set<string> };
  severity: {
    levels: Needle[];
    aroundTheClock: { yes: Needle[]; no: Needle[] };
    impact: {
      critical: Needle[];
      /** A production system and a word of it being down, in one clause ("本番システムが停止", "prod is down"). */
      production: { systems: Needle[]; down: Needle[] };
      companyWide: Needle[];
      noStop: Needle[];
    };
  };
  unrecognisedNames: (Needle & { name: string })[];
  /** Words that name a product's family or kind, not a product ("on-prem"): no product name from them. */
  notProductNames: string[];
  /** Lower-case English words that are never typos of an answer word. */
  notTypos: Set<string>;
}

/** A phrase ready for `occurrences()`: compacted, with the length of its last word for the boundary rule. */
export interface Needle {
  needle: string;
  lastWord: number;
}

export function needleOf(phrase: string): Needle {
  const normalised = normalise(phrase);
  return { needle: normalised.compact, lastWord: lastWordLength(normalised) };
}

const needles = (list: { ja: string[]; en: string[] }) =>
  both(list)
    .map(needleOf)
    .filter((entry) => entry.needle.length > 0);

export const defaultPhrasesFile = path.join(import.meta.dirname, 'phrases.yaml');

const both = (list: z.infer<typeof PhraseList>) => [...list.ja, ...list.en];
const compact = (phrase: string) => normalise(phrase).compact;

/** Reads and checks a phrases file; throws naming the file and the field or phrase that is wrong. */
export function loadPhrases(file: string = defaultPhrasesFile): CompiledPhrases {
  const parsed = Phrases.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path.basename(file)}: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return compilePhrases(parsed.data, path.basename(file));
}

export function compilePhrases(phrases: Phrases, fileName = 'phrases'): CompiledPhrases {
  // Longest fillers first, so "をお願いします" goes before "を".
  const byLength = (a: string, b: string) => b.length - a.length;
  const compiled: CompiledPhrases = {
    prefixes: both(phrases.fillers.prefixes).map(compact).filter(Boolean).sort(byLength),
    suffixes: both(phrases.fillers.suffixes).map(compact).filter(Boolean).sort(byLength),
    commands: new Map(),
    severityHelp: needles(phrases.topics.severityHelp),
    answerOnly: new Set(both(phrases.answerOnly).map(compact)),
    smallTalk: {
      greeting: new Set(both(phrases.smallTalk.greeting).map(compact)),
      thanks: new Set(both(phrases.smallTalk.thanks).map(compact)),
      thanksAround: {
        before: both(phrases.smallTalk.thanksAround.before).map(compact).sort(byLength),
        after: both(phrases.smallTalk.thanksAround.after).map(compact).sort(byLength),
      },
    },
    negation: {
      before: needles({
        ja: [...phrases.negation.before.ja, ...phrases.corrections.earlier.before.ja],
        en: [...phrases.negation.before.en, ...phrases.corrections.earlier.before.en],
      }),
      after: needles({
        ja: [...phrases.negation.after.ja, ...phrases.corrections.earlier.after.ja],
        en: [...phrases.negation.after.en, ...phrases.corrections.earlier.after.en],
      }),
      adjacentAfter: needles(phrases.negation.adjacentAfter),
      scopeEnds: needles(phrases.negation.scopeEnds),
    },
    notAnswers: needles(phrases.notAnswers),
    corrections: {
      instead: needles(phrases.corrections.instead),
      signals: needles(phrases.corrections.signals),
    },
    problems: needles(phrases.problems),
    questions: {
      starts: needles(phrases.questions.starts),
      ends: both(phrases.questions.ends).map(compact),
      anywhere: needles(phrases.questions.anywhere),
      about: needles(phrases.questions.about),
      owned: needles(phrases.questions.owned),
      conditions: {
        starts: needles(phrases.questions.conditions.starts),
        ends: both(phrases.questions.conditions.ends).map(compact),
      },
      supposing: {
        starts: needles(phrases.questions.supposing.starts),
        ends: both(phrases.questions.supposing.ends).map(compact),
      },
    },
    optionGroups: phrases.optionGroups.map((group) => ({ ...group, words: needles(group.words) })),
    notSure: needles(phrases.notSure),
    handoff: needles(phrases.handoff),
    consent: { yes: new Set(), no: new Set() },
    severity: {
      levels: needles(phrases.severity.levels),
      aroundTheClock: {
        yes: needles(phrases.severity.aroundTheClock.yes),
        no: needles(phrases.severity.aroundTheClock.no),
      },
      impact: {
        critical: needles(phrases.severity.impact.critical),
        production: {
          systems: needles(phrases.severity.impact.production.systems),
          down: needles(phrases.severity.impact.production.down),
        },
        companyWide: needles(phrases.severity.impact.companyWide),
        noStop: needles(phrases.severity.impact.noStop),
      },
    },
    unrecognisedNames: both(phrases.unrecognisedNames).map((name) => ({ name, ...needleOf(name) })),
    notProductNames: both(phrases.notProductNames),
    notTypos: new Set(both(phrases.notTypos).map((word) => word.toLowerCase())),
  };
  for (const answer of ['yes', 'no'] as const) {
    // "OK" is a polite filler elsewhere ("ok, Azure"), but alone it is the whole answer to "send this?"
    for (const phrase of both(phrases.consent[answer]))
      compiled.consent[answer].add(messageCore(phrase, compiled) || compact(phrase));
  }
  for (const command of COMMANDS) {
    for (const phrase of both(phrases.commands[command])) {
      const core = messageCore(phrase, compiled);
      if (!core) throw new Error(`${fileName}: commands.${command}: "${phrase}" is only filler words`);
      const other = compiled.commands.get(core);
      if (other && other !== command) {
        throw new Error(
          `${fileName}: commands.${command}: "${phrase}" is also a phrase of commands.${other}`,
        );
      }
      compiled.commands.set(core, command);
    }
  }
  for (const phrase of compiled.severityHelp) {
    if (!phrase.needle) throw new Error(`${fileName}: topics.severityHelp: a phrase has no letters`);
  }
  return compiled;
}

/** The message without the polite words around it: "help please" → "help", "日本語でお願いします" → "日本語". */
export function messageCore(text: string | Normalised, phrases: CompiledPhrases): string {
  const { compact: whole, boundary } = typeof text === 'string' ? normalise(text) : text;
  let start = 0;
  let end = whole.length;
  for (let changed = true; changed && start < end;) {
    changed = false;
    for (const prefix of phrases.prefixes) {
      const after = start + prefix.length;
      if (after <= end && whole.startsWith(prefix, start) && boundary[after]) {
        start = after;
        changed = true;
        break;
      }
    }
    for (const suffix of phrases.suffixes) {
      const before = end - suffix.length;
      if (before >= start && whole.endsWith(suffix, end) && boundary[before]) {
        end = before;
        changed = true;
        break;
      }
    }
  }
  return whole.slice(start, end);
}

let cached: CompiledPhrases | undefined;

/** The shipped phrases file, read and checked once per process. */
export function getPhrases(): CompiledPhrases {
  cached ??= loadPhrases();
  return cached;
}
