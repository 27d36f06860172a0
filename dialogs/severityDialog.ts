import type { TurnContext } from 'botbuilder';
import type { DialogContext, DialogTurnResult } from 'botbuilder-dialogs';
import type { Lang } from '../src/knowledge/schema';
import { severityFor } from '../src/engine/route';
import type { CardSubmit } from '../src/understand/submit';
import { readyAroundTheClock } from '../src/understand/severity';
import { conversationMessages, say, type ConversationMessageId } from '../src/messages/conversation';
import {
  InterruptibleDialog,
  reprompt,
  type DialogDeps,
  type LoopOptions,
  type LoopState,
  type Question,
} from './interruptible';

type Situation = 'ready24x7' | 'businessDown' | 'companyWideStop';

const QUESTIONS: Record<Situation, { prompt: ConversationMessageId; why: ConversationMessageId }> = {
  ready24x7: { prompt: 'severityReady24x7', why: 'severityReady24x7Why' },
  businessDown: { prompt: 'severityBusinessDown', why: 'severityBusinessDownWhy' },
  companyWideStop: { prompt: 'severityCompanyWideStop', why: 'severityCompanyWideStopWhy' },
};

export interface SeverityOptions extends LoopOptions {
  /** Answers a severity card already carried. */
  situation?: Partial<Record<Situation, boolean>>;
}

export interface SeverityResult {
  level: 'A' | 'B' | 'C';
}

/**
 * Which severity to choose, by the seed's guideline: ready to work 24x7? a critical production system down
 * (asked only of those ready 24x7)? a company-wide stop or a blocked deployment? → A, B or C.
 */
export class SeverityDialog extends InterruptibleDialog<SeverityResult, SeverityOptions> {
  static readonly id = 'severity';

  constructor(deps: DialogDeps) {
    super(SeverityDialog.id, deps);
  }

  protected override async onBeginDialog(
    innerDc: DialogContext,
    options?: SeverityOptions,
  ): Promise<DialogTurnResult> {
    const lang = await this.deps.memory.language(innerDc.context);
    await this.deps.replies.say(innerDc.context, 'severityIntro', lang);
    return super.onBeginDialog(innerDc, options);
  }

  /** Already in the helper: its question again. */
  protected override severityHelp(innerDc: DialogContext): Promise<DialogTurnResult> {
    return reprompt(innerDc);
  }

  protected startState(options: SeverityOptions | undefined): LoopState {
    const answers: Record<string, string> = {};
    for (const [situation, yes] of Object.entries(options?.situation ?? {})) {
      if (isSituation(situation) && typeof yes === 'boolean') answers[situation] = yes ? 'yes' : 'no';
    }
    return { answers, answered: Object.keys(answers) };
  }

  protected nextQuestion(state: LoopState, lang: Lang): Question | undefined {
    const situation = nextSituation(state);
    return situation && this.describeQuestion(situation, state, lang);
  }

  protected describeQuestion(id: string, _state: LoopState, lang: Lang): Question | undefined {
    if (!isSituation(id)) return undefined;
    const situation = id;
    const yesNo = (id: 'yes' | 'no') => ({
      id,
      label: say(id, lang),
      // "yes" is understood in both languages whatever the conversation's language.
      synonyms: [conversationMessages[id].ja, conversationMessages[id].en],
    });
    return {
      id: situation,
      prompt: say(QUESTIONS[situation].prompt, lang),
      why: say(QUESTIONS[situation].why, lang),
      choices: [yesNo('yes'), yesNo('no')],
    };
  }

  protected async finish(context: TurnContext, state: LoopState, lang: Lang): Promise<SeverityResult> {
    const level = severityFor({
      ready24x7: state.answers.ready24x7 === 'yes',
      businessDown: state.answers.businessDown === 'yes',
      companyWideStop: state.answers.companyWideStop === 'yes',
    });
    await this.deps.replies.severity(context, level, lang);
    return { level };
  }

  protected answersIn(): Record<string, string> {
    return {};
  }

  protected recognizeText(text: string, question: string): string | undefined {
    return question === 'ready24x7' ? readyAroundTheClock(text) : undefined;
  }

  protected recognizeSubmit(submit: CardSubmit, question: string): string | undefined {
    if (submit.verb !== 'severity' || !isSituation(question)) return undefined;
    const yes = submit[question];
    return yes === undefined ? undefined : yes ? 'yes' : 'no';
  }

  protected submitValue(question: string, option: string): Record<string, unknown> {
    return { verb: 'severity', [question]: option === 'yes' };
  }

  /** Yes-or-no questions, two or three of them: "change" goes back one. */
  protected answersToChange(): [] {
    return [];
  }
}

/** Only the questions that still decide the level, in the seed's order. */
function nextSituation(state: LoopState): Situation | undefined {
  const { ready24x7, businessDown, companyWideStop } = state.answers;
  if (!ready24x7) return 'ready24x7';
  if (ready24x7 === 'yes' && !businessDown) return 'businessDown';
  if (ready24x7 === 'yes' && businessDown === 'yes') return undefined;
  return companyWideStop ? undefined : 'companyWideStop';
}

function isSituation(id: string): id is Situation {
  return id in QUESTIONS;
}
