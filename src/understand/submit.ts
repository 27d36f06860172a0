import { z } from 'zod';
import { QuestionId, type Knowledge } from '../knowledge/schema';
import { Answers } from '../engine/types';

/** The first choices of the welcome card. */
export const WelcomeTopic = z.enum(['supportCase', 'severityHelp', 'knownError', 'notTechnicalSupport']);
export type WelcomeTopic = z.infer<typeof WelcomeTopic>;

const Id = z.string().min(1).max(100);

/** Why an answer did not help, as the feedback card offers them (the trainers' report groups by these ids). */
export const FeedbackReason = z.enum(['wrongRoute', 'unclearSteps', 'missingInformation', 'other']);
export type FeedbackReason = z.infer<typeof FeedbackReason>;

/** The answer a feedback vote is about: a route or not-covered id, or knownError:<id>. */
const OutcomeId = z.string().regex(/^[\w:/.-]{1,100}$/);

/** An input left empty comes as ''. */
const blankIsNone = (value: unknown) => (value === '' ? undefined : value);

/** Input.ChoiceSet and Input.Toggle send strings; a hand-built button may send a boolean. */
const YesNo = z.union([
  z.boolean(),
  z.enum(['true', 'yes']).transform(() => true),
  z.enum(['false', 'no']).transform(() => false),
]);

/**
 * What an Action.Submit of one of our cards sends in `activity.value` (Teams and Web Chat send it with no text).
 * The `verb` says which card action it is; fields the card's inputs add (the problem-description text) are dropped.
 */
export const CardSubmit = z.discriminatedUnion('verb', [
  z.object({ verb: z.literal('start'), topic: WelcomeTopic }),
  z.object({ verb: z.literal('answer'), question: QuestionId, option: Id }),
  z.object({ verb: z.literal('startOver') }),
  z.object({ verb: z.literal('changeAnswer'), question: QuestionId.optional() }),
  z.object({
    verb: z.literal('severity'),
    ready24x7: YesNo.optional(),
    businessDown: YesNo.optional(),
    companyWideStop: YesNo.optional(),
  }),
  z.object({ verb: z.literal('knownError'), id: Id }),
  z.object({ verb: z.literal('redirect'), id: Id }),
  /**
   * "Did this answer your question?" under an answer; after "no", the reason (and, on cards, an optional comment:
   * the only free text of the partner's that is stored, cut to 500 characters).
   */
  z.object({
    verb: z.literal('feedback'),
    outcome: OutcomeId,
    helpful: YesNo,
    step: z.literal('reason').optional(),
    reason: z.preprocess(blankIsNone, FeedbackReason.optional()),
    comment: z.preprocess(
      blankIsNone,
      z
        .string()
        .transform((text) => text.trim().slice(0, 500))
        .optional(),
    ),
  }),
  /** "Send this summary to the support desk?": the hand-off consent buttons. */
  z.object({ verb: z.literal('handoff'), send: YesNo }),
]);

/** A card submit after checking; an answer also comes as the one-slot `Answers` it sets. */
export type CardSubmit =
  | Exclude<z.infer<typeof CardSubmit>, { verb: 'answer' }>
  | { verb: 'answer'; question: QuestionId; option: string; answer: Answers };

/** Keys that could reach an object's prototype if a submit were ever merged into state. */
const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'];

/**
 * The submit in `activity.value`, or undefined when it is not one of ours, is stale (an option, error or redirect
 * the knowledge file no longer has) or was tampered with. Never throws.
 */
export function parseCardSubmit(value: unknown, knowledge: Knowledge): CardSubmit | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return undefined;
  if (FORBIDDEN_KEYS.some((key) => Object.hasOwn(value, key))) return undefined;

  const parsed = CardSubmit.safeParse(value);
  if (!parsed.success) return undefined;
  const submit = parsed.data;
  switch (submit.verb) {
    case 'answer': {
      const known = knowledge.questions[submit.question].options.some(
        (option) => option.id === submit.option,
      );
      const answer = Answers.safeParse({ [submit.question]: submit.option });
      return known && answer.success ? { ...submit, answer: answer.data } : undefined;
    }
    case 'knownError':
      return knowledge.knownErrors.some((error) => error.id === submit.id) ? submit : undefined;
    case 'redirect':
      return knowledge.redirects.some((redirect) => redirect.id === submit.id) ? submit : undefined;
    default:
      return submit;
  }
}
