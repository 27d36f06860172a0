import { deepFreeze } from '../deepFreeze';
import { QuestionId, type Knowledge } from '../knowledge/schema';
import { interpret, type Interpretation, type InterpretationContext } from './interpretation';
import { foundIn, normalise } from './normalise';
import { getPhrases, type CompiledPhrases } from './phrases';

const tables = new WeakMap<Knowledge, WeakMap<CompiledPhrases, Map<string, Interpretation>>>();

const keyOf = (text: string, { lang, asking }: InterpretationContext) => `${lang}\n${asking ?? ''}\n${text}`;

/**
 * interpret(), with a message that is exactly an option's label at its own question (what a suggested-action
 * button sends as text) read from a table that interpret() itself filled once per knowledge file: most messages
 * of a case are button clicks, and reading one again every time was most of what understanding cost a turn.
 * The table keeps only readings that cannot depend on the answers so far: no correction cue, nothing denied.
 */
export function interpretWithButtons(
  text: string,
  context: InterpretationContext,
  knowledge: Knowledge,
  phrases: CompiledPhrases = getPhrases(),
): Interpretation {
  return (
    buttonReadings(knowledge, phrases).get(keyOf(text, context)) ??
    interpret(text, context, knowledge, phrases)
  );
}

function buttonReadings(knowledge: Knowledge, phrases: CompiledPhrases): Map<string, Interpretation> {
  let byPhrases = tables.get(knowledge);
  if (!byPhrases) tables.set(knowledge, (byPhrases = new WeakMap()));
  let table = byPhrases.get(phrases);
  if (!table) byPhrases.set(phrases, (table = buildTable(knowledge, phrases)));
  return table;
}

function buildTable(knowledge: Knowledge, phrases: CompiledPhrases): Map<string, Interpretation> {
  const table = new Map<string, Interpretation>();
  for (const lang of ['ja', 'en'] as const) {
    for (const asking of QuestionId.options) {
      for (const { label } of knowledge.questions[asking].options) {
        const text = label[lang];
        // a correction cue makes the reading depend on the answers so far ("not Gold" corrects a Gold)
        if (foundIn(normalise(text), phrases.corrections.signals).length > 0) continue;
        const reading = interpret(text, { lang, asking }, knowledge, phrases);
        if (Object.keys(reading.negated).length > 0 || Object.keys(reading.corrections).length > 0) continue;
        table.set(keyOf(text, { lang, asking }), deepFreeze(reading));
      }
    }
  }
  return table;
}
