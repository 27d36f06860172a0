import { MAX_UNDERSTOOD_LENGTH } from './normalise';
import { getPhrases, messageCore, type CompiledPhrases } from './phrases';

/** A typed answer to "are you ready to work 24x7?" other than yes or no: "business hours only" is no. */
export function readyAroundTheClock(
  text: string,
  phrases: CompiledPhrases = getPhrases(),
): 'yes' | 'no' | undefined {
  const core = messageCore(text.slice(0, MAX_UNDERSTOOD_LENGTH), phrases);
  if (phrases.ready24x7.yes.has(core)) return 'yes';
  return phrases.ready24x7.no.has(core) ? 'no' : undefined;
}
