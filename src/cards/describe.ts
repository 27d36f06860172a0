import type { Knowledge, Lang } from '../knowledge/schema';
import { describeLinks } from '../engine/describe';
import type { RedirectOut } from './shapes';

/**
 * Known errors and redirects put into one language for the cards that show them on their own
 * (a pasted error message, a presales question). Links resolve exactly as the engine resolves them on a route;
 * a test compares the two for every link of every route.
 */

export function describeRedirect(id: string, lang: Lang, knowledge: Knowledge): RedirectOut | undefined {
  const redirect = knowledge.redirects.find((entry) => entry.id === id);
  if (!redirect) return undefined;
  return {
    id: redirect.id,
    title: redirect.title[lang],
    text: redirect.text[lang],
    links: describeLinks(redirect.links, lang, knowledge),
  };
}
