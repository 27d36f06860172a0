import {
  QuestionId,
  type Knowledge,
  type Lang,
  type Step,
  type Tailored,
  type Text,
} from '../knowledge/schema';
import {
  describeKnownError,
  describeLinks,
  linesFor,
  localise,
  matches,
  pick,
  type RouteContext,
} from './describe';
import type { Answers, Ask, KnownErrorOut, LinkOut, NotEligible, Outcome, Route, RouteLine } from './types';

/**
 * The routing engine: answers in, the way to technical support out. Pure: no I/O, no Bot Framework.
 * The decision tree is here; every fact it states (steps, plans, incidents, IDs, errors) is in routing.yaml.
 */

type PlanId = Knowledge['plans'][number]['id'];
type FamilyId = NonNullable<Answers['family']>;
type PortalId = Knowledge['portals'][number]['id'];

/** Programs whose partners open customer tickets from Partner Center with the "Cloud Solution Provider" plan. */
const CLOUD_SOLUTION_PROVIDER_PROGRAMS: ReadonlySet<string> = new Set([
  'cspDirect',
  'indirectProvider',
  'indirectReseller',
]);

/** The engine's decision before it is put into words. */
type Decision =
  | { kind: 'ask'; question: QuestionId }
  | { kind: 'notEligible'; id: string; used: Answers }
  | { kind: 'route'; plan: PlanId; family: FamilyId; portal: PortalId; used: Answers };

export function route(answers: Answers, lang: Lang, knowledge: Knowledge): Outcome {
  const decision = decide(answers, knowledge);
  switch (decision.kind) {
    case 'ask':
      return describeAsk(decision.question, answers, lang, knowledge);
    case 'notEligible':
      return describeNotEligible(decision.id, decision.used, lang, knowledge);
    case 'route':
      return describeRoute(decision, lang, knowledge);
  }
}

/** The next question, described as `route` would; undefined when the answers decide the case (it is not described). */
export function askFor(answers: Answers, lang: Lang, knowledge: Knowledge): Ask | undefined {
  const decision = decide(answers, knowledge);
  return decision.kind === 'ask' ? describeAsk(decision.question, answers, lang, knowledge) : undefined;
}

/** The questions still needed, in the order the bot asks them (empty when the case is decided). */
export function nextQuestion(answers: Answers, knowledge: Knowledge): QuestionId | undefined {
  const decision = decide(answers, knowledge);
  return decision.kind === 'ask' ? decision.question : undefined;
}

export interface SeveritySituation {
  /** Ready to work on the problem 24 hours a day, 7 days a week. */
  ready24x7: boolean;
  /** A critical production server, service or application is down. */
  businessDown?: boolean;
  /** The problem may stop work company-wide, or a deployment cannot go ahead on schedule. */
  companyWideStop?: boolean;
}

/** Severity A / B / C by the seed's guideline (オンプレミス製品 › 3. › 4.). */
export function severityFor(situation: SeveritySituation): 'A' | 'B' | 'C' {
  if (situation.ready24x7 && situation.businessDown) return 'A';
  if (situation.companyWideStop) return 'B';
  return 'C';
}

/** A family's rule: the questions its routes depend on, in order, and the plan each combination ends at. */
type FamilyRule = (c: RuleContext) => Decision;

interface RuleContext {
  answers: Answers;
  /** The answers the decision rests on, filled in as the rule reads them. */
  used: Answers;
  knowledge: Knowledge;
  decided: (plan: PlanId) => Decision;
}

/**
 * One rule per product family. A Record over the schema's FamilyId: a family added to the schema (and so to the
 * knowledge file) without its rule does not compile, and the loader refuses a knowledge file without the family.
 */
const FAMILY_RULES: Record<FamilyId, FamilyRule> = {
  // On-premises incidents are not linked to a customer tenant: no program question, no delegated admin.
  // The version comes first: older versions are pay per incident whatever the tier, so the tier is not asked.
  onPremises: ({ answers, used, decided }) => {
    if (!answers.version) return { kind: 'ask', question: 'version' };
    used.version = answers.version;
    if (answers.version === 'older') {
      if (!answers.signIn) return { kind: 'ask', question: 'signIn' };
      used.signIn = answers.signIn;
      return decided('payPerIncident');
    }
    if (!answers.tier) return { kind: 'ask', question: 'tier' };
    used.tier = answers.tier;
    return decided('partnerSupportCoreBenefit');
  },
  // Microsoft 365 admin center requests need no support contract.
  microsoft365: (c) => afterProgram(c, () => c.decided('microsoft365NoContract')),
  // Cloud App Security: the Professional no-charge plan in the business support workflow.
  cloudAppSecurity: (c) => afterProgram(c, () => c.decided('professionalNoCharge')),
  // Azure needs a support plan: a bought one, CSP's own, or Signature.
  azure: (c) => afterProgram(c, () => supportPlan(c, { cloudSolutionProvider: true })),
  // Dynamics 365 needs a support contract even for CSP partners: a bought plan or Signature.
  dynamics365: (c) => afterProgram(c, () => supportPlan(c, { cloudSolutionProvider: false })),
};

