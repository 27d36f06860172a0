import { z } from 'zod';

/**
 * The shape of the routing knowledge (src/knowledge/routing.yaml).
 * Every fact the bot can say lives in that file, in Japanese and English, citing the seed section it comes from.
 * The enums below are the answer space of the routing engine: data and code share them, so they cannot drift.
 */

export const Lang = z.enum(['ja', 'en']);
export type Lang = z.infer<typeof Lang>;

export const FamilyId = z.enum(['azure', 'microsoft365', 'dynamics365', 'cloudAppSecurity', 'onPremises']);
export const ProductId = z.enum([
  'azure',
  'office365',
  'enterpriseMobilitySuite',
  'intune',
  'windows',
  'd365FinanceOperations',
  'd365Retail',
  'd365Talent',
  'd365CustomerEngagement',
  'businessCentral',
  'powerApps',
  'flow',
  'mixedReality',
  'ai',
  'cloudAppSecurity',
  'onPremises',
]);
export const ProgramId = z.enum(['cspDirect', 'indirectProvider', 'indirectReseller', 'advisor']);
export const TierId = z.enum(['actionPack', 'silver', 'gold']);
export const CompetencyKind = z.enum(['cloud', 'other']);
/** A support plan the partner bought on top of the MPN benefits. */
export const PurchasedPlan = z.enum(['none', 'asfp', 'psfp']);
/** On-premises incidents cover the current and the previous product version only (aka.ms/n-1). */
export const ProductVersion = z.enum(['current', 'older']);
export const SignInKind = z.enum(['msa', 'aad']);
export const SeverityId = z.enum(['A', 'B', 'C']);

export const PortalId = z.enum([
  'azurePortal',
  'microsoft365AdminCenter',
  'lifecycleServices',
  'powerPlatform',
  'businessSupportWorkflow',
  'businessSupportPortal',
]);
export const PlanId = z.enum([
  'cloudSolutionProvider',
  'signatureCloudSupport',
  'advancedSupportForPartners',
  'premierSupportForPartners',
  'microsoft365NoContract',
  'professionalNoCharge',
  'partnerSupportCoreBenefit',
  'payPerIncident',
]);

/**
 * The answer space, declared once: each question the bot may ask and the options it takes, in the order answers
 * are listed back to the partner (the engine decides which to ask, and when). The engine's answer type, the
 * whole-space enumeration and the loader's completeness check derive from it.
 */
export const AnswerSlots = {
  family: FamilyId,
  product: ProductId,
  program: ProgramId,
  purchasedPlan: PurchasedPlan,
  tier: TierId,
  competency: CompetencyKind,
  version: ProductVersion,
  signIn: SignInKind,
} as const;
export const QuestionId = z.enum(Object.keys(AnswerSlots) as [keyof typeof AnswerSlots]);
export type QuestionId = z.infer<typeof QuestionId>;

/** Text in both languages: Japanese faithful to the seed's wording, English a faithful translation. */
export const Text = z.object({ ja: z.string().trim().min(1), en: z.string().trim().min(1) }).strict();
export type Text = z.infer<typeof Text>;

/** Words a partner may type for an option, per language; matched on normalised text, not whitespace tokens. */
export const Synonyms = z
  .object({ ja: z.array(z.string().min(1)).default([]), en: z.array(z.string().min(1)).default([]) })
  .strict();

/**
 * The seed section a fact comes from: its headings from the top, joined by " › ", each copied verbatim
 * from the seed (a test checks each part appears in the seed text).
 */
export const Source = z.string().min(1);

/** When a step or caveat applies to a route; an absent key means "any". */
export const When = z
  .object({
    families: z.array(FamilyId).min(1).optional(),
    products: z.array(ProductId).min(1).optional(),
    /** The partner named the product (and version) in their own words, e.g. "SQL Server 2012". */
    productNamed: z.boolean().optional(),
    portals: z.array(PortalId).min(1).optional(),
    programs: z.array(ProgramId).min(1).optional(),
    plans: z.array(PlanId).min(1).optional(),
    idsRequired: z.boolean().optional(),
    purchasedPlans: z.array(PurchasedPlan).min(1).optional(),
    tiers: z.array(TierId).min(1).optional(),
    competencies: z.array(CompetencyKind).min(1).optional(),
    versions: z.array(ProductVersion).min(1).optional(),
    signIns: z.array(SignInKind).min(1).optional(),
  })
  .strict();
