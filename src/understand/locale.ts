import type { Lang } from '../knowledge/schema';

/**
 * The one place the bot reads a language from `activity.locale`: Japanese for ja, ja-JP, ja_JP…, English for
 * anything else, including other languages starting with "ja" (jam, jv) and a missing or malformed locale.
 */
export function languageFromLocale(locale: unknown): Lang {
  return typeof locale === 'string' && /^ja(?:[-_]|$)/i.test(locale.trim()) ? 'ja' : 'en';
}
