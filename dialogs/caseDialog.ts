import type { TurnContext } from 'botbuilder';
import type { DialogContext, DialogTurnResult } from 'botbuilder-dialogs';
import { QuestionId, type Lang } from '../src/knowledge/schema';
import { Answers, isAnswer, isQuestionId, type Ask } from '../src/engine/types';
import { askFor } from '../src/engine/route';
import { answersToChange, renderQuestion } from '../src/cards';
import type { Interpretation } from '../src/understand/interpretation';
import type { CardSubmit } from '../src/understand/submit';
import {
  endWith,
  InterruptibleDialog,
  loopOf,
  reprompt,
  type CaseSoFar,
  type DialogDeps,
  type LoopOptions,
  type LoopState,
  type Question,
} from './interruptible';
import type { NamedAnswer } from './replies';
import type { TurnReading } from './understood';

export interface CaseOptions extends LoopOptions {
  /** Answers already known, e.g. from the opening message. */
  answers?: Answers;
  /** The order they were given in (a reopened case); default: the order the bot asks. */
  answered?: QuestionId[];
  /** Product-like names of the opening message the knowledge does not decide (Entra ID): said before asking. */
  unrecognised?: string[];
}

/** A case set aside while the severity helper runs ("which severity?" at one of its questions), to go on after. */
export interface SeverityDetour {
  severityDetour: Pick<CaseOptions, 'answers' | 'answered'>;
}

export const isSeverityDetour = (result: unknown): result is SeverityDetour =>
  typeof result === 'object' && result !== null && 'severityDetour' in result;

/** What a finished case returns: the answers and their order (kept to reopen the case) and the card it ended on. */
export interface CaseResult {
  kind: 'route' | 'notEligible';
  /** Route or not-eligible id, e.g. "azure/cloudSolutionProvider". */
  outcomeId: string;
  answers: Answers;
  answered: QuestionId[];
}

/** The answer that carries the product's name as typed (not a question of its own). */
const PRODUCT_NAME = 'productName' satisfies keyof Answers;

/** Teams shows up to six buttons in a row; longer lists (the Dynamics 365 products) go out as a drop-down card. */
const MAX_BUTTONS = 5;

/**
 * A technical-support case: asks the routing engine what it still needs, asks exactly that (skipping what the
 * partner already said), and ends with the engine's answer as a card.
 */
export class CaseDialog extends InterruptibleDialog<CaseResult, CaseOptions> {
  static readonly id = 'case';

  constructor(deps: DialogDeps) {
    super(CaseDialog.id, deps);
  }

  protected override async onBeginDialog(
    innerDc: DialogContext,
    options?: CaseOptions,
  ): Promise<DialogTurnResult> {
    // "Entra ID" decides no family: say so, and ask the family rather than guess one.
    const unknown = options?.unrecognised ?? [];
    if (unknown.length > 0 && !options?.answers?.family) {
      const lang = await this.deps.memory.language(innerDc.context);
      await this.deps.replies.say(innerDc.context, 'notRecognised', lang, { names: unknown.join(', ') });
    }
    if (!options?.change && !options?.back)
      this.deps.events?.caseStarted(innerDc.context, { ...options?.answers });
    return super.onBeginDialog(innerDc, options);
  }

  protected startState(options: CaseOptions | undefined): LoopState {
    const answers = Answers.safeParse(options?.answers ?? {});
    const given: Record<string, string> = answers.success ? { ...answers.data } : {};
    const inOrder = [...(options?.answered ?? []), ...QuestionId.options];
    const answered = [...new Set(inOrder)].filter((question) => question in given);
    return { answers: given, answered };
  }

  protected describeQuestion(id: string, state: LoopState, lang: Lang): Question | undefined {
    if (!isQuestionId(id)) return undefined;
    const entry = this.deps.knowledge.questions[id];
    const family = this.answersOf(state).family;
    const options =
      id === 'product'
        ? this.deps.knowledge.questions.product.options.filter(
            (option) => !family || option.family === family,
          )
        : entry.options;
    // A question with one possible answer (the product "Azure" of Azure) is not worth asking.
    if (options.length < 2) return undefined;
    return this.toQuestion(
      {
        kind: 'ask',
        question: id,
        prompt: entry.prompt[lang],
        why: entry.why[lang],
        choices: options.map((option) => ({ id: option.id, label: option.label[lang] })),
      },
      lang,
    );
  }

  protected nextQuestion(state: LoopState, lang: Lang): Question | undefined {
    // only the question is described: describing a whole route (its steps, links, errors) is finish()'s job
    const ask = askFor(this.answersOf(state), lang, this.deps.knowledge);
    return ask && this.toQuestion(ask, lang);
  }

