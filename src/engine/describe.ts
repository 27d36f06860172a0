import type { Knowledge, Lang, Line, Tailored, When } from '../knowledge/schema';
import type { Answers, KnownErrorOut, LinkOut } from './types';

/** Knowledge entries put into one language: shared by routes and by the cards that show an entry on its own. */

/** Every support page the bot links to opens in the user's language. */
const LOCALE: Record<Lang, string> = { ja: 'ja-jp', en: 'en-us' };
const KB_URL = 'https://support.microsoft.com/{locale}/help/{id}';

export function localise(url: string, lang: Lang): string {
  return url.replaceAll('{locale}', LOCALE[lang]);
}

/** KB numbers and named links; an id that names neither is dropped (the loader refuses such files). */
export function describeLinks(ids: string[], lang: Lang, knowledge: Knowledge): LinkOut[] {
  return ids.flatMap((id) => {
    const kb = knowledge.kbs.find((entry) => entry.id === id);
    if (kb) return [{ id, name: kb.title[lang], url: localise(KB_URL.replace('{id}', id), lang) }];
    const link = knowledge.links.find((entry) => entry.id === id);
    return link ? [{ id, name: link.name[lang], url: localise(link.url, lang) }] : [];
  });
}

/** The facts a line may be limited to: the partner's answers, and on a route its family, portal and plan. */
export interface RouteContext extends Answers {
  portal?: Knowledge['portals'][number]['id'];
  plan?: Knowledge['plans'][number]['id'];
  idsRequired?: boolean;
}

/** A `when` matches when every condition it names holds; a condition on an unanswered slot does not hold. */
export function matches(when: When, context: RouteContext): boolean {
  const oneOf = <T>(allowed: readonly T[] | undefined, value: T | undefined) =>
    allowed === undefined || (value !== undefined && allowed.includes(value));
  const is = (expected: boolean | undefined, actual: boolean | undefined) =>
    expected === undefined || expected === Boolean(actual);
  return (
    oneOf(when.families, context.family) &&
    oneOf(when.products, context.product) &&
    is(when.productNamed, context.productName !== undefined) &&
    oneOf(when.portals, context.portal) &&
    oneOf(when.programs, context.program) &&
    oneOf(when.plans, context.plan) &&
    oneOf(when.purchasedPlans, context.purchasedPlan) &&
    oneOf(when.tiers, context.tier) &&
    oneOf(when.competencies, context.competency) &&
    oneOf(when.versions, context.version) &&
    oneOf(when.signIns, context.signIn) &&
    is(when.idsRequired, context.idsRequired)
  );
}

/** Tailored text in one language: the text, or the first alternative whose `when` matches. */
export function pick(text: Tailored, context: RouteContext, lang: Lang): string {
  if (!Array.isArray(text)) return text[lang];
  const chosen = text.find((alternative) => matches(alternative.when, context));
  // The whole-answer-space tests prove every decided case finds one.
  if (!chosen)
    throw new Error(`routing.yaml: no alternative matches ${JSON.stringify(context)}: ${text[0][lang]}`);
  return chosen[lang];
}

/** The lines that apply: all of them without a context (an entry shown on its own), else those whose `when` matches. */
export function linesFor(lines: Line[], context: RouteContext | undefined, lang: Lang): string[] {
  return lines.filter((line) => !context || matches(line.when, context)).map((line) => line[lang]);
}

/** A known error; on a route (with its context), only the fixes and causes that apply to that route. */
export function describeKnownError(
  id: string,
  lang: Lang,
  knowledge: Knowledge,
  context?: RouteContext,
): KnownErrorOut | undefined {
  const error = knowledge.knownErrors.find((entry) => entry.id === id);
  if (!error) return undefined;
  return {
    id: error.id,
    title: error.title[lang],
    message: error.message[lang],
    fix: linesFor(error.fix, context, lang),
    causes: linesFor(error.causes, context, lang),
    links: describeLinks(error.links, lang, knowledge),
    source: error.source,
  };
}