/** Cloud products: the partner files on behalf of the customer through delegated administration, by program. */
function afterProgram({ answers, used }: RuleContext, next: () => Decision): Decision {
  if (!answers.program) return { kind: 'ask', question: 'program' };
  used.program = answers.program;
  return next();
}

/** A bought ASfP or PSfP, else the CSP plan where the family has it, else Signature Cloud Support by tier. */
function supportPlan(
  { answers, used, knowledge, decided }: RuleContext,
  family: { cloudSolutionProvider: boolean },
): Decision {
  if (!answers.purchasedPlan) return { kind: 'ask', question: 'purchasedPlan' };
  used.purchasedPlan = answers.purchasedPlan;
  if (answers.purchasedPlan === 'asfp') return decided('advancedSupportForPartners');
  if (answers.purchasedPlan === 'psfp') return decided('premierSupportForPartners');
  if (
    family.cloudSolutionProvider &&
    CLOUD_SOLUTION_PROVIDER_PROGRAMS.has(required(used.program, 'program'))
  ) {
    return decided('cloudSolutionProvider');
  }
  if (!answers.tier) return { kind: 'ask', question: 'tier' };
  used.tier = answers.tier;
  if (knowledge.benefits.signatureCloudSupport[answers.tier] === null) {
    return { kind: 'notEligible', id: 'signatureNotForActionPack', used };
  }
  if (!answers.competency) return { kind: 'ask', question: 'competency' };
  used.competency = answers.competency;
  return decided('signatureCloudSupport');
}

function decide(answers: Answers, knowledge: Knowledge): Decision {
  const productOption = answers.product
    ? knowledge.questions.product.options.find((option) => option.id === answers.product)
    : undefined;
  const family = answers.family ?? productOption?.family;
  if (!family) return { kind: 'ask', question: 'family' };

  // A product from another family than the one chosen is ignored rather than trusted.
  const product = productOption?.family === family ? productOption : undefined;
  const familyOption = knowledge.questions.family.options.find((option) => option.id === family);
  const used: Answers = {
    family,
    ...(product && { product: product.id }),
    ...(answers.productName && { productName: answers.productName }),
  };

  const portal = product?.portal ?? familyOption?.portal;
  if (!portal) return { kind: 'ask', question: 'product' };
  const decided = (plan: PlanId): Decision => ({ kind: 'route', plan, family, portal, used });
  return FAMILY_RULES[family]({ answers, used, knowledge, decided });
}

function describeAsk(question: QuestionId, answers: Answers, lang: Lang, knowledge: Knowledge): Ask {
  const entry = knowledge.questions[question];
  const family = answers.family;
  const options =
    question === 'product'
      ? knowledge.questions.product.options.filter((option) => option.family === family)
      : entry.options;
  return {
    kind: 'ask',
    question,
    prompt: entry.prompt[lang],
    why: entry.why[lang],
    choices: options.map((option) => ({ id: option.id, label: option.label[lang] })),
  };
}

function describeNotEligible(id: string, used: Answers, lang: Lang, knowledge: Knowledge): NotEligible {
  const entry = byId(knowledge.notEligible, id, 'notEligible');
  const context: RouteContext = { ...used };
  return {
    kind: 'notEligible',
    id,
    lang,
    answers: used,
    summary: summarise(used, lang, knowledge),
    reason: entry.reason[lang],
    instead: linesFor(entry.instead, context, lang),
    links: describeLinks(entry.links, lang, knowledge),
    sources: [entry.source],
  };
}