  private toQuestion(ask: Ask, lang: Lang): Question {
    const options = this.deps.knowledge.questions[ask.question].options;
    const explained = (id: string) => {
      const explain = options.find((option) => option.id === id)?.explain?.[lang];
      return explain ? { explain } : {};
    };
    return {
      id: ask.question,
      prompt: ask.prompt,
      why: ask.why,
      choices: ask.choices.map((choice) => ({ ...choice, ...explained(choice.id) })),
      card: ask.choices.length > MAX_BUTTONS ? renderQuestion(ask, lang) : undefined,
    };
  }

  protected async finish(context: TurnContext, state: LoopState, lang: Lang): Promise<CaseResult> {
    const answers = this.answersOf(state);
    const sent = await this.deps.replies.outcome(context, answers, lang);
    if (!sent) throw new Error('CaseDialog.finish: the engine still asks a question');
    const { outcome, choices } = sent;
    await this.deps.memory.offerMenu(context, choices);
    this.deps.events?.caseFinished(context, {
      lang,
      routeId: outcome.id,
      kind: outcome.kind,
      answers: { ...outcome.answers },
    });
    // In the order given, for "back" after the card.
    return { kind: outcome.kind, outcomeId: outcome.id, ...this.caseSoFar(state) };
  }

  /** The answers the message gives: never an option it denies or only asks about, whatever else it says. */
  protected answersIn(meaning: Interpretation): Record<string, string> {
    const taken: Record<string, string> = {};
    // Every answer the engine knows (the product as typed, too), not only the questions' slots.
    for (const [slot, option] of Object.entries(meaning.answers as Record<string, string | undefined>)) {
      const denied = isQuestionId(slot) && meaning.negated[slot]?.includes(option ?? '');
      const asked = meaning.askedAbout.some((about) => about.slot === slot && about.option === option);
      if (option && !denied && !asked) taken[slot] = option;
    }
    return taken;
  }

  protected recognize(reading: TurnReading, question: Question): string | undefined {
    if (reading.understood.kind !== 'text') return undefined;
    return this.answersIn(reading.understood.meaning)[question.id];
  }

  protected override answersSoFar(state: LoopState): Answers {
    return this.answersOf(state);
  }

  protected recognizeSubmit(submit: CardSubmit, question: string): string | undefined {
    return submit.verb === 'answer' && submit.question === question ? submit.option : undefined;
  }

  protected submitValue(question: string, option: string): Record<string, unknown> {
    return { verb: 'answer', question, option };
  }

  protected override answerNames(question: string, option: string, lang: Lang): NamedAnswer | undefined {
    return isQuestionId(question) ? this.deps.replies.nameAnswer(question, option, lang) : undefined;
  }

  /** Already a support case: its question again. */
  protected override supportCase(innerDc: DialogContext): Promise<DialogTurnResult> {
    return reprompt(innerDc);
  }

  /** "Which severity?" at a question: the case is set aside for the severity helper, and goes on after its card. */
  protected override severityHelp(innerDc: DialogContext): Promise<DialogTurnResult> {
    const severityDetour = this.caseSoFar(loopOf(innerDc));
    return endWith(innerDc, { severityDetour } satisfies SeverityDetour);
  }

  /** The answers for the engine and the order they were given in, to reopen the case after a detour. */
  protected override caseSoFar(state: LoopState): CaseSoFar {
    const answers = this.answersOf(state);
    const answered = state.answered.filter(
      (slot): slot is QuestionId => isQuestionId(slot) && answers[slot] !== undefined,
    );
    return { answers, answered };
  }

  /** The product of a one-product family (Azure) was never asked: changing it means changing the family. */
  protected override questionToChange(question: string, state: LoopState): string {
    const { family } = this.answersOf(state);
    const products = this.deps.knowledge.questions.product.options.filter(
      (option) => option.family === family,
    );
    return question === 'product' && family && products.length < 2 ? 'family' : question;
  }

  /** The product as the partner typed it ("SQL Server 2019") goes with the product and its family. */
  protected override dependentAnswers(question: string): string[] {
    if (question === 'family') return ['product', PRODUCT_NAME];
    return question === 'product' ? [PRODUCT_NAME] : [];
  }

  protected answersToChange(state: LoopState, lang: Lang): { question: QuestionId; title: string }[] {
    return answersToChange(this.answersOf(state), lang);
  }

  /**
   * The answers for the engine. The loop state holds only enum ids it put there itself; anything else is dropped,
   * not trusted. A product of another family (the family was changed after it) no longer counts.
   */
  private answersOf(state: LoopState): Answers {
    const answers: Record<string, string> = {};
    for (const [slot, option] of Object.entries(state.answers)) {
      if (isAnswer(slot, option)) answers[slot] = option;
    }
    const product = this.deps.knowledge.questions.product.options.find(
      (option) => option.id === answers.product,
    );
    if (product && answers.family && product.family !== answers.family) delete answers.product;
    return answers as Answers;
  }
}
