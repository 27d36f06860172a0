import { z } from 'zod';
import {
  AnswerSlots,
  FamilyId,
  PlanId,
  PortalId,
  ProductId,
  QuestionId,
  SeverityId,
  type Lang,
} from '../knowledge/schema';

/**
 * The product and version as the partner named them ("SQL Server 2012", "Exchange 2019", "Dynamics 365 Sales"),
 * said back to them on the card. Letters, digits and the punctuation of product names only: it is shown as is.
 */
export const ProductName = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .regex(
    /^[\p{L}\p{N}][\p{L}\p{N} .+\-&()/#]*$/u,
    'a product name: letters, digits, spaces and . + - & ( ) / #',
  );

/**
 * What the partner has told us so far: one slot per question (the answer space in the schema), plus the product
 * as they named it. Every field is optional: the engine says which ones it still needs.
 */
export const Answers = z
  .object({ ...AnswerSlots, productName: ProductName })
  .partial()
  .strict();
export type Answers = z.infer<typeof Answers>;

const optionsBySlot = new Map<string, ReadonlySet<string>>(
  Object.entries(AnswerSlots).map(([slot, options]) => [slot, new Set<string>(options.options)]),
);

/** A question id, checked without zod: the dialogs check ids from their own state on every turn. */
export function isQuestionId(value: unknown): value is QuestionId {
  return typeof value === 'string' && optionsBySlot.has(value);
}

/**
 * One answer, checked on its own as `Answers` would check it (an option of its question, or a product name):
 * state and submits are read slot by slot, and a whole-object parse per slot was a fifth of a turn's zod time.
 */
export function isAnswer(slot: string, option: unknown): boolean {
  if (slot === 'productName') return ProductName.safeParse(option).success;
  return typeof option === 'string' && optionsBySlot.get(slot)?.has(option) === true;
}

export interface Choice {
  id: string;
  label: string;
}

/** The engine needs one more answer before it can route. */
export interface Ask {
  kind: 'ask';
  question: QuestionId;
  prompt: string;
  why: string;
  choices: Choice[];
}

export interface LinkOut {
  id: string;
  name: string;
  url: string;
}

export interface RouteLine {
  id: string;
  text: string;
  source: string;
  links: LinkOut[];
}

export interface KnownErrorOut {
  id: string;
  title: string;
  message: string;
  /** What to do, in order. */
  fix: string[];
  /** Why it may happen (possibly none), said apart from what to do. */
  causes: string[];
  links: LinkOut[];
  source: string;
}

export interface SeverityGuide {
  levels: { id: z.infer<typeof SeverityId>; criteria: string }[];
  /** Business hours follow the browser's country: said only where the seed says it (the business support portal). */
  businessHoursNote?: string;
}

/** Exactly how this partner gets technical support for this case. */
export interface Route {
  kind: 'route';
  /** Stable id of the route, e.g. "azure/cloudSolutionProvider" or "onPremises/payPerIncident". */
  id: string;
  lang: Lang;
  /** The answers the route was decided on (only those that mattered), with the product as the partner named it. */
  answers: Answers;
  /** The answers and the plan in one line ("Azure · CSP direct · No ASfP or PSfP → Cloud Solution Provider"). */
  summary: string;
  /** The answers only: the card has the plan on a line of its own. */
  answersSummary: string;
  family: { id: z.infer<typeof FamilyId>; name: string };
  /** The product: as the partner named it (answers.productName), else the option's label. */
  product?: { id: z.infer<typeof ProductId>; name: string };
  portal: { id: z.infer<typeof PortalId>; name: string; url?: string };
  plan: { id: z.infer<typeof PlanId>; name: string };
  entitlement: string;
  ids: { required: boolean; text: string };
  steps: RouteLine[];
  caveats: RouteLine[];
  severity: SeverityGuide;
  /** The browser's country routes the incident: said only on business support portal routes. */
  browserCountryNote?: string;
  kbs: LinkOut[];
  links: LinkOut[];
  knownErrors: KnownErrorOut[];
  sources: string[];
}

/** The case has no route with the partner's benefits: why, and what to do instead. */
export interface NotEligible {
  kind: 'notEligible';
  id: string;
  lang: Lang;
  answers: Answers;
  summary: string;
  reason: string;
  instead: string[];
  links: LinkOut[];
  sources: string[];
}

export type Outcome = Ask | Route | NotEligible;
