import { AnswerSlots, QuestionId, type Knowledge, type Lang } from '../knowledge/schema';
import { route } from './route';
import type { Answers, NotEligible, Route } from './types';

export interface DecidedCase {
  /** The answers the bot collected, in the order it asked for them. */
  answers: Answers;
  outcome: Route | NotEligible;
}

/**
 * Every case the bot can decide, found by answering each question the engine asks with each of its choices.
 * This is the routing matrix: one entry per distinct path through the conversation.
 */
export function everyDecidedCase(lang: Lang, knowledge: Knowledge): DecidedCase[] {
  const cases: DecidedCase[] = [];
  const walk = (answers: Answers) => {
    const outcome = route(answers, lang, knowledge);
    if (outcome.kind !== 'ask') {
      cases.push({ answers, outcome });
      return;
    }
    for (const choice of outcome.choices) walk({ ...answers, [outcome.question]: choice.id });
  };
  walk({});
  return cases;
}

/** The whole answer space the engine can be called with: every combination of every slot, answered or not. */
export function everyCombination(): Answers[] {
  let combinations: Answers[] = [{}];
  for (const question of QuestionId.options) {
    combinations = combinations.flatMap((answers) =>
      [undefined, ...AnswerSlots[question].options].map((value) =>
        value === undefined ? answers : { ...answers, [question]: value },
      ),
    );
  }
  return combinations;
}