export type When = z.infer<typeof When>;

/** Text for some routes only: shown when its `when` matches the route (an absent `when` matches every route). */
export const Line = z
  .object({ ja: z.string().trim().min(1), en: z.string().trim().min(1), when: When.default({}) })
  .strict();
export type Line = z.infer<typeof Line>;

/**
 * Text tailored to the partner's case: one text for every route, or alternatives of which the first whose `when`
 * matches is said. "{product}" is replaced by the product the partner named (their words, or the option's label).
 */
export const Tailored = z.union([Text, z.array(Line).min(1)]);
export type Tailored = z.infer<typeof Tailored>;

/**
 * Where an entry knowingly departs from the seed's wording because the seed contradicts itself: what the seed
 * says (copied verbatim; a test finds it in the seed) and why the knowledge says otherwise.
 */
export const Correction = z.object({ seedSays: z.string().min(1), because: z.string().min(1) }).strict();

/** A URL; "{locale}" is replaced by ja-jp or en-us so the page opens in the user's language. */
const Url = z.string().regex(/^https:\/\/[^\s]+$/, 'must be an https URL');

const Entry = z.object({ id: z.string().min(1), source: Source, correction: Correction.optional() });

/** What an option means, said when the partner asks about it at the question ("what's PSfP?"), with its seed section. */
export const Explanation = z
  .object({ ja: z.string().trim().min(1), en: z.string().trim().min(1), source: Source })
  .strict();

const Option = <T extends z.ZodType<string>>(id: T) =>
  z.object({
    id,
    label: Text,
    /** The answer as the card's summary line says it, where the label alone would not ("Neither"). */
    summaryLabel: Text.optional(),
    synonyms: Synonyms.default({ ja: [], en: [] }),
    explain: Explanation.optional(),
  });

const Question = <O extends z.ZodObject>(option: O) =>
  z
    .object({
      prompt: Text,
      /** Why the answer matters, said when the user asks for help at this question. */
      why: Text,
      source: Source,
      options: z.array(option).min(2),
    })
    .strict();

type PlainQuestion<T extends z.ZodType<string>> = ReturnType<
  typeof Question<ReturnType<ReturnType<typeof Option<T>>['strict']>>
>;

/** A question for each answer slot, its options taking the slot's ids (the family and product add their own). */
const questionsOf = <S extends Record<string, z.ZodType<string>>>(slots: S) =>
  Object.fromEntries(Object.entries(slots).map(([slot, id]) => [slot, Question(Option(id).strict())])) as {
    [K in keyof S]: PlainQuestion<S[K]>;
  };

export const Step = Entry.extend({
  text: Tailored,
  when: When.default({}),
  /** ids of entries in `links` or `kbs` that this step points to */
  links: z.array(z.string()).default([]),
}).strict();
export type Step = z.infer<typeof Step>;

