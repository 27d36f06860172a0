import type { Knowledge, Lang } from '../knowledge/schema';
import type { KnownErrorOut, LinkOut } from '../engine/types';
import type { RedirectOut } from './shapes';

/**
 * Known errors and redirects put into one language for the cards that show them on their own
 * (a pasted error message, a presales question). Links resolve exactly as the engine resolves them on a route;
 * a test compares the two for every link of every route.
 */

const LOCALE: Record<Lang, string> = { ja: 'ja-jp', en: 'en-us' };
const KB_URL = 'https://support.microsoft.com/{locale}/help/{id}';

export function describeKnownError(id: string, lang: Lang, knowledge: Knowledge): KnownErrorOut | undefined {
  const error = knowledge.knownErrors.find((entry) => entry.id === id);
  if (!error) return undefined;
  return {
    id: error.id,
    title: error.title[lang],
    message: error.message[lang],
    fix: error.fix.map((text) => text[lang]),
    links: describeLinks(error.links, lang, knowledge),
    source: error.source,
  };
}

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

/** KB numbers and named links, with `{locale}` replaced so each page opens in the user's language. */
export function describeLinks(ids: string[], lang: Lang, knowledge: Knowledge): LinkOut[] {
  return ids.flatMap((id) => {
    const kb = knowledge.kbs.find((entry) => entry.id === id);
    if (kb) return [{ id, name: kb.title[lang], url: localise(KB_URL.replace('{id}', id), lang) }];
    const link = knowledge.links.find((entry) => entry.id === id);
    return link ? [{ id, name: link.name[lang], url: localise(link.url, lang) }] : [];
  });
}

function localise(url: string, lang: Lang): string {
  return url.replaceAll('{locale}', LOCALE[lang]);
}
