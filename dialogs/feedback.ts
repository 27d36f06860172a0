import type { TurnContext } from 'botbuilder';
import type { Lang } from '../src/knowledge/schema';
import { cardActivity, renderFeedbackReasons, supportsCards } from '../src/cards';
import { voteOf } from '../src/insights/feedback';
import type { CardSubmit } from '../src/understand/submit';
import type { DialogDeps } from './interruptible';
import type { MenuItem } from './memory';

export type FeedbackSubmit = Extract<CardSubmit, { verb: 'feedback' }>;

/**
 * "Did this answer your question?" pressed (or its yes / no / reason typed from the list): stored with the outcome
 * id, the last case's answers when the vote is about that case, the language and the channel, and logged as the
 * `feedback` event the trainers' report reads. "No" asks what went wrong; the reason then replaces that vote.
 * Returns the choices it offers (the reasons), for a typed number or reason.
 */
export async function takeFeedback(
  context: TurnContext,
  submit: FeedbackSubmit,
  deps: DialogDeps,
  lang: Lang,
): Promise<MenuItem[]> {
  const { memory, replies, events, feedback } = deps;
  const { activity } = context;
  const last = await memory.lastCaseOf(context);
  const answers = last && replies.routeIdOf(last.answers, lang) === submit.outcome ? last.answers : {};
  const { outcome: routeId, helpful, reason, comment } = submit;
  events?.record(context, { event: 'feedback', routeId, helpful, reason });
  try {
    await feedback?.add({
      at: new Date().toISOString(),
      vote: voteOf(activity.conversation?.id ?? '', routeId),
      routeId,
      helpful,
      reason,
      comment,
      answers: { ...answers },
      lang,
      channelId: activity.channelId,
    });
  } catch (error) {
    // The partner still gets their thanks; the event line above keeps the vote for the report.
    events?.problem(context, 'feedbackNotStored', error);
  }
  if (helpful || submit.step === 'reason') {
    await replies.say(context, helpful ? 'feedbackThanks' : 'feedbackThanksReason', lang);
    return [];
  }
  // A comment box only where cards render (and the setting allows it): plain text picks a reason by number.
  const comments = (feedback?.comments ?? true) && supportsCards(activity.channelId);
  const card = renderFeedbackReasons(routeId, lang, comments);
  await context.sendActivity(cardActivity(card, activity.channelId));
  return card.choices ?? [];
}
