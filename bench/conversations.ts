import type { Activity } from 'botbuilder';
import { route } from '../src/engine/route';
import type { Answers } from '../src/engine/types';
import { getKnowledge } from '../src/knowledge/load';
import type { Lang, QuestionId } from '../src/knowledge/schema';
import type { Conversation, UserInput } from './load';

/**
 * A partner the benchmark plays: an opening message, then (when the bot asks) the answers the case needs, by
 * clicking the suggested button (its title arrives as text) or by a card submit (value).
 */
export interface Script {
  lang: Lang;
  opening: UserInput;
  /** The case: the engine decides the expected card from these answers. */
  wanted: Answers;
  answerWith: 'text' | 'value';
  /** Messages the partner sends to reach the card; one more is an error (the bot asked what it was told). */
  turns: number;
}

/** Issue 14's case: an Azure advisor partner, no support plan, Silver, another competency → Signature result card. */
const signatureCase: Answers = {
  family: 'azure',
  program: 'advisor',
  purchasedPlan: 'none',
  tier: 'silver',
  competency: 'other',
};

/** The two paths every target is measured on, one table each. */
export const PATHS: { name: string; script: Script }[] = [
  {
    name: 'buttons: opening message, then four button clicks',
    script: {
      lang: 'en',
      opening: { text: 'I need Azure support for my customer' },
      wanted: signatureCase,
      answerWith: 'text',
      turns: 5,
    },
  },
  {
    name: 'typed: one message that answers everything',
    script: {
      lang: 'en',
      opening: {
        text:
          'I need Azure support for my customer. We are an Advisor partner with a Silver competency, ' +
          'not a cloud competency, and we have neither ASfP nor PSfP.',
      },
      wanted: signatureCase,
      answerWith: 'text',
      turns: 1,
    },
  },
];

const knowledge = getKnowledge();

/** The question a card's submit button answers (`{ verb: 'answer', question }`), found anywhere in the card. */
function cardQuestion(content: unknown): QuestionId | undefined {
  const pending: unknown[] = [content];
  while (pending.length > 0) {
    const node = pending.pop();
    if (typeof node !== 'object' || node === null) continue;
    const data = (node as { type?: unknown; data?: { verb?: unknown; question?: unknown } }).data;
    if (
      data?.verb === 'answer' &&
      typeof data.question === 'string' &&
      data.question in knowledge.questions
    ) {
      return data.question as QuestionId;
    }
    pending.push(...Object.values(node));
  }
  return undefined;
}

/** Which question a reply asks: a question card, its prompt text, or choice titles that are that question's labels. */
function questionAsked(replies: Partial<Activity>[], lang: Lang): QuestionId | undefined {
  const questions = Object.entries(knowledge.questions) as [
    QuestionId,
    (typeof knowledge.questions)[QuestionId],
  ][];
  for (const reply of replies) {
    for (const attachment of reply.attachments ?? []) {
      const asked = cardQuestion(attachment.content);
      if (asked) return asked;
    }
    const text = reply.text ?? '';
    const titles = new Set((reply.suggestedActions?.actions ?? []).map((action) => action.title));
    const asked = questions.find(
      ([, question]) =>
        (text && text.includes(question.prompt[lang])) ||
        (titles.size > 0 && question.options.every((option) => titles.has(option.label[lang]))),
    );
    if (asked) return asked[0];
  }
  return undefined;
}

function optionLabel(question: QuestionId, option: string, lang: Lang): string {
  const found = knowledge.questions[question].options.find((candidate) => candidate.id === option);
  if (!found) throw new Error(`no option ${option} for ${question}`);
  return found.label[lang];
}

/** One partner following a script to its card; throws when the bot says something the partner cannot follow. */
export class ScriptedConversation implements Conversation {
  readonly locale: string;
  /** What this partner sent, turn by turn (the echo bot gets the same). */
  readonly sent: UserInput[] = [];
  private readonly expectedSummary: string;

  constructor(private readonly script: Script) {
    this.locale = script.lang === 'ja' ? 'ja-JP' : 'en-US';
    const outcome = route(script.wanted, script.lang, knowledge);
    if (outcome.kind === 'ask')
      throw new Error(`script ${JSON.stringify(script.wanted)} misses ${outcome.question}`);
    // the card's one-line summary names the plan (or, when not eligible, says why)
    this.expectedSummary = outcome.kind === 'route' ? outcome.plan.name : outcome.summary;
  }

  next(replies: Partial<Activity>[]): UserInput | 'done' {
    const input = this.decide(replies);
    if (input !== 'done') this.sent.push(input);
    return input;
  }

  private decide(replies: Partial<Activity>[]): UserInput | 'done' {
    const { script } = this;
    if (this.sent.length === 0) return script.opening;
    if (replies.some((reply) => reply.summary?.includes(this.expectedSummary) && reply.attachments?.length)) {
      return 'done';
    }
    const question = questionAsked(replies, script.lang);
    const option = question && script.wanted[question];
    if (!question || !option) {
      const said = replies
        .filter((reply) => reply.type === 'message')
        .map((reply) => reply.summary ?? reply.text)
        .join(' / ');
      throw new Error(`unexpected reply after ${this.sent.length} turns: ${said.slice(0, 200)}`);
    }
    if (this.sent.length >= script.turns) {
      throw new Error(`no card after ${script.turns} messages: the bot asked again what it was told`);
    }
    return script.answerWith === 'value'
      ? { value: { verb: 'answer', question, option } }
      : { text: optionLabel(question, option, script.lang) };
  }
}

/** Replays recorded inputs: the echo bot gets the same number and kind of turns as the router bot. */
export class ReplayedConversation implements Conversation {
  private turn = 0;

  constructor(
    readonly locale: string,
    private readonly inputs: readonly UserInput[],
  ) {}

  next(): UserInput | 'done' {
    return this.turn < this.inputs.length ? this.inputs[this.turn++] : 'done';
  }

  /** The same inputs from the first turn again. */
  fresh(): ReplayedConversation {
    return new ReplayedConversation(this.locale, this.inputs);
  }
}
