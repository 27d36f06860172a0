import type { Knowledge, Lang } from '../knowledge/schema';
import type { KnownErrorOut, LinkOut } from './types';

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
