import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { getKnowledge } from '../src/knowledge/load';
import type { Lang, QuestionId } from '../src/knowledge/schema';
import { interpret, type InterpretationContext } from '../src/understand';

export interface UnderstandingResult {
  messages: number;
  calls: number;
  medianMicros: number;
  p95Micros: number;
}

const corpusFile = path.join(import.meta.dirname, '../tests/understanding/corpus.yaml');

export type CorpusMessage = { text: string; context: InterpretationContext };

/** The labelled corpus's messages with their context, or a few of both languages when it is absent. */
export function corpusMessages(): CorpusMessage[] {
  if (!existsSync(corpusFile)) {
    return [
      'we have no Premier contract',
      'ASfP は持っていません',
      "what's PSfP?",
      'Offcie 365 mail problem for a CSP customer, Gold, cloud competency',
      'すみません、ゴールドでした',
    ].map((text) => ({ text, context: { lang: 'en' } }));
  }
  const corpus = parse(readFileSync(corpusFile, 'utf8')) as {
    text: string;
    lang: Lang;
    asking?: QuestionId;
  }[];
  return corpus.map((entry) => ({ text: entry.text, context: { lang: entry.lang, asking: entry.asking } }));
}

/** interpret() once per message, over the corpus for `minSeconds` after a warm-up pass: time per message. */
export function benchUnderstanding(list: CorpusMessage[], minSeconds = 2): UnderstandingResult {
  const knowledge = getKnowledge();
  for (let round = 0; round < 20; round++) {
    for (const { text, context } of list) interpret(text, context, knowledge);
  }
  const timings: number[] = [];
  const deadline = performance.now() + minSeconds * 1000;
  while (performance.now() < deadline) {
    for (const { text, context } of list) {
      const started = performance.now();
      interpret(text, context, knowledge);
      timings.push(performance.now() - started);
    }
  }
  timings.sort((a, b) => a - b);
  const at = (share: number) =>
    timings[Math.min(timings.length - 1, Math.floor(timings.length * share))] * 1000;
  return { messages: list.length, calls: timings.length, medianMicros: at(0.5), p95Micros: at(0.95) };
}
