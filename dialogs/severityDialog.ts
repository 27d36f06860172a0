import type { TurnContext } from 'botbuilder';
import { recognizeChoices, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { Lang } from '../src/knowledge/schema';
import { severityFor } from '../src/engine/route';
import type { CardSubmit } from '../src/understand/submit';
import { conversationMessages, say, type ConversationMessageId } from '../src/messages/conversation';
import {
  InterruptibleDialog,
  type DialogDeps,
  type LoopOptions,
  type LoopState,
  type Question,
} from './interruptible';
import type { TurnReading } from './understood';

type Situation = 'ready24x7' | 'businessDown' | 'companyWideStop';
type Level = 'A' | 'B' | 'C';

const QUESTIONS: Record<Situation, { prompt: ConversationMessageId; why: ConversationMessageId }> = {
  ready24x7: { prompt: 'severityReady24x7', why: 'severityReady24x7Why' },
  businessDown: { prompt: 'severityBusinessDown', why: 'severityBusinessDownWhy' },
  companyWideStop: { prompt: 'severityCompanyWideStop', why: 'severityCompanyWideStopWhy' },
};

/** The loop state's key for a level the partner named ("Sev B?"): its card, with no questions. */
const STATED_LEVEL = 'level';

export interface SeverityOptions extends LoopOptions {
  /** Answers a severity card already carried. */
  situation?: Partial<Record<Situation, boolean>>;
  /** A level the partner named. */
  level?: Level;
}

export interface SeverityResult {
  level: Level;
}

/**
 * Which severity to choose, by the seed's guideline: ready to work 24x7? a critical production system down
 * (asked only of those ready 24x7)? a company-wide stop or a blocked deployment? → A, B or C. What the partner
 * already said ("business hours only", "Sev B?") is not asked again.
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
    const { memory, replies } = this.deps;
    const lang = await memory.language(innerDc.context);
    await replies.say(innerDc.context, 'severityIntro', lang);
    const stated = await memory.statedSeverity(innerDc.context);
    const situation = { ...options?.situation };
    if (stated.aroundTheClock !== undefined) situation.ready24x7 ??= stated.aroundTheClock;
    if (stated.businessDown) situation.businessDown ??= true;
    // The level of a card's buttons wins over one said earlier; one said earlier is its answer.
    const level = options?.situation ? options.level : (options?.level ?? stated.level);
    return super.onBeginDialog(innerDc, { ...options, situation, level });
  }

  protected startState(options: SeverityOptions | undefined): LoopState {
    const answers: Record<string, string> = {};
    for (const [situation, yes] of Object.entries(options?.situation ?? {})) {
      if (isSituation(situation) && typeof yes === 'boolean') answers[situation] = yes ? 'yes' : 'no';
    }
    const answered = Object.keys(answers);
    if (options?.level) answers[STATED_LEVEL] = options.level;
    return { answers, answered };
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
    const level =
      statedLevel(state) ??
      severityFor({
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

  /** "Business hours only" answers the 24x7 question; yes and no, in either language, answer any. */
  protected recognize(reading: TurnReading, question: Question): string | undefined {
    const { understood } = reading;
    if (understood.kind !== 'text') return undefined;
    const aroundTheClock = understood.meaning.severity?.aroundTheClock;
    if (question.id === 'ready24x7' && aroundTheClock !== undefined) return aroundTheClock ? 'yes' : 'no';
    const choices = question.choices.map((choice) => ({ value: choice.id, synonyms: choice.synonyms }));
    const found = recognizeChoices(understood.text, choices, { noValue: true, noAction: true });
    return found.length === 1 ? found[0].resolution.value : undefined;
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

function statedLevel(state: LoopState): Level | undefined {
  const level = state.answers[STATED_LEVEL];
  return level === 'A' || level === 'B' || level === 'C' ? level : undefined;
}

/** Only the questions that still decide the level, in the seed's order. */
function nextSituation(state: LoopState): Situation | undefined {
  if (statedLevel(state)) return undefined;
  const { ready24x7, businessDown, companyWideStop } = state.answers;
  if (!ready24x7) return 'ready24x7';
  if (ready24x7 === 'yes' && !businessDown) return 'businessDown';
  if (ready24x7 === 'yes' && businessDown === 'yes') return undefined;
  return companyWideStop ? undefined : 'companyWideStop';
}

function isSituation(id: string): id is Situation {
  return id in QUESTIONS;
}
