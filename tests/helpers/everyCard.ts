import {
  describeKnownError,
  describeRedirect,
  renderKnownError,
  renderKnownErrorMenu,
  renderNotEligible,
  renderQuestion,
  renderRedirect,
  renderRedirectMenu,
  renderFeedbackReasons,
  renderRoute,
  renderSeverity,
  renderWelcome,
  type RenderedCard,
} from '../../src/cards';
import { route } from '../../src/engine/route';
import { everyDecidedCase } from '../../src/engine/space';
import type { Answers, Ask } from '../../src/engine/types';
import type { Knowledge, Lang } from '../../src/knowledge/schema';

/** Every question the engine asks on the way to any outcome, once per question and family. */
export function everyAsk(lang: Lang, knowledge: Knowledge): Ask[] {
  const asks = new Map<string, Ask>();
  const walk = (answers: Answers) => {
    const outcome = route(answers, lang, knowledge);
    if (outcome.kind !== 'ask') return;
    asks.set(`${outcome.question}/${answers.family ?? ''}`, outcome);
    for (const choice of outcome.choices) walk({ ...answers, [outcome.question]: choice.id });
  };
  walk({});
  return [...asks.values()];
}

/** Every Adaptive Card the bot can send in one language, each with a name that says which it is. */
export function everyCard(lang: Lang, knowledge: Knowledge): { name: string; card: RenderedCard }[] {
  const outcomes = everyDecidedCase(lang, knowledge).map(({ outcome }) => ({
    name: `${outcome.id} ${JSON.stringify(outcome.answers)}`,
    card: outcome.kind === 'route' ? renderRoute(outcome) : renderNotEligible(outcome),
  }));
  const knownErrors = knowledge.knownErrors.flatMap((entry) => {
    const error = describeKnownError(entry.id, lang, knowledge);
    return error ? [{ name: `knownError ${entry.id}`, card: renderKnownError(error, lang) }] : [];
  });
  const redirects = knowledge.redirects.flatMap((entry) => {
    const redirect = describeRedirect(entry.id, lang, knowledge);
    return redirect ? [{ name: `redirect ${entry.id}`, card: renderRedirect(redirect, lang) }] : [];
  });
  return [
    { name: 'welcome', card: renderWelcome(lang, knowledge) },
    ...everyAsk(lang, knowledge).map((ask) => ({
      name: `question ${ask.question}`,
      card: renderQuestion(ask, lang),
    })),
    ...outcomes,
    ...(['A', 'B', 'C'] as const).map((level) => ({
      name: `severity ${level}`,
      card: renderSeverity(level, lang, knowledge),
    })),
    { name: 'knownErrorMenu', card: renderKnownErrorMenu(lang, knowledge) },
    ...knownErrors,
    { name: 'redirectMenu', card: renderRedirectMenu(lang, knowledge) },
    ...redirects,
    { name: 'feedback reasons', card: renderFeedbackReasons('azure/cloudSolutionProvider', lang, true) },
  ];
}