export const Knowledge = z
  .object({
    meta: z
      .object({
        seed: z.string().min(1),
        title: Text,
        /** The browser's country decides the support team and business hours (business support portal only). */
        browserCountryNote: Line,
        source: Source,
      })
      .strict(),

    questions: z
      .object({
        ...questionsOf(AnswerSlots),
        // where a family or a product files, and a product's family
        family: Question(Option(FamilyId).extend({ portal: PortalId.optional() }).strict()),
        product: Question(
          Option(ProductId).extend({ family: FamilyId, portal: PortalId.optional() }).strict(),
        ),
      })
      .strict(),

    /** The MPN benefit table. `null` means the tier has no such benefit. */
    benefits: z
      .object({
        source: Source,
        onPremisesIncidents: z.record(TierId, z.number().int().positive()),
        signatureCloudSupport: z.record(
          TierId,
          z.union([
            z.null(),
            z.record(CompetencyKind, z.union([z.literal('unlimited'), z.number().int().positive()])),
          ]),
        ),
        cloudCompetencies: z
          .array(z.object({ name: Text, retiredOn: z.iso.date().optional(), source: Source }).strict())
          .min(1),
      })
      .strict(),

    portals: z.array(Entry.extend({ id: PortalId, name: Text, url: Url.optional() }).strict()),

    plans: z.array(
      Entry.extend({
        id: PlanId,
        name: Text,
        /**
         * The partner's own pack of this plan, said after its name ("Signature 10pack"): the first line whose `when`
         * matches the route. Absent for plans that have one form.
         */
        pack: z.array(Line).min(1).optional(),
        /** Whether an access ID and contract ID must be linked before filing. */
        idsRequired: z.boolean(),
        /** What the partner is told about IDs for this plan (also when none are needed). */
        ids: Tailored,
      }).strict(),
    ),

    /** Sentences for the entitlement line; {count} is replaced by a number of incidents. */
    entitlements: z
      .object({
        incidents: Text,
        unlimited: Text,
        cloudSolutionProvider: Text,
        microsoft365NoContract: Text,
        professionalNoCharge: Text,
        payPerIncident: Text,
        advancedSupportForPartners: Text,
        premierSupportForPartners: Text,
        source: Source,
      })
      .strict(),

    /** Ordered step lists; a family's route concatenates the groups it names, keeping steps whose `when` matches. */
    stepGroups: z.record(z.string().min(1), z.array(Step).min(1)),
    families: z.array(
      Entry.extend({
        id: FamilyId,
        stepGroups: z.array(z.string()).min(1),
      }).strict(),
    ),

    /** Facts shown on a route when their `when` matches: rules, limits, things to know before filing. */
    caveats: z.array(Step),

    /** Reasons a case gets no route, with what to do instead. */
    notEligible: z.array(
      Entry.extend({
        reason: Text,
        /** What to do instead; lines whose `when` does not match the partner's answers are left out. */
        instead: z.array(Line).min(1),
        links: z.array(z.string()).default([]),
      }).strict(),
    ),

    kbs: z.array(Entry.extend({ id: z.string().regex(/^\d{7}$/), title: Text }).strict()),
    links: z.array(Entry.extend({ name: Text, url: Url }).strict()),

    severity: z
      .object({
        source: Source,
        levels: z.array(z.object({ id: SeverityId, criteria: Text }).strict()).length(3),
        /** Business hours follow the browser's country (business support portal only). */
        businessHoursNote: Line,
      })
      .strict(),

    knownErrors: z.array(
      Entry.extend({
        title: Text,
        /** The message exactly as the portal shows it. */
        message: Text,
        /** Fragments that recognise the error when a partner pastes it. */
        patterns: Synonyms,
        /** What to do, in order; a line whose `when` does not match the route is left off its card. */
        fix: z.array(Line).min(1),
        /** Why it may happen, said apart from what to do. */
        causes: z.array(Line).default([]),
        /** The routes on whose card this error is listed as one to expect. */
        when: When,
        links: z.array(z.string()).default([]),
      }).strict(),
    ),

    /** Questions that are not technical support, and where they go instead. */
    redirects: z.array(
      Entry.extend({
        title: Text,
        text: Text,
        patterns: Synonyms,
        links: z.array(z.string()).default([]),
      }).strict(),
    ),

    /**
     * General facts a partner can ask about (cloud competencies, delegated admin, helpdesk agents, …). `forFamily`:
     * the answer for the product family the partner named ("Is a contract needed for Office 365 tickets?"),
     * said first, with its own seed section.
     */
    facts: z.array(
      Entry.extend({
        title: Text,
        text: Text,
        patterns: Synonyms,
        forFamily: z
          .array(z.object({ families: z.array(FamilyId).min(1), text: Text, source: Source }).strict())
          .default([]),
      }).strict(),
    ),
  })
  .strict();

export type Knowledge = z.infer<typeof Knowledge>;
