import { ActivityTypes, type TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  WaterfallDialog,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { Lang } from '../src/knowledge/schema';
import type { Answers } from '../src/engine/types';
import { answersToChange } from '../src/cards';
import { detectIntent } from '../src/understand/intent';
import { extractAnswers } from '../src/understand/answers';
import { pickFromMenu } from '../src/understand/menu';
import { parseCardSubmit, type CardSubmit } from '../src/understand/submit';
import { CaseDialog, type CaseOptions, type CaseResult } from './caseDialog';
import { SeverityDialog, type SeverityOptions } from './severityDialog';
import { isHandoff, type DialogDeps } from './interruptible';
import type { MenuItem } from './memory';

const ROUTE = 'route';

/**
 * The opening of every exchange: reads what the partner said or pressed and sends it where it belongs —
 * a support case (pre-filled from their words), the fix for a pasted known error, the severity helper,
 * the right place for questions that are not technical support, or a fact. Runs again for each new exchange,
 * so everything stays reachable later in the same conversation.
 */
export class MainDialog extends ComponentDialog {
  static readonly id = 'main';

  constructor(
    private readonly deps: DialogDeps,
    caseDialog: CaseDialog,
    severityDialog: SeverityDialog,
  ) {
    super(MainDialog.id);
    this.addDialog(caseDialog);
    this.addDialog(severityDialog);
    this.addDialog(new WaterfallDialog(ROUTE, [this.openStep.bind(this), this.closeStep.bind(this)]));
    this.initialDialogId = ROUTE;
  }

  private async openStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { context } = step;
    const { memory, replies, knowledge } = this.deps;
    const lang = await memory.language(context);
    const activity = context.activity;
    if (activity.type !== ActivityTypes.Message) return step.endDialog();
    const menu = await memory.takeMenu(context);

    if (activity.value !== undefined) {
      const submit = parseCardSubmit(activity.value, knowledge);
      if (submit) return this.onSubmit(step, submit, lang);
      await replies.say(context, 'staleSubmit', lang);
      await this.offer(context, replies.welcome(context, lang));
      return step.endDialog();
    }

    const text = activity.text?.trim() ?? '';
    if (!text) {
      await this.offer(context, replies.welcome(context, lang));
      return step.endDialog();
    }
    // An item of the list the last reply offered, typed by its number or title.
    const picked = pickFromMenu(
      text,
      menu.map((item) => item.title),
    );
    const pickedSubmit = picked === undefined ? undefined : parseCardSubmit(menu[picked].value, knowledge);
    if (pickedSubmit) return this.onSubmit(step, pickedSubmit, lang);

    const intent = detectIntent(text, knowledge);
    switch (intent.kind) {
      case 'help':
        await replies.sayAll(context, ['intro', 'helpIdle', 'commands'], lang);
        return step.endDialog();
      case 'startOver':
        await replies.say(context, 'startOver', lang);
        await this.offer(context, replies.welcome(context, lang));
        return step.endDialog();
      case 'cancel':
        await replies.say(context, 'cancelled', lang);
        return step.endDialog();
      case 'greeting':
        await this.offer(context, replies.welcome(context, lang));
        return step.endDialog();
      case 'thanks':
        await replies.say(context, 'youAreWelcome', lang);
        return step.endDialog();
      case 'back':
        return this.reopenLastCase(step, lang);
      case 'change':
        return this.offerChange(step, lang);
      case 'switchLanguage':
        await memory.switchLanguage(context, intent.lang);
        await replies.say(context, 'languageSwitched', intent.lang);
        await this.offer(context, replies.welcome(context, intent.lang));
        return step.endDialog();
      case 'knownError':
        await replies.knownError(context, intent.id, lang);
        return step.endDialog();
      // The welcome's topics by name: as if their button was pressed.
      case 'supportCase':
        return this.onSubmit(step, { verb: 'start', topic: 'supportCase' }, lang);
      case 'knownErrorMenu':
        return this.onSubmit(step, { verb: 'start', topic: 'knownError' }, lang);
      case 'redirectMenu':
        return this.onSubmit(step, { verb: 'start', topic: 'notTechnicalSupport' }, lang);
      case 'severityHelp':
        return step.beginDialog(SeverityDialog.id, {} satisfies SeverityOptions);
      case 'redirect':
        await replies.redirect(context, intent.id, lang);
        return step.endDialog();
      case 'fact':
        await replies.fact(context, intent.id, lang);
        // "How many incidents does a gold partner get?" asks a fact and gives an answer of a case: answer both.
        return intent.givesAnswers ? this.startCase(step, extractAnswers(text, knowledge)) : step.endDialog();
      case 'none':
        return this.startCase(step, extractAnswers(text, knowledge));
    }
  }

  private async onSubmit(
    step: WaterfallStepContext,
    submit: CardSubmit,
    lang: Lang,
  ): Promise<DialogTurnResult> {
    const { context } = step;
    const { replies, memory } = this.deps;
    switch (submit.verb) {
      case 'start':
        switch (submit.topic) {
          case 'supportCase':
            return this.startCase(step, {});
          case 'severityHelp':
            return step.beginDialog(SeverityDialog.id, {} satisfies SeverityOptions);
          case 'knownError':
            await this.offer(context, replies.knownErrorMenu(context, lang));
            return step.endDialog();
          case 'notTechnicalSupport':
            await this.offer(context, replies.redirectMenu(context, lang));
            return step.endDialog();
        }
        break;
      case 'startOver':
        await replies.say(context, 'startOver', lang);
        await this.offer(context, replies.welcome(context, lang));
        return step.endDialog();
      case 'changeAnswer': {
        const last = await memory.lastCaseOf(context);
        if (!last) return this.startCase(step, {});
        if (!submit.question) return this.offerChange(step, lang);
        const changing = answersToChange(last.answers, lang).find(
          (answer) => answer.question === submit.question,
        );
        if (changing) await replies.say(context, 'changingAnswer', lang, { name: changing.title });
        return this.startCase(step, last.answers, { answered: last.answered, change: submit.question });
      }
      case 'answer':
        // A button of a question from an earlier case: start a new case from that answer.
        return this.startCase(step, submit.answer);
      case 'severity': {
        const { ready24x7, businessDown, companyWideStop } = submit;
        const situation = { ready24x7, businessDown, companyWideStop };
        return step.beginDialog(SeverityDialog.id, { situation } satisfies SeverityOptions);
      }
      case 'knownError':
        await replies.knownError(context, submit.id, lang);
        return step.endDialog();
      case 'redirect':
        await replies.redirect(context, submit.id, lang);
        return step.endDialog();
    }
    return step.endDialog();
  }

  /** Sends a menu and keeps its items for the next message, so a typed number or name picks one. */
  private async offer(context: TurnContext, sent: Promise<MenuItem[]>): Promise<void> {
    await this.deps.memory.offerMenu(context, await sent);
  }

  /** "Change" with no question on screen: offer the answers of the last case (as its card does), if there was one. */
  private async offerChange(step: WaterfallStepContext, lang: Lang): Promise<DialogTurnResult> {
    const last = await this.deps.memory.lastCaseOf(step.context);
    const answers = last ? answersToChange(last.answers, lang) : [];
    if (answers.length === 0) {
      await this.deps.replies.sayAll(step.context, ['nothingToGoBackTo', 'helpIdle'], lang);
    } else {
      await this.offer(step.context, this.deps.replies.whichAnswer(step.context, answers, lang));
    }
    return step.endDialog();
  }

  /** "Back" after a card: the last case again, its latest answer dropped and asked again. */
  private async reopenLastCase(step: WaterfallStepContext, lang: Lang): Promise<DialogTurnResult> {
    const last = await this.deps.memory.lastCaseOf(step.context);
    if (!last) {
      await this.deps.replies.sayAll(step.context, ['nothingToGoBackTo', 'helpIdle'], lang);
      return step.endDialog();
    }
    await this.deps.replies.say(step.context, 'goingBack', lang);
    return this.startCase(step, last.answers, { answered: last.answered, back: true });
  }

  private startCase(
    step: WaterfallStepContext,
    answers: Answers,
    reopen: Omit<CaseOptions, 'answers'> = {},
  ): Promise<DialogTurnResult> {
    return step.beginDialog(CaseDialog.id, { answers, ...reopen } satisfies CaseOptions);
  }

  private async closeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    // The partner chose another topic mid-way: handle the same message again from the top.
    if (isHandoff(step.result)) return step.replaceDialog(ROUTE);
    if (isCaseResult(step.result)) {
      const { answers, answered } = step.result;
      await this.deps.memory.rememberCase(step.context, { answers, answered });
    }
    return step.endDialog();
  }
}

function isCaseResult(result: unknown): result is CaseResult {
  return typeof result === 'object' && result !== null && 'outcomeId' in result && 'answers' in result;
}