function describeRoute(
  decision: Extract<Decision, { kind: 'route' }>,
  lang: Lang,
  knowledge: Knowledge,
): Route {
  const { used, family, portal: portalId } = decision;
  const plan = byId(knowledge.plans, decision.plan, 'plans');
  const portal = byId(knowledge.portals, portalId, 'portals');
  const context: RouteContext = {
    ...used,
    family,
    portal: portalId,
    plan: plan.id,
    idsRequired: plan.idsRequired,
  };
  const familyName = optionLabel(knowledge.questions.family.options, family, lang);
  const product = routeProduct(used, lang, knowledge);
  const say = (text: Tailored) =>
    pick(text, context, lang).replaceAll('{product}', product?.name ?? familyName);

  const familyEntry = byId(knowledge.families, family, 'families');
  const describeLine = (line: Step): RouteLine => ({
    id: line.id,
    text: say(line.text),
    source: line.source,
    links: describeLinks(line.links, lang, knowledge),
  });
  const steps = familyEntry.stepGroups
    .flatMap((group) => knowledge.stepGroups[group] ?? [])
    .filter((step) => matches(step.when, context))
    .map(describeLine);
  const caveats = knowledge.caveats.filter((caveat) => matches(caveat.when, context)).map(describeLine);
  const knownErrors: KnownErrorOut[] = knowledge.knownErrors
    .filter((error) => matches(error.when, context))
    .flatMap((error) => describeKnownError(error.id, lang, knowledge, context) ?? []);

  const referenced = [...steps, ...caveats, ...knownErrors].flatMap((line) => line.links);
  const isKb = (link: LinkOut) => knowledge.kbs.some((kb) => kb.id === link.id);
  const pack = plan.pack && pick(plan.pack, context, lang);
  const planName = pack ? `${plan.name[lang]} — ${pack}` : plan.name[lang];
  const browserCountryNote = knowledge.meta.browserCountryNote;
  const businessHoursNote = knowledge.severity.businessHoursNote;
  const answersSummary = summarise(used, lang, knowledge);

  return {
    kind: 'route',
    id: `${family}/${plan.id}`,
    lang,
    answers: used,
    summary: `${answersSummary} → ${planName}`,
    answersSummary,
    family: { id: family, name: familyName },
    ...(product && { product }),
    portal: {
      id: portal.id,
      name: portal.name[lang],
      ...(portal.url && { url: localise(portal.url, lang) }),
    },
    plan: { id: plan.id, name: planName },
    entitlement: entitlement(decision.plan, used, lang, knowledge),
    ids: { required: plan.idsRequired, text: say(plan.ids) },
    steps,
    caveats,
    severity: {
      levels: knowledge.severity.levels.map((level) => ({ id: level.id, criteria: level.criteria[lang] })),
      ...(matches(businessHoursNote.when, context) && { businessHoursNote: businessHoursNote[lang] }),
    },
    ...(matches(browserCountryNote.when, context) && { browserCountryNote: browserCountryNote[lang] }),
    kbs: unique(referenced.filter(isKb)),
    links: unique(referenced.filter((link) => !isKb(link))),
    knownErrors,
    sources: [
      ...new Set([
        plan.source,
        familyEntry.source,
        ...steps.map((s) => s.source),
        ...caveats.map((c) => c.source),
        ...knownErrors.map((e) => e.source),
      ]),
    ],
  };
}

/**
 * The product as the partner named it ("SQL Server 2012"), else the label of the option they chose. A name typed
 * for a family with several products and none chosen stays in the answers, not on the card.
 */
function routeProduct(used: Answers, lang: Lang, knowledge: Knowledge): Route['product'] {
  const options = knowledge.questions.product.options;
  const familyProducts = options.filter((option) => option.family === used.family);
  const id = used.product ?? (familyProducts.length === 1 ? familyProducts[0].id : undefined);
  if (!id) return undefined;
  return { id, name: used.productName ?? optionLabel(options, id, lang) };
}

/** How many incidents (or what kind of entitlement) the chosen plan gives this partner. */
function entitlement(plan: PlanId, used: Answers, lang: Lang, knowledge: Knowledge): string {
  const sentences = knowledge.entitlements;
  const incidents = (count: number) => sentences.incidents[lang].replace('{count}', String(count));
  switch (plan) {
    case 'partnerSupportCoreBenefit':
      return incidents(knowledge.benefits.onPremisesIncidents[required(used.tier, 'tier')]);
    case 'signatureCloudSupport': {
      const byCompetency = knowledge.benefits.signatureCloudSupport[required(used.tier, 'tier')];
      const benefit = byCompetency?.[required(used.competency, 'competency')];
      if (benefit === undefined) throw new Error(`No Signature Cloud Support benefit for ${used.tier}`);
      return benefit === 'unlimited' ? sentences.unlimited[lang] : incidents(benefit);
    }
    default:
      return sentences[plan][lang];
  }
}

/**
 * The partner's answers the outcome rests on, as one line: product, program, bought plan (an assumed "none"
 * included, for a partner who has one to see and correct it), tier and the rest, in the order the bot asks.
 */
function summarise(used: Answers, lang: Lang, knowledge: Knowledge): string {
  const q = knowledge.questions;
  const said = (options: { id: string; label: Text; summaryLabel?: Text }[], id: string) => {
    const option = byId(options, id, 'option');
    return (option.summaryLabel ?? option.label)[lang];
  };
  const named =
    used.productName ??
    (used.product
      ? optionLabel(q.product.options, used.product, lang)
      : used.family && optionLabel(q.family.options, used.family, lang));
  // the other answers in the answer space's own order (the order the bot asks)
  const others = QuestionId.options
    .filter((slot) => slot !== 'family' && slot !== 'product')
    .map((slot) => {
      const id = used[slot];
      return id && said(q[slot].options, id);
    });
  return [named, ...others].filter((part): part is string => Boolean(part)).join(' · ');
}

function optionLabel(options: { id: string; label: Text }[], id: string, lang: Lang): string {
  return byId(options, id, 'option').label[lang];
}

function byId<T extends { id: string }>(list: readonly T[], id: string, where: string): T {
  const found = list.find((entry) => entry.id === id);
  if (!found) throw new Error(`routing.yaml: no ${where} entry with id "${id}"`);
  return found;
}

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`route decided without ${name}`);
  return value;
}

function unique(links: LinkOut[]): LinkOut[] {
  return [...new Map(links.map((link) => [link.id, link])).values()];
}
