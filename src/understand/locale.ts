import type { Lang } from '../knowledge/schema';

/** The conversation's language from `activity.locale`: Japanese for ja, ja-JP, ja_JP…, English otherwise. */
export function languageFromLocale(locale?: string): Lang {
  return locale !== undefined && /^ja(?:[-_]|$)/i.test(locale.trim()) ? 'ja' : 'en';
}
