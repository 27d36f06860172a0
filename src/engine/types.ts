import { z } from 'zod';
import {
  CompetencyKind,
  FamilyId,
  PlanId,
  PortalId,
  ProductId,
  ProductVersion,
  ProgramId,
  PurchasedPlan,
  QuestionId,
  SeverityId,
  SignInKind,
  TierId,
  type Lang,
} from '../knowledge/schema';

/** What the partner has told us so far. Every field is optional: the engine says which ones it still needs. */
export const Answers = z
  .object({
    family: FamilyId,
    product: ProductId,
    program: ProgramId,
    purchasedPlan: PurchasedPlan,
    tier: TierId,
    competency: CompetencyKind,
    version: ProductVersion,
    signIn: SignInKind,
  })
  .partial()
  .strict();
export type Answers = z.infer<typeof Answers>;

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
  fix: string[];
  links: LinkOut[];
  source: string;
}

export interface SeverityGuide {
  levels: { id: z.infer<typeof SeverityId>; criteria: string }[];
  businessHoursNote: string;
}

/** Exactly how this partner gets technical support for this case. */
export interface Route {
  kind: 'route';
  /** Stable id of the route, e.g. "azure/cloudSolutionProvider" or "onPremises/payPerIncident". */
  id: string;
  lang: Lang;
  /** The answers the route was decided on (only those that mattered). */
  answers: Answers;
  summary: string;
  family: { id: z.infer<typeof FamilyId>; name: string };
  product?: { id: z.infer<typeof ProductId>; name: string };
  portal: { id: z.infer<typeof PortalId>; name: string; url?: string };
  plan: { id: z.infer<typeof PlanId>; name: string };
  entitlement: string;
  ids: { required: boolean; text: string };
  steps: RouteLine[];
  caveats: RouteLine[];
  severity: SeverityGuide;
  browserCountryNote: string;
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
