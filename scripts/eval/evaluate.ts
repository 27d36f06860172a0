import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Answers } from '../../src/engine/types';
import { QuestionId, type Knowledge, type Lang } from '../../src/knowledge/schema';
import { interpret, type Intent, type Interpretation } from '../../src/understand';

/** One labelled message of tests/understanding/corpus.yaml (its README says what each field means). */
export interface Labelled {
  text: string;
  lang: Lang;
  asking?: QuestionId;
  answered?: Answers;
  intent: string;
  answers?: Record<string, string>;
  negated?: Record<string, string[]>;
  askedAbout?: { slot: string; option: string }[];
  corrections?: Record<string, string>;
  unrecognised?: string[];
  severity?: { level?: string; aroundTheClock?: boolean; businessDown?: boolean };
  ambiguous?: boolean;
  /** Only option labels or names: no language can be read from it. */
  languageNeutral?: boolean;
  tags?: string[];
}

export const readCorpus = (file: string): Labelled[] => parse(readFileSync(file, 'utf8')) as Labelled[];

/** The corpus's name for an intent: `case`, `fact:<id>`, `command:help`… */
export function intentLabel(intent: Intent): string {
  switch (intent.kind) {
    case 'none':
      return 'case';
    case 'fact':
    case 'redirect':
    case 'knownError':
      return `${intent.kind}:${intent.id}`;
    case 'switchLanguage':
      return `switchLanguage:${intent.lang}`;
    case 'help':
    case 'startOver':
    case 'back':
    case 'change':
    case 'cancel':
    case 'knownErrorMenu':
    case 'redirectMenu':
    case 'supportCase':
      return `command:${intent.kind}`;
    default:
      return intent.kind;
  }
}

export interface Miss {
  text: string;
  asking?: string;
  expected: string;
  got: string;
}

export interface Evaluation {
  messages: number;
  intent: { correct: number; total: number; misses: Miss[] };
  /** Per slot, over the messages where the label or the bot names that slot. */
  slots: Record<QuestionId, { correct: number; total: number }>;
  slotMisses: Miss[];
  /** Other fields, exact per message over the messages where the label or the bot has something. */
  fields: Record<
    'negated' | 'askedAbout' | 'corrections' | 'unrecognised' | 'severity' | 'ambiguous',
    { correct: number; total: number }
  >;
  /** Right: the label's language, or none for a message of labels only; undecided: none where one was clear. */
  language: { correct: number; wrong: number; undecided: number; misses: Miss[] };
  /** intent confusion: expected → got → count, misses only. */
  confusion: Map<string, Map<string, number>>;
  /** Answers the partner denied or only asked about, taken all the same: must stay empty. */
  unsafe: Miss[];
  /** Milliseconds per message, sorted. */
  timings: number[];
}

const sorted = (list: string[] = []) => [...list].sort().join(',');
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const canonical = (record: Record<string, string[] | string> = {}) =>
  Object.fromEntries(
    Object.entries(record)
      .map(([key, value]) => [key, Array.isArray(value) ? sorted(value) : value] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  );

export function evaluate(corpus: Labelled[], knowledge: Knowledge): Evaluation {
  const result: Evaluation = {
    messages: corpus.length,
    intent: { correct: 0, total: 0, misses: [] },
    slots: Object.fromEntries(
      QuestionId.options.map((slot) => [slot, { correct: 0, total: 0 }]),
    ) as Evaluation['slots'],
    slotMisses: [],
    fields: {
      negated: { correct: 0, total: 0 },
      askedAbout: { correct: 0, total: 0 },
      corrections: { correct: 0, total: 0 },
      unrecognised: { correct: 0, total: 0 },
      severity: { correct: 0, total: 0 },
      ambiguous: { correct: 0, total: 0 },
    },
    language: { correct: 0, wrong: 0, undecided: 0, misses: [] },
    confusion: new Map(),
    unsafe: [],
    timings: [],
  };
  for (const entry of corpus) {
    const context = { lang: entry.lang, asking: entry.asking, answers: entry.answered };
    const started = performance.now();
    const got: Interpretation = interpret(entry.text, context, knowledge);
    result.timings.push(performance.now() - started);
    const where = { text: entry.text, asking: entry.asking };

    const label = intentLabel(got.intent);
    result.intent.total += 1;
    if (label === entry.intent) result.intent.correct += 1;
    else {
      result.intent.misses.push({ ...where, expected: entry.intent, got: label });
      const row = result.confusion.get(entry.intent) ?? new Map<string, number>();
      row.set(label, (row.get(label) ?? 0) + 1);
      result.confusion.set(entry.intent, row);
    }

    const expected = entry.answers ?? {};
    const answers = got.answers as Record<string, string | undefined>;
    for (const slot of QuestionId.options) {
      if (expected[slot] === undefined && answers[slot] === undefined) continue;
      result.slots[slot].total += 1;
      if (expected[slot] === answers[slot]) result.slots[slot].correct += 1;
      else
        result.slotMisses.push({
          ...where,
          expected: `${slot}=${expected[slot]}`,
          got: `${slot}=${answers[slot]}`,
        });
      const denied = entry.negated?.[slot] ?? [];
      const asked = (entry.askedAbout ?? []).filter((item) => item.slot === slot).map((item) => item.option);
      const taken = answers[slot];
      if (
        taken !== undefined &&
        taken !== expected[slot] &&
        (denied.includes(taken) || asked.includes(taken))
      ) {
        result.unsafe.push({ ...where, expected: `${slot}=${expected[slot]}`, got: `${slot}=${taken}` });
      }
    }

    const field = (name: keyof Evaluation['fields'], want: unknown, have: unknown, empty: unknown) => {
      if (same(want, empty) && same(have, empty)) return;
      result.fields[name].total += 1;
      if (same(want, have)) result.fields[name].correct += 1;
    };
    field('negated', canonical(entry.negated), canonical(got.negated), {});
    const pairs = (list: { slot: string; option: string }[] = []) =>
      list.map((item) => `${item.slot}:${item.option}`).sort();
    field('askedAbout', pairs(entry.askedAbout), pairs(got.askedAbout), []);
    field(
      'corrections',
      canonical(entry.corrections),
      canonical(got.corrections as Record<string, string>),
      {},
    );
    const names = (list: string[] = []) => list.map((name) => name.toLowerCase()).sort();
    field('unrecognised', names(entry.unrecognised), names(got.unrecognised), []);
    field('severity', entry.severity ?? {}, got.severity ?? {}, {});
    field('ambiguous', entry.ambiguous ?? false, got.ambiguous, false);

    const language = entry.languageNeutral ? undefined : entry.lang;
    if (got.language === language) result.language.correct += 1;
    else {
      if (got.language === undefined) result.language.undecided += 1;
      else result.language.wrong += 1;
      result.language.misses.push({ ...where, expected: String(language), got: String(got.language) });
    }
  }
  result.timings.sort((a, b) => a - b);
  return result;
}

export const percent = ({ correct, total }: { correct: number; total: number }) =>
  total === 0 ? 100 : (100 * correct) / total;

export function slotAccuracy(evaluation: Evaluation): { correct: number; total: number } {
  return Object.values(evaluation.slots).reduce(
    (sum, slot) => ({ correct: sum.correct + slot.correct, total: sum.total + slot.total }),
    { correct: 0, total: 0 },
  );
}

export const median = (sortedTimings: number[]) => sortedTimings[Math.floor(sortedTimings.length / 2)] ?? 0;
