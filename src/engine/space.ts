import {
  CompetencyKind,
  FamilyId,
  ProductId,
  ProductVersion,
  ProgramId,
  PurchasedPlan,
  QuestionId,
  SignInKind,
  TierId,
  type Knowledge,
  type Lang,
} from '../knowledge/schema';
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

/** Each slot's values plus "not answered yet". */
const SLOT_VALUES: Record<QuestionId, readonly (string | undefined)[]> = {
  family: [undefined, ...FamilyId.options],
  product: [undefined, ...ProductId.options],
  program: [undefined, ...ProgramId.options],
  purchasedPlan: [undefined, ...PurchasedPlan.options],
  tier: [undefined, ...TierId.options],
  competency: [undefined, ...CompetencyKind.options],
  version: [undefined, ...ProductVersion.options],
  signIn: [undefined, ...SignInKind.options],
};

/** The whole answer space the engine can be called with: every combination of every slot, answered or not. */
export function everyCombination(): Answers[] {
  let combinations: Answers[] = [{}];
  for (const question of QuestionId.options) {
    combinations = combinations.flatMap((answers) =>
      SLOT_VALUES[question].map((value) =>
        value === undefined ? answers : { ...answers, [question]: value },
      ),
    );
  }
  return combinations;
}
