import { z } from 'zod';
import { FamilyId, Lang, PlanId, PortalId, ProductId, QuestionId, SeverityId } from '../knowledge/schema';
import {
  Answers,
  type Ask,
  type KnownErrorOut,
  type LinkOut,
  type NotEligible,
  type Route,
  type RouteLine,
  type SeverityGuide,
} from '../engine/types';

/**
 * The data each card is filled with, checked before expansion: a card never shows an empty line,
 * a placeholder or a link that is not https. Each schema is typed against the engine's interface.
 */

/** Text shown on a card: never blank. */
const Shown = z.string().trim().min(1);
const HttpsUrl = z.string().regex(/^https:\/\/[^\s]+$/, 'must be an https URL');

export const LinkOutShape: z.ZodType<LinkOut> = z.object({ id: Shown, name: Shown, url: HttpsUrl });

const RouteLineShape: z.ZodType<RouteLine> = z.object({
  id: Shown,
  text: Shown,
  source: z.string(),
  links: z.array(LinkOutShape),
});

export const KnownErrorShape: z.ZodType<KnownErrorOut> = z.object({
  id: Shown,
  title: Shown,
  message: Shown,
  fix: z.array(Shown).min(1),
  causes: z.array(Shown),
  links: z.array(LinkOutShape),
  source: z.string(),
});

export const SeverityGuideShape: z.ZodType<SeverityGuide> = z.object({
  levels: z.array(z.object({ id: SeverityId, criteria: Shown })).length(3),
  businessHoursNote: Shown.optional(),
});

export const RouteShape: z.ZodType<Route> = z.object({
  kind: z.literal('route'),
  id: Shown,
  lang: Lang,
  answers: Answers,
  summary: Shown,
  answersSummary: Shown,
  family: z.object({ id: FamilyId, name: Shown }),
  product: z.object({ id: ProductId, name: Shown }).optional(),
  portal: z.object({ id: PortalId, name: Shown, url: HttpsUrl.optional() }),
  plan: z.object({ id: PlanId, name: Shown }),
  entitlement: Shown,
  ids: z.object({ required: z.boolean(), text: Shown }),
  steps: z.array(RouteLineShape).min(1),
  caveats: z.array(RouteLineShape),
  severity: SeverityGuideShape,
  browserCountryNote: Shown.optional(),
  kbs: z.array(LinkOutShape),
  links: z.array(LinkOutShape),
  knownErrors: z.array(KnownErrorShape),
  sources: z.array(z.string()),
});

export const NotEligibleShape: z.ZodType<NotEligible> = z.object({
  kind: z.literal('notEligible'),
  id: Shown,
  lang: Lang,
  answers: Answers,
  summary: Shown,
  reason: Shown,
  instead: z.array(Shown).min(1),
  links: z.array(LinkOutShape),
  sources: z.array(z.string()),
});

export const AskShape: z.ZodType<Ask> = z.object({
  kind: z.literal('ask'),
  question: QuestionId,
  prompt: Shown,
  why: Shown,
  choices: z.array(z.object({ id: Shown, label: Shown })).min(2),
});

/** A question that is not technical support, and where it goes instead, in one language. */
export interface RedirectOut {
  id: string;
  title: string;
  text: string;
  links: LinkOut[];
}

export const RedirectShape: z.ZodType<RedirectOut> = z.object({
  id: Shown,
  title: Shown,
  text: Shown,
  links: z.array(LinkOutShape),
});
