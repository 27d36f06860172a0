import { normalise } from '../understand/normalise';
import { getPhrases, messageCore, type CompiledPhrases } from '../understand/phrases';

/**
 * The partner's answer to "Send this summary to the support desk?": true for yes, false for no (phrases.yaml
 * `consent`, either language), undefined for anything else.
 */
export function consentIn(text: string, phrases: CompiledPhrases = getPhrases()): boolean | undefined {
  const core = messageCore(text, phrases) || normalise(text).compact;
  if (!core) return undefined;
  if (phrases.consent.yes.has(core)) return true;
  if (phrases.consent.no.has(core)) return false;
  return undefined;
}
