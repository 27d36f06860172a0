import { MAX_UNDERSTOOD_LENGTH } from './normalise';
import { getPhrases, messageCore, type CompiledPhrases } from './phrases';

/** "2", "２", "2.", "(2)", "2番": an item of a numbered list on screen. */
const LIST_NUMBER = /^(\d{1,2})番?$/;

/**
 * Which item of the list on screen a typed message picks: its number as the plain-text list shows it, or its title
 * ("Program", "プログラムで"); undefined when the message is something else.
 */
export function pickFromMenu(
  text: string,
  titles: readonly string[],
  phrases: CompiledPhrases = getPhrases(),
): number | undefined {
  const core = messageCore(text.slice(0, MAX_UNDERSTOOD_LENGTH), phrases);
  if (!core) return undefined;
  const number = LIST_NUMBER.exec(core);
  if (number) {
    const index = Number(number[1]) - 1;
    return index >= 0 && index < titles.length ? index : undefined;
  }
  const index = titles.findIndex((title) => messageCore(title, phrases) === core);
  return index === -1 ? undefined : index;
}
