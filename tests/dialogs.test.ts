import { describe, expect, test } from 'vitest';
import { ConversationState, MemoryStorage, type Activity } from 'botbuilder';
import { ComponentDialog, DialogTurnStatus } from 'botbuilder-dialogs';
import { DialogTestClient } from 'botbuilder-testing';
import { getKnowledge } from '../src/knowledge/load';
import { QuestionId, type Lang } from '../src/knowledge/schema';
import { route } from '../src/engine/route';
import { everyDecidedCase } from '../src/engine/space';
import type { Answers } from '../src/engine/types';
import { cardMessages, questionNames } from '../src/messages/cards';
import { firstSentence } from '../src/cards/render';
import { conversationMessages, say, type ConversationMessageId } from '../src/messages/conversation';
import { interpret, type Interpretation } from '../src/understand/interpretation';
import { CaseDialog } from '../dialogs/caseDialog';
import { MainDialog } from '../dialogs/mainDialog';
import type { DialogDeps } from '../dialogs/interruptible';
import { SeverityDialog } from '../dialogs/severityDialog';
import { ConversationMemory } from '../dialogs/memory';
import { Replies } from '../dialogs/replies';
import { client, joins, says, type ClientKind } from './helpers/channels';
import { TestChat } from './helpers/chat';
import { allText, button, buttonsOf } from './helpers/replies';

/**
 * The conversation, table-driven: each case is an opening, the turns (what the user says, presses or submits →
 * what the bot must show: the question it asks, the card it sends), and the route it must end on.
 * Assertions are on meaning — the question asked (its prompt from the knowledge file), the route id the bot
 * logged, the facts on the card — never on channel-specific layout.
 */

const knowledge = getKnowledge();
const CLIENTS: ClientKind[] = ['teamsPersonal', 'webchat', 'emulator'];
const LANGS: Lang[] = ['en', 'ja'];
const LOCALE: Record<Lang, string> = { en: 'en-US', ja: 'ja-JP' };

type BotReplies = Partial<Activity>[];

const label = (question: QuestionId, option: string, lang: Lang) => {
  const found = knowledge.questions[question].options.find((entry) => entry.id === option);
  if (!found) throw new Error(`no option ${question}.${option}`);
  return found.label[lang];
};

/** The questions of the knowledge file whose prompt the replies show. */
function questionsAsked(replies: BotReplies, lang: Lang): QuestionId[] {
  const text = allText(replies);
  return QuestionId.options.filter((question) => text.includes(knowledge.questions[question].prompt[lang]));
}

/** The card of a decided case shows its plan and entitlement (route) or its reason (not eligible). */
function expectOutcomeCard(replies: BotReplies, answers: Answers, lang: Lang): void {
  const outcome = route(answers, lang, knowledge);
  const text = allText(replies);
  if (outcome.kind === 'route') {
    expect(text).toContain(cardMessages.resultTitle[lang]);
    expect(text).toContain(outcome.plan.name);
    expect(text).toContain(outcome.entitlement);
    expect(text).toContain(firstSentence(outcome.ids.text)[0]);
    expect(text).toContain(outcome.steps[0].text);
  } else if (outcome.kind === 'notEligible') {
    expect(text).toContain(cardMessages.notEligibleTitle[lang]);
    expect(text).toContain(outcome.reason);
  } else {
    throw new Error(`expected a decided case, the engine still asks ${outcome.question}`);
  }
}

/** Choice buttons fit each client: ≤ 20 characters; suggested actions, or hero card buttons in Teams channels. */
function expectChoiceButtons(replies: BotReplies, kind: ClientKind): void {
  const buttons = buttonsOf(replies);
  expect(buttons.length).toBeGreaterThan(0);
  for (const found of buttons) expect([...found.title].length).toBeLessThanOrEqual(20);
  if (buttons.length > 5) return; // a drop-down card
  const expected = kind === 'teamsChannel' || kind === 'teamsGroupChat' ? 'heroCard' : 'suggestedAction';
  expect(new Set(buttons.map((found) => found.kind))).toEqual(new Set([expected]));
}

/**
 * Plays a path: before each step the bot must ask exactly that question (nothing else), the user presses the
 * option's button; at the end no question is left, the bot logged the route id and sent its card.
 */
async function playPath(
  chat: TestChat,
  replies: BotReplies,
  lang: Lang,
  steps: [QuestionId, string][],
  routeId: string,
  answers: Answers,
): Promise<BotReplies> {
  for (const [question, option] of steps) {
    expect(questionsAsked(replies, lang), `the bot should ask ${question} next`).toEqual([question]);
    expectChoiceButtons(replies, chat.client.kind);
    replies = await chat.send(button(replies, label(question, option, lang)).press(chat.client));
  }
  expect(questionsAsked(replies, lang), 'no question left').toEqual([]);
  expect(chat.log.routeIds().at(-1)).toBe(routeId);
  expectOutcomeCard(replies, answers, lang);
  return replies;
}

/** Opens a conversation the way a new user does: the welcome, then the "Support case" button. */
async function openSupportCase(chat: TestChat, lang: Lang): Promise<BotReplies> {
  const welcome = await chat.join();
  expect(allText(welcome)).toContain(knowledge.meta.title[lang]);
  return chat.send(button(welcome, cardMessages.topicSupportCase[lang]).press(chat.client));
}

// ---------------------------------------------------------------------------------------------------------------
// Every family, program, tier and plan: pressing buttons from the welcome card to the result card.

interface RouteCase {
  name: string;
  steps: [QuestionId, string][];
  route: string;
}

const ROUTES: RouteCase[] = [
  {
    name: 'Azure, CSP direct → Cloud Solution Provider plan',
    steps: [
      ['family', 'azure'],
      ['program', 'cspDirect'],
      ['purchasedPlan', 'none'],
    ],
    route: 'azure/cloudSolutionProvider',
  },
  {
    name: 'Azure, indirect provider → Cloud Solution Provider plan',
    steps: [
      ['family', 'azure'],
      ['program', 'indirectProvider'],
      ['purchasedPlan', 'none'],
    ],
    route: 'azure/cloudSolutionProvider',
  },
  {
    name: 'Azure, indirect reseller → Cloud Solution Provider plan',
    steps: [
      ['family', 'azure'],
      ['program', 'indirectReseller'],
      ['purchasedPlan', 'none'],
    ],
    route: 'azure/cloudSolutionProvider',
  },
  {
    name: 'Azure, advisor, Action Pack → not covered by Signature',
    steps: [
      ['family', 'azure'],
      ['program', 'advisor'],
      ['purchasedPlan', 'none'],
      ['tier', 'actionPack'],
    ],
    route: 'signatureNotForActionPack',
  },
  {
    name: 'Azure, advisor, Silver cloud competency → Signature unlimited',
    steps: [
      ['family', 'azure'],
      ['program', 'advisor'],
      ['purchasedPlan', 'none'],
      ['tier', 'silver'],
      ['competency', 'cloud'],
    ],
    route: 'azure/signatureCloudSupport',
  },
  {
    name: 'Azure, advisor, Gold other competency → Signature 10 incidents',
    steps: [
      ['family', 'azure'],
      ['program', 'advisor'],
      ['purchasedPlan', 'none'],
      ['tier', 'gold'],
      ['competency', 'other'],
    ],
    route: 'azure/signatureCloudSupport',
  },
  {
    name: 'Azure, CSP with ASfP → Advanced Support for Partners',
    steps: [
      ['family', 'azure'],
      ['program', 'cspDirect'],
      ['purchasedPlan', 'asfp'],
    ],
    route: 'azure/advancedSupportForPartners',
  },
  {
    name: 'Azure, advisor with PSfP → Premier Support for Partners',
    steps: [
      ['family', 'azure'],
      ['program', 'advisor'],
      ['purchasedPlan', 'psfp'],
    ],
    route: 'azure/premierSupportForPartners',
  },
  {
    name: 'Microsoft 365, advisor → no contract needed (no product question)',
    steps: [
      ['family', 'microsoft365'],
      ['program', 'advisor'],
    ],
    route: 'microsoft365/microsoft365NoContract',
  },
  {
    name: 'Dynamics 365 Business Central, CSP, Gold cloud → Signature (Power Platform)',
    steps: [
      ['family', 'dynamics365'],
      ['product', 'businessCentral'],
      ['program', 'cspDirect'],
      ['purchasedPlan', 'none'],
      ['tier', 'gold'],
      ['competency', 'cloud'],
    ],
    route: 'dynamics365/signatureCloudSupport',
  },
  {
    name: 'Dynamics 365 Finance & Operations, indirect reseller, ASfP → Lifecycle Services',
    steps: [
      ['family', 'dynamics365'],
      ['product', 'd365FinanceOperations'],
      ['program', 'indirectReseller'],
      ['purchasedPlan', 'asfp'],
    ],
    route: 'dynamics365/advancedSupportForPartners',
  },
  {
    name: 'Dynamics 365 Retail, advisor, PSfP → Premier',
    steps: [
      ['family', 'dynamics365'],
      ['product', 'd365Retail'],
      ['program', 'advisor'],
      ['purchasedPlan', 'psfp'],
    ],
    route: 'dynamics365/premierSupportForPartners',
  },
  {
    name: 'Dynamics 365 Power Apps, indirect provider, Action Pack → not covered',
    steps: [
      ['family', 'dynamics365'],
      ['product', 'powerApps'],
      ['program', 'indirectProvider'],
      ['purchasedPlan', 'none'],
      ['tier', 'actionPack'],
    ],
    route: 'signatureNotForActionPack',
  },
  {
    name: 'Cloud App Security, indirect reseller → Professional no-charge',
    steps: [
      ['family', 'cloudAppSecurity'],
      ['program', 'indirectReseller'],
    ],
    route: 'cloudAppSecurity/professionalNoCharge',
  },
  {
    name: 'On-premises, Action Pack, current version → core benefit (10 incidents)',
    steps: [
      ['family', 'onPremises'],
      ['version', 'current'],
      ['tier', 'actionPack'],
    ],
    route: 'onPremises/partnerSupportCoreBenefit',
  },
  {
    name: 'On-premises, Silver, current version → core benefit (15 incidents)',
    steps: [
      ['family', 'onPremises'],
      ['version', 'current'],
      ['tier', 'silver'],
    ],
    route: 'onPremises/partnerSupportCoreBenefit',
  },
  {
    name: 'On-premises, older version (tier not asked), Microsoft account → pay per incident',
    steps: [
      ['family', 'onPremises'],
      ['version', 'older'],
      ['signIn', 'msa'],
    ],
    route: 'onPremises/payPerIncident',
  },
  {
    name: 'On-premises, older version (tier not asked), Azure AD account → pay per incident (use an MSA)',
    steps: [
      ['family', 'onPremises'],
      ['version', 'older'],
      ['signIn', 'aad'],
    ],
    route: 'onPremises/payPerIncident',
  },
];

const answersOf = (steps: [QuestionId, string][]) => Object.fromEntries(steps) as Answers;

describe.each(CLIENTS)('routes, pressing buttons from the welcome card (%s)', (kind) => {
  describe.each(LANGS)('in %s', (lang) => {
    test.each(ROUTES)('$name', async ({ steps, route: routeId }) => {
      const chat = new TestChat(client(kind, LOCALE[lang]));
      const replies = await openSupportCase(chat, lang);
      await playPath(chat, replies, lang, steps, routeId, answersOf(steps));
    });
  });
});

describe('every decided path of the routing engine is reachable in the chat, asking only what it asks', () => {
  describe.each(LANGS)('in %s', (lang) => {
    const cases = everyDecidedCase(lang, knowledge);
    test(`all ${cases.length} paths`, async () => {
      for (const [index, decided] of cases.entries()) {
        const chat = new TestChat(client(CLIENTS[index % CLIENTS.length], LOCALE[lang]));
        const steps = Object.entries(decided.answers) as [QuestionId, string][];
        const replies = await openSupportCase(chat, lang);
        await playPath(chat, replies, lang, steps, decided.outcome.id, decided.answers);
      }
    }, 120_000);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Free text fills several answers at once; the bot asks only what is still missing.

interface FreeTextCase {
  name: string;
  lang: Lang;
  opening: string;
  /** Question asked → what the user types. */
  turns: [QuestionId, string][];
  route: string;
  answers: Answers;
}

const FREE_TEXT: FreeTextCase[] = [
  {
    name: 'common words answer the question asked: no, other, latest',
    lang: 'en',
    opening: 'Azure, advisor',
    turns: [
      ['purchasedPlan', 'no'],
      ['tier', 'silver'],
      ['competency', 'other'],
    ],
    route: 'azure/signatureCloudSupport',
    answers: {
      family: 'azure',
      program: 'advisor',
      purchasedPlan: 'none',
      tier: 'silver',
      competency: 'other',
    },
  },
  {
    name: 'common words answer the question asked: 最新',
    lang: 'ja',
    opening: 'オンプレミス、ゴールド',
    turns: [['version', '最新']],
    route: 'onPremises/partnerSupportCoreBenefit',
    answers: { family: 'onPremises', tier: 'gold', version: 'current' },
  },
  {
    name: 'a product named by a common word answers "which product?": Flow, no product question after it',
    lang: 'en',
    opening: 'We have a problem',
    turns: [
      ['family', 'Flow'],
      ['program', 'CSP direct'],
      ['purchasedPlan', 'PSfP'],
    ],
    route: 'dynamics365/premierSupportForPartners',
    answers: { family: 'dynamics365', product: 'flow', program: 'cspDirect', purchasedPlan: 'psfp' },
  },
  {
    name: 'an Office 365 service by name answers "which product?"',
    lang: 'en',
    opening: 'We have a problem',
    turns: [
      ['family', 'Exchange Online'],
      ['program', 'advisor'],
    ],
    route: 'microsoft365/microsoft365NoContract',
    answers: { family: 'microsoft365', product: 'office365', program: 'advisor' },
  },
  {
    name: 'フロー at the product family question',
    lang: 'ja',
    opening: 'サポートの相談',
    turns: [
      ['family', 'フロー'],
      ['program', 'アドバイザー'],
      ['purchasedPlan', 'いいえ'],
      ['tier', 'ゴールド'],
      ['competency', 'その他'],
    ],
    route: 'dynamics365/signatureCloudSupport',
    answers: {
      family: 'dynamics365',
      product: 'flow',
      program: 'advisor',
      purchasedPlan: 'none',
      tier: 'gold',
      competency: 'other',
    },
  },
  {
    name: 'Intune for a CSP customer: asks nothing',
    lang: 'en',
    opening: 'Intune issue for my direct CSP customer',
    turns: [],
    route: 'microsoft365/microsoft365NoContract',
    answers: { family: 'microsoft365', product: 'intune', program: 'cspDirect' },
  },
  {
    name: 'on-premises SQL Server, Silver: asks only the version (current)',
    lang: 'ja',
    opening: 'オンプレミスの SQL Server 2019、シルバーです',
    turns: [['version', '最新の 2 バージョン']],
    route: 'onPremises/partnerSupportCoreBenefit',
    answers: { family: 'onPremises', tier: 'silver', version: 'current' },
  },
  {
    name: 'on-premises SQL Server, Silver: an older version adds the sign-in question',
    lang: 'ja',
    opening: 'オンプレミスの SQL Server 2019、シルバーです',
    turns: [
      ['version', 'それより古い'],
      ['signIn', 'Microsoft アカウント'],
    ],
    route: 'onPremises/payPerIncident',
    answers: { family: 'onPremises', tier: 'silver', version: 'older', signIn: 'msa' },
  },
  {
    name: 'Business Central as an advisor: no product or program question',
    lang: 'en',
    opening: 'Business Central, we are an advisor partner',
    turns: [
      ['purchasedPlan', 'Neither'],
      ['tier', 'Gold, cloud competency'],
    ],
    route: 'dynamics365/signatureCloudSupport',
    answers: {
      family: 'dynamics365',
      product: 'businessCentral',
      program: 'advisor',
      purchasedPlan: 'none',
      tier: 'gold',
      competency: 'cloud',
    },
  },
  {
    name: 'typed answers with synonyms, in Japanese',
    lang: 'ja',
    opening: 'Azure の問題です',
    turns: [
      ['program', 'アドバイザーです'],
      ['purchasedPlan', '購入していない'],
      ['tier', 'ゴールド'],
      ['competency', 'クラウド コンピテンシー'],
    ],
    route: 'azure/signatureCloudSupport',
    answers: {
      family: 'azure',
      program: 'advisor',
      purchasedPlan: 'none',
      tier: 'gold',
      competency: 'cloud',
    },
  },
];

describe.each(CLIENTS)('free-text slot filling (%s)', (kind) => {
  test.each(FREE_TEXT)('$lang: $name', async ({ lang, opening, turns, route: routeId, answers }) => {
    const chat = new TestChat(client(kind, LOCALE[lang]));
    let replies = await chat.say(opening);
    for (const [question, typed] of turns) {
      expect(questionsAsked(replies, lang), `the bot should ask ${question} next`).toEqual([question]);
      replies = await chat.say(typed);
    }
    expect(questionsAsked(replies, lang)).toEqual([]);
    expect(chat.log.routeIds()).toEqual([routeId]);
    expectOutcomeCard(replies, answers, lang);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Interruptions at a prompt, in both languages.

const text = (id: ConversationMessageId, lang: Lang) => conversationMessages[id][lang];

/** A conversation stopped at the program question of an Azure case. */
async function atProgramQuestion(kind: ClientKind, lang: Lang) {
  const chat = new TestChat(client(kind, LOCALE[lang]));
  const replies = await chat.say('Azure');
  expect(questionsAsked(replies, lang)).toEqual(['program']);
  return { chat, replies };
}

const WORDS = {
  help: { en: 'help', ja: 'ヘルプ' },
  back: { en: 'back', ja: '戻る' },
  change: { en: 'change', ja: '変更' },
  changeAnAnswer: { en: 'change an answer', ja: '回答を変更' },
  startOver: { en: 'start over', ja: '最初から' },
  cancel: { en: 'cancel', ja: 'キャンセル' },
  knownErrors: { en: 'known errors', ja: '既知のエラー' },
  severity: { en: 'severity', ja: '重大度' },
} satisfies Record<string, Record<Lang, string>>;

describe.each(CLIENTS)('interruptions (%s)', (kind) => {
  describe.each(LANGS)('in %s', (lang) => {
    test('help says what the bot does, what it is asking and why, then asks again', async () => {
      const { chat } = await atProgramQuestion(kind, lang);
      const replies = await chat.say(WORDS.help[lang]);
      const shown = allText(replies);
      expect(shown).toContain(text('intro', lang));
      expect(shown).toContain(knowledge.questions.program.why[lang]);
      expect(questionsAsked(replies, lang)).toEqual(['program']);
      expectChoiceButtons(replies.slice(1), kind);
      await playPath(
        chat,
        replies,
        lang,
        [
          ['program', 'advisor'],
          ['purchasedPlan', 'asfp'],
        ],
        'azure/advancedSupportForPartners',
        {
          family: 'azure',
          program: 'advisor',
          purchasedPlan: 'asfp',
        },
      );
    });

    test('"back" drops the last answer and asks it again', async () => {
      const { chat, replies: first } = await atProgramQuestion(kind, lang);
      let replies = await chat.send(button(first, label('program', 'advisor', lang)).press(chat.client));
      expect(questionsAsked(replies, lang)).toEqual(['purchasedPlan']);
      replies = await chat.say(WORDS.back[lang]);
      expect(allText(replies)).toContain(text('goingBack', lang));
      expect(questionsAsked(replies, lang)).toEqual(['program']);
      await playPath(
        chat,
        replies,
        lang,
        [
          ['program', 'cspDirect'],
          ['purchasedPlan', 'none'],
        ],
        'azure/cloudSolutionProvider',
        {
          family: 'azure',
          program: 'cspDirect',
          purchasedPlan: 'none',
        },
      );
    });

    test('"back" after a typed product goes back to the product question, not to the one on screen', async () => {
      // "Azure" answers the family and implies the product: going back must show an earlier question.
      const { chat } = await atProgramQuestion(kind, lang);
      const replies = await chat.say(WORDS.back[lang]);
      expect(allText(replies)).toContain(text('goingBack', lang));
      expect(questionsAsked(replies, lang)).toEqual(['family']);
    });

    test.each([WORDS.change, WORDS.changeAnAnswer])(
      '"$en" / "$ja" lists the answers given so far; the one picked is asked again, the rest kept',
      async (words) => {
        const { chat, replies: first } = await atProgramQuestion(kind, lang);
        let replies = await chat.send(button(first, label('program', 'advisor', lang)).press(chat.client));
        expect(questionsAsked(replies, lang)).toEqual(['purchasedPlan']);
        replies = await chat.say(words[lang]);
        expect(allText(replies)).toContain(text('whichAnswerToChange', lang));
        expect(buttonsOf(replies).map((found) => found.title)).toEqual([
          questionNames.family[lang],
          questionNames.product[lang],
          questionNames.program[lang],
        ]);
        replies = await chat.send(button(replies, questionNames.program[lang]).press(chat.client));
        expect(questionsAsked(replies, lang)).toEqual(['program']);
        await playPath(
          chat,
          replies,
          lang,
          [
            ['program', 'cspDirect'],
            ['purchasedPlan', 'none'],
          ],
          'azure/cloudSolutionProvider',
          { family: 'azure', program: 'cspDirect', purchasedPlan: 'none' },
        );
      },
    );

    test('"change" then typing the answer\'s name or number instead of pressing it', async () => {
      const { chat, replies: first } = await atProgramQuestion(kind, lang);
      await chat.send(button(first, label('program', 'advisor', lang)).press(chat.client));
      await chat.say(WORDS.change[lang]);
      let replies = await chat.say(questionNames.family[lang]);
      expect(questionsAsked(replies, lang)).toEqual(['family']);
      replies = await chat.send(button(replies, label('family', 'microsoft365', lang)).press(chat.client));
      expect(chat.log.routeIds()).toEqual(['microsoft365/microsoft365NoContract']);
      replies = await chat.say(WORDS.change[lang]);
      replies = await chat.say('2');
      expect(questionsAsked(replies, lang)).toEqual(['program']);
    });

    test('changing the product of Azure (never asked: Azure has one) asks the product family', async () => {
      const { chat } = await atProgramQuestion(kind, lang);
      let replies = await chat.say(WORDS.change[lang]);
      replies = await chat.send(button(replies, questionNames.product[lang]).press(chat.client));
      expect(questionsAsked(replies, lang)).toEqual(['family']);
      replies = await chat.send(
        button(replies, label('family', 'cloudAppSecurity', lang)).press(chat.client),
      );
      expect(questionsAsked(replies, lang)).toEqual(['program']);
    });

    test('"back" and "change" after the result card: back re-asks the last answer, change lists them', async () => {
      const { chat, replies: first } = await atProgramQuestion(kind, lang);
      let replies = await chat.send(button(first, label('program', 'advisor', lang)).press(chat.client));
      replies = await chat.send(button(replies, label('purchasedPlan', 'asfp', lang)).press(chat.client));
      expect(chat.log.routeIds()).toEqual(['azure/advancedSupportForPartners']);
      const cardList = buttonsOf(replies)
        .map((found) => found.title)
        .filter((title) => Object.values(questionNames).some((name) => name[lang] === title));
      replies = await chat.say(WORDS.back[lang]);
      expect(questionsAsked(replies, lang)).toEqual(['purchasedPlan']);
      replies = await chat.send(button(replies, label('purchasedPlan', 'psfp', lang)).press(chat.client));
      expect(chat.log.routeIds()).toEqual([
        'azure/advancedSupportForPartners',
        'azure/premierSupportForPartners',
      ]);
      replies = await chat.say(WORDS.change[lang]);
      const listed = buttonsOf(replies).map((found) => found.title);
      expect(listed).toEqual(cardList);
      expect(listed).toEqual([
        questionNames.family[lang],
        questionNames.product[lang],
        questionNames.program[lang],
        questionNames.purchasedPlan[lang],
      ]);
      replies = await chat.send(button(replies, questionNames.family[lang]).press(chat.client));
      expect(questionsAsked(replies, lang)).toEqual(['family']);
    });

    test('back at the first question says there is nothing to change and asks again', async () => {
      const chat = new TestChat(client(kind, LOCALE[lang]));
      let replies = await openSupportCase(chat, lang);
      expect(questionsAsked(replies, lang)).toEqual(['family']);
      replies = await chat.say(WORDS.back[lang]);
      expect(allText(replies)).toContain(text('nothingToGoBackTo', lang));
      expect(questionsAsked(replies, lang)).toEqual(['family']);
    });

    test('start over shows the first choices; the next message starts a new case', async () => {
      const { chat } = await atProgramQuestion(kind, lang);
      let replies = await chat.say(WORDS.startOver[lang]);
      expect(allText(replies)).toContain(text('startOver', lang));
      expect(allText(replies)).toContain(knowledge.meta.title[lang]);
      expect(questionsAsked(replies, lang)).toEqual([]);
      replies = await chat.send(button(replies, cardMessages.topicSupportCase[lang]).press(chat.client));
      expect(questionsAsked(replies, lang)).toEqual(['family']);
    });

    test('cancel stops; the next message is a fresh start', async () => {
      const { chat } = await atProgramQuestion(kind, lang);
      let replies = await chat.say(WORDS.cancel[lang]);
      expect(allText(replies)).toContain(text('cancelled', lang));
      expect(questionsAsked(replies, lang)).toEqual([]);
      replies = await chat.say('Cloud App Security, direct CSP');
      expect(chat.log.routeIds()).toEqual(['cloudAppSecurity/professionalNoCharge']);
      expect(allText(replies)).toContain(
        knowledge.plans.find((plan) => plan.id === 'professionalNoCharge')?.name[lang],
      );
    });

    test('switching language asks the same question in the other language, and the card follows', async () => {
      const other: Lang = lang === 'en' ? 'ja' : 'en';
      const { chat } = await atProgramQuestion(kind, lang);
      const replies = await chat.say(other === 'ja' ? '日本語で' : 'English please');
      expect(allText(replies)).toContain(text('languageSwitched', other));
      await playPath(
        chat,
        replies,
        other,
        [
          ['program', 'indirectReseller'],
          ['purchasedPlan', 'none'],
        ],
        'azure/cloudSolutionProvider',
        {
          family: 'azure',
          program: 'indirectReseller',
          purchasedPlan: 'none',
        },
      );
    });

    test('a pasted known error mid-case gets its fix, then the question again', async () => {
      const { chat } = await atProgramQuestion(kind, lang);
      const error = knowledge.knownErrors[0];
      const replies = await chat.say(error.message[lang]);
      expect(allText(replies)).toContain(error.fix[0][lang]);
      expect(questionsAsked(replies, lang)).toEqual(['program']);
    });

    test('"known errors" mid-case lists the known errors, then asks the question again', async () => {
      const { chat } = await atProgramQuestion(kind, lang);
      const replies = await chat.say(WORDS.knownErrors[lang]);
      for (const error of knowledge.knownErrors) expect(allText(replies)).toContain(error.title[lang]);
      expect(allText(replies)).not.toContain(text('retryChoice', lang));
      expect(questionsAsked(replies, lang)).toEqual(['program']);
      const error = knowledge.knownErrors[1];
      const fix = await chat.send(button(replies, error.title[lang]).press(chat.client));
      expect(allText(fix)).toContain(error.fix[0][lang]);
      expect(questionsAsked(fix, lang)).toEqual(['program']);
    });

    test('"severity" mid-case runs the severity helper, then goes back to the case where it was', async () => {
      const { chat } = await atProgramQuestion(kind, lang);
      let replies = await chat.say(WORDS.severity[lang]);
      expect(severityQuestionsAsked(replies, lang)).toEqual(['ready24x7']);
      expect(allText(replies)).not.toContain(text('retryChoice', lang));
      replies = await chat.send(button(replies, say('yes', lang)).press(chat.client));
      replies = await chat.send(button(replies, say('yes', lang)).press(chat.client));
      const shown = allText(replies);
      expect(shown).toContain(cardMessages.severityChosen[lang].replace('{level}', 'A'));
      expect(shown).toContain(text('backToCase', lang));
      expect(questionsAsked(replies, lang)).toEqual(['program']);
      await playPath(
        chat,
        replies.slice(-1),
        lang,
        [
          ['program', 'advisor'],
          ['purchasedPlan', 'psfp'],
        ],
        'azure/premierSupportForPartners',
        { family: 'azure', program: 'advisor', purchasedPlan: 'psfp' },
      );
    });

    test('an answer to another question is taken and noted, and the question on screen asked again', async () => {
      const { chat } = await atProgramQuestion(kind, lang);
      const replies = await chat.say(lang === 'en' ? 'We are a Gold partner' : 'ゴールド パートナーです');
      const noted = `${questionNames.tier[lang]}: ${label('tier', 'gold', lang)}`;
      expect(allText(replies)).toContain(say('noted', lang, { answers: noted }));
      expect(allText(replies)).not.toContain(text('retryChoice', lang));
      expect(questionsAsked(replies, lang)).toEqual(['program']);
      await playPath(
        chat,
        replies,
        lang,
        [
          ['program', 'advisor'],
          ['purchasedPlan', 'none'],
          ['competency', 'cloud'],
        ],
        'azure/signatureCloudSupport',
        { family: 'azure', program: 'advisor', purchasedPlan: 'none', tier: 'gold', competency: 'cloud' },
      );
    });

    test('changing your mind by typing another product family at a later question', async () => {
      const { chat } = await atProgramQuestion(kind, lang);
      let replies = await chat.say(
        lang === 'en' ? 'Sorry, it is Cloud App Security' : 'すみません、Cloud App Security です',
      );
      expect(allText(replies)).toContain(label('family', 'cloudAppSecurity', lang));
      expect(questionsAsked(replies, lang)).toEqual(['program']);
      replies = await chat.send(button(replies, label('program', 'cspDirect', lang)).press(chat.client));
      expect(chat.log.routeIds()).toEqual(['cloudAppSecurity/professionalNoCharge']);
    });

    test('answering with more than was asked takes it all, a changed family included', async () => {
      const { chat } = await atProgramQuestion(kind, lang);
      await chat.say(
        lang === 'en' ? 'direct CSP, for my Intune customer' : 'CSP 直接です。Intune の顧客です',
      );
      expect(chat.log.routeIds()).toEqual(['microsoft365/microsoft365NoContract']);
    });

    test('a fact or a redirect question mid-case is answered, then the question asked again', async () => {
      const { chat } = await atProgramQuestion(kind, lang);
      const fact = knowledge.facts.find((entry) => entry.id === 'whenIdsAreNeeded');
      const redirect = knowledge.redirects.find((entry) => entry.id === 'programSupport');
      if (!fact || !redirect) throw new Error('knowledge entries missing');
      let replies = await chat.say(lang === 'en' ? 'Do I need an access ID?' : 'アクセス ID は必要ですか');
      expect(allText(replies)).toContain(fact.text[lang]);
      expect(questionsAsked(replies, lang)).toEqual(['program']);
      replies = await chat.say(
        lang === 'en' ? 'How do I renew our MPN membership?' : 'MPN メンバーシップの更新について',
      );
      expect(allText(replies)).toContain(redirect.text[lang]);
      expect(questionsAsked(replies, lang)).toEqual(['program']);
    });

    test('a greeting or a thank-you mid-case asks the question again, without "did not catch that"', async () => {
      const { chat } = await atProgramQuestion(kind, lang);
      for (const typed of lang === 'en' ? ['hello', 'thanks!'] : ['こんにちは', 'ありがとうございます']) {
        const replies = await chat.say(typed);
        expect(allText(replies)).not.toContain(text('retryChoice', lang));
        expect(questionsAsked(replies, lang)).toEqual(['program']);
      }
    });

    test('a greeting with no case gets the welcome; a thank-you after the card starts no case', async () => {
      const chat = new TestChat(client(kind, LOCALE[lang]));
      let replies = await chat.say(lang === 'en' ? 'Hi' : 'こんにちは');
      expect(allText(replies)).toContain(knowledge.meta.title[lang]);
      expect(questionsAsked(replies, lang)).toEqual([]);
      await chat.say('Cloud App Security, direct CSP');
      replies = await chat.say(lang === 'en' ? 'Thank you!' : 'ありがとうございました');
      expect(allText(replies)).toContain(text('youAreWelcome', lang));
      expect(questionsAsked(replies, lang)).toEqual([]);
    });

    test('an answer that is not an option gets a polite re-ask', async () => {
      const { chat } = await atProgramQuestion(kind, lang);
      const replies = await chat.say('banana');
      expect(allText(replies)).toContain(text('retryChoice', lang));
      expect(questionsAsked(replies, lang)).toEqual(['program']);
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Card submits: `value` and no `text`, as Teams and Web Chat send Action.Submit.

describe.each(CLIENTS)('card submits (%s)', (kind) => {
  test('an answer submitted as a value with no text', async () => {
    const { chat } = await atProgramQuestion(kind, 'en');
    const replies = await chat.submit({ verb: 'answer', question: 'program', option: 'cspDirect' });
    expect(questionsAsked(replies, 'en')).toEqual(['purchasedPlan']);
  });

  test('a stale submit (a button of another question) is not taken as the answer', async () => {
    const { chat } = await atProgramQuestion(kind, 'en');
    const replies = await chat.submit({ verb: 'answer', question: 'tier', option: 'gold' });
    expect(allText(replies)).toContain(text('retryChoice', 'en'));
    expect(questionsAsked(replies, 'en')).toEqual(['program']);
  });

  test.each([
    { verb: 'answer', question: 'program', option: 'hacker' },
    { verb: 'answer', question: 'program', option: { $gt: '' } },
    { verb: 'deleteEverything' },
    { __proto__: { verb: 'startOver' } },
    { verb: 'answer', question: 'program', option: 'x'.repeat(10_000) },
  ])('a tampered submit %j gets a polite re-ask, never a crash', async (value) => {
    const { chat } = await atProgramQuestion(kind, 'ja');
    const replies = await chat.submit(value as Record<string, unknown>);
    expect(allText(replies)).toContain(text('retryChoice', 'ja'));
    expect(questionsAsked(replies, 'ja')).toEqual(['program']);
  });

  test('a tampered submit with no case running gets the first choices again', async () => {
    const chat = new TestChat(client(kind, 'en-US'));
    const replies = await chat.submit({ verb: 'answer', question: 'program', option: 'hacker' });
    expect(allText(replies)).toContain(text('staleSubmit', 'en'));
    // No question is open, so the partner is not told to answer one.
    expect(allText(replies)).not.toMatch(/question/i);
    expect(allText(replies)).toContain(knowledge.meta.title.en);
  });

  test('"change an answer" on the result card asks that question again, keeps the rest', async () => {
    const chat = new TestChat(client(kind, 'en-US'));
    let replies = await chat.say('We are an advisor partner on Azure, Silver, cloud competency');
    expect(questionsAsked(replies, 'en')).toEqual(['purchasedPlan']);
    replies = await chat.send(button(replies, label('purchasedPlan', 'none', 'en')).press(chat.client));
    expect(chat.log.routeIds()).toEqual(['azure/signatureCloudSupport']);
    replies = await chat.send(button(replies, questionNames.tier.en).press(chat.client));
    expect(questionsAsked(replies, 'en')).toEqual(['tier']);
    await playPath(chat, replies, 'en', [['tier', 'actionPack']], 'signatureNotForActionPack', {
      family: 'azure',
      program: 'advisor',
      purchasedPlan: 'none',
      tier: 'actionPack',
    });
  });

  test('"change" of an answer the route does not depend on is still asked', async () => {
    const chat = new TestChat(client(kind, 'ja-JP'));
    let replies = await chat.say('Intune の問題、CSP の直接パートナーです');
    expect(chat.log.routeIds()).toEqual(['microsoft365/microsoft365NoContract']);
    replies = await chat.submit({ verb: 'changeAnswer', question: 'product' });
    expect(questionsAsked(replies, 'ja')).toEqual(['product']);
    replies = await chat.send(button(replies, label('product', 'office365', 'ja')).press(chat.client));
    expect(chat.log.routeIds()).toEqual([
      'microsoft365/microsoft365NoContract',
      'microsoft365/microsoft365NoContract',
    ]);
    expect(allText(replies)).toContain(label('product', 'office365', 'ja'));
  });

  test('"change" without saying which lists the answers given', async () => {
    const chat = new TestChat(client(kind, 'en-US'));
    await chat.say('Cloud App Security, direct CSP');
    const replies = await chat.submit({ verb: 'changeAnswer' });
    expect(allText(replies)).toContain(text('whichAnswerToChange', 'en'));
    const next = await chat.send(button(replies, questionNames.program.en).press(chat.client));
    expect(questionsAsked(next, 'en')).toEqual(['program']);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Known errors, redirects, facts, severity: from free text and from the welcome card's choices.

describe.each(CLIENTS)('known errors (%s)', (kind) => {
  describe.each(LANGS)('in %s', (lang) => {
    test.each(knowledge.knownErrors.map((error) => ({ id: error.id, error })))(
      'pasting "$id" goes straight to its fix',
      async ({ error }) => {
        const chat = new TestChat(client(kind, LOCALE[lang]));
        const replies = await chat.say(error.message[lang]);
        const shown = allText(replies);
        expect(shown).toContain(error.title[lang]);
        for (const fix of error.fix) expect(shown).toContain(fix[lang]);
        expect(questionsAsked(replies, lang)).toEqual([]);
      },
    );

    test('"I got an error" on the welcome card lists the errors; picking one shows its fix', async () => {
      const chat = new TestChat(client(kind, LOCALE[lang]));
      const welcome = await chat.join();
      const menu = await chat.send(button(welcome, cardMessages.topicKnownError[lang]).press(chat.client));
      const error = knowledge.knownErrors[2];
      const replies = await chat.send(button(menu, error.title[lang]).press(chat.client));
      expect(allText(replies)).toContain(error.fix[0][lang]);
    });
  });
});

describe.each(CLIENTS)('questions that are not technical support (%s)', (kind) => {
  describe.each(LANGS)('in %s', (lang) => {
    test.each(knowledge.redirects.map((redirect) => ({ id: redirect.id, redirect })))(
      '"$id" gets its redirect',
      async ({ redirect }) => {
        const chat = new TestChat(client(kind, LOCALE[lang]));
        const replies = await chat.say(redirect.patterns[lang][0]);
        expect(allText(replies)).toContain(redirect.text[lang]);
        expect(chat.log.routeIds()).toEqual([]);
      },
    );

    test('"Not technical support" on the welcome card lists where to go', async () => {
      const chat = new TestChat(client(kind, LOCALE[lang]));
      const welcome = await chat.join();
      const menu = await chat.send(button(welcome, cardMessages.topicNotTechnical[lang]).press(chat.client));
      const redirect = knowledge.redirects[0];
      const replies = await chat.send(button(menu, redirect.title[lang]).press(chat.client));
      expect(allText(replies)).toContain(redirect.text[lang]);
    });
  });
});

const FACT_QUESTIONS: Record<Lang, string> = {
  en: 'Which competencies count as cloud competencies?',
  ja: 'コンピテンシーの一覧を教えて',
};

describe.each(CLIENTS)('facts (%s)', (kind) => {
  test.each(LANGS)('a fact question gets the fact, and no case starts (%s)', async (lang) => {
    const fact = knowledge.facts.find((entry) => entry.id === 'cloudCompetencies');
    if (!fact) throw new Error('no cloudCompetencies fact');
    const chat = new TestChat(client(kind, LOCALE[lang]));
    const replies = await chat.say(FACT_QUESTIONS[lang]);
    expect(allText(replies)).toContain(fact.text[lang]);
    expect(questionsAsked(replies, lang)).toEqual([]);
  });
});

const FACT_ABOUT_A_FAMILY: Record<Lang, string> = {
  en: 'Is there an OBO process for on-premises products?',
  ja: 'オンプレミス製品に代理 (OBO) のプロセスはありますか',
};

describe.each(CLIENTS)('a fact about a product family (%s)', (kind) => {
  test.each(LANGS)('is answered with the fact, and no case starts (%s)', async (lang) => {
    const fact = knowledge.facts.find((entry) => entry.id === 'noOnBehalfOfOnPremises');
    if (!fact) throw new Error('no noOnBehalfOfOnPremises fact');
    const chat = new TestChat(client(kind, LOCALE[lang]));
    const replies = await chat.say(FACT_ABOUT_A_FAMILY[lang]);
    expect(allText(replies)).toContain(fact.text[lang]);
    expect(questionsAsked(replies, lang)).toEqual([]);
  });
});

const SEVERITY: { name: string; answers: ('yes' | 'no')[]; level: 'A' | 'B' | 'C' }[] = [
  { name: '24x7 and business down → A', answers: ['yes', 'yes'], level: 'A' },
  { name: '24x7, not down, company-wide stop → B', answers: ['yes', 'no', 'yes'], level: 'B' },
  { name: 'business hours, company-wide stop → B', answers: ['no', 'yes'], level: 'B' },
  { name: 'business hours, no company-wide stop → C', answers: ['no', 'no'], level: 'C' },
];

const SEVERITY_PROMPTS: Record<string, ConversationMessageId> = {
  ready24x7: 'severityReady24x7',
  businessDown: 'severityBusinessDown',
  companyWideStop: 'severityCompanyWideStop',
};

function severityQuestionsAsked(replies: BotReplies, lang: Lang): string[] {
  const shown = allText(replies);
  return Object.entries(SEVERITY_PROMPTS)
    .filter(([, id]) => shown.includes(text(id, lang)))
    .map(([question]) => question);
}

describe.each(CLIENTS)('severity helper (%s)', (kind) => {
  describe.each(LANGS)('in %s', (lang) => {
    test.each(SEVERITY)('$name', async ({ answers, level }) => {
      const chat = new TestChat(client(kind, LOCALE[lang]));
      let replies = await chat.say(
        lang === 'en' ? 'Which severity should I choose?' : '重大度はどれを選べばいいですか',
      );
      for (const yesNo of answers) {
        expect(severityQuestionsAsked(replies, lang)).toHaveLength(1);
        replies = await chat.send(button(replies, say(yesNo, lang)).press(chat.client));
      }
      expect(severityQuestionsAsked(replies, lang)).toEqual([]);
      const shown = allText(replies);
      expect(shown).toContain(knowledge.severity.levels.find((entry) => entry.id === level)?.criteria[lang]);
      expect(shown).toContain(knowledge.severity.businessHoursNote[lang]);
      expect(shown).toContain(cardMessages.severityChosen[lang].replace('{level}', level));
    });
  });

  test.each([
    ['en-US', 'business hours only', 'companyWideStop'],
    ['ja-JP', '営業時間だけです', 'companyWideStop'],
    ['en-US', '24/7', 'businessDown'],
    ['ja-JP', '24 時間体制で対応できます', 'businessDown'],
  ])('%s: "%s" answers "ready to work 24x7?" (next: %s)', async (locale, typed, next) => {
    const chat = new TestChat(client(kind, locale));
    await chat.say(locale === 'en-US' ? 'severity' : '重大度');
    const replies = await chat.say(typed);
    expect(severityQuestionsAsked(replies, locale === 'en-US' ? 'en' : 'ja')).toEqual([next]);
  });

  test('from the welcome card, answered by typing, with help and back on the way', async () => {
    const chat = new TestChat(client(kind, 'en-US'));
    const welcome = await chat.join();
    let replies = await chat.send(button(welcome, cardMessages.topicSeverityHelp.en).press(chat.client));
    expect(severityQuestionsAsked(replies, 'en')).toEqual(['ready24x7']);
    replies = await chat.say('help');
    expect(allText(replies)).toContain(text('severityReady24x7Why', 'en'));
    replies = await chat.say('yes');
    expect(severityQuestionsAsked(replies, 'en')).toEqual(['businessDown']);
    replies = await chat.say('back');
    expect(severityQuestionsAsked(replies, 'en')).toEqual(['ready24x7']);
    replies = await chat.say('severity');
    expect(severityQuestionsAsked(replies, 'en')).toEqual(['ready24x7']);
    replies = await chat.say('Yes');
    replies = await chat.say('no');
    expect(severityQuestionsAsked(replies, 'en')).toEqual(['companyWideStop']);
    replies = await chat.say('no');
    expect(allText(replies)).toContain(cardMessages.severityChosen.en.replace('{level}', 'C'));
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Channels: welcome, Teams mentions, and everything reachable again later in the same conversation.

describe('welcome', () => {
  test.each(CLIENTS.flatMap((kind) => LANGS.map((lang) => ({ kind, lang }))))(
    '$kind in $lang: once, in the user language, with the first choices',
    async ({ kind, lang }) => {
      const chat = new TestChat(client(kind, LOCALE[lang]));
      const replies = await chat.join();
      expect(allText(replies)).toContain(knowledge.meta.title[lang]);
      for (const topic of [
        'topicSupportCase',
        'topicSeverityHelp',
        'topicKnownError',
        'topicNotTechnical',
      ] as const) {
        expect(button(replies, cardMessages[topic][lang])).toBeDefined();
      }
      expect(await chat.join()).toEqual([]);
    },
  );
});

describe.each(LANGS)('channels without cards: the welcome is a numbered list (%s)', (lang) => {
  /** A conversation on a channel that shows text only (SMS here; Slack, LINE, email alike). */
  function textOnlyChat() {
    const chat = new TestChat(client('webchat', LOCALE[lang]));
    const sms = <T extends object>(activity: T) => ({ ...activity, channelId: 'sms' });
    return {
      chat,
      join: () => chat.send(sms(joins(chat.client))),
      say: (typed: string) => chat.send(sms(says(chat.client, typed))),
    };
  }

  test('the welcome lists the four topics as text, numbered, with no card', async () => {
    const { join } = textOnlyChat();
    const welcome = await join();
    expect(welcome.every((reply) => !reply.attachments?.length)).toBe(true);
    const shown = allText(welcome);
    const topics = ['topicSupportCase', 'topicSeverityHelp', 'topicKnownError', 'topicNotTechnical'] as const;
    topics.forEach((topic, index) => expect(shown).toContain(`${index + 1}. ${cardMessages[topic][lang]}`));
  });

  test('the short answer ends with how to see every step, and typing that word shows them all', async () => {
    const { join, say: typed } = textOnlyChat();
    await join();
    const answers: Answers = { family: 'azure', program: 'cspDirect', purchasedPlan: 'none' };
    let replies = await typed('1');
    for (let turn = 0; turn < 5; turn += 1) {
      const [asked] = questionsAsked(replies, lang);
      if (!asked) break;
      const option = answers[asked as keyof Answers];
      if (!option) throw new Error(`unexpected question ${asked}`);
      replies = await typed(label(asked, option, lang));
    }
    const outcome = route(answers, lang, knowledge);
    if (outcome.kind !== 'route') throw new Error('expected a route');
    expect(allText(replies)).toContain(outcome.plan.name);
    const word = lang === 'ja' ? '手順' : 'steps';
    expect(allText(replies)).toContain(lang === 'ja' ? `「${word}」` : `"${word}"`);
    const all = allText(await typed(word));
    outcome.steps.forEach((step) => expect(all).toContain(step.text));
  });

  test("typing a topic's number opens it: 1 a case, 2 the severity helper", async () => {
    const first = textOnlyChat();
    await first.join();
    expect(questionsAsked(await first.say('1'), lang)).toEqual(['family']);
    const second = textOnlyChat();
    await second.join();
    expect(severityQuestionsAsked(await second.say('2'), lang)).toEqual(['ready24x7']);
  });

  test('3 lists the known errors as numbers, and a number shows that fix', async () => {
    const { join, say: typed } = textOnlyChat();
    await join();
    const menu = await typed('3');
    knowledge.knownErrors.forEach((error, index) =>
      expect(allText(menu)).toContain(`${index + 1}. ${error.title[lang]}`),
    );
    const replies = await typed('4');
    expect(allText(replies)).toContain(knowledge.knownErrors[3].fix[0][lang]);
    expect(questionsAsked(replies, lang)).toEqual([]);
  });

  test('4 lists where questions that are not technical support go, and a number shows one', async () => {
    const { join, say: typed } = textOnlyChat();
    await join();
    const menu = await typed('4');
    knowledge.redirects.forEach((redirect, index) =>
      expect(allText(menu)).toContain(`${index + 1}. ${redirect.title[lang]}`),
    );
    expect(allText(await typed('2'))).toContain(knowledge.redirects[1].text[lang]);
  });

  test("typing a topic's name opens it, in either language", async () => {
    // A topic typed in the other language may be answered in the language the partner wrote it in.
    for (const [topic, shows] of [
      [
        'topicSupportCase',
        (replies: BotReplies, shownIn: Lang) => questionsAsked(replies, shownIn).join() === 'family',
      ],
      [
        'topicSeverityHelp',
        (replies: BotReplies, shownIn: Lang) => severityQuestionsAsked(replies, shownIn).length === 1,
      ],
      [
        'topicKnownError',
        (replies: BotReplies, shownIn: Lang) =>
          allText(replies).includes(knowledge.knownErrors[0].title[shownIn]),
      ],
      [
        'topicNotTechnical',
        (replies: BotReplies, shownIn: Lang) =>
          allText(replies).includes(knowledge.redirects[0].title[shownIn]),
      ],
    ] as const) {
      for (const typedIn of LANGS) {
        const { join, say: typed } = textOnlyChat();
        await join();
        const replies = await typed(cardMessages[topic][typedIn]);
        expect(shows(replies, lang) || shows(replies, typedIn), `${topic} typed in ${typedIn}`).toBe(true);
      }
    }
  });

  test('each question lists its options numbered in the text, and typing a number answers it', async () => {
    const { chat, join, say: typed } = textOnlyChat();
    await join();
    const numbered = (options: { label: Record<Lang, string> }[]) =>
      options.map((option, index) => `${index + 1}. ${option.label[lang]}`);
    let replies = await typed('1');
    for (const line of numbered(knowledge.questions.family.options)) expect(allText(replies)).toContain(line);
    replies = await typed('3');
    expect(questionsAsked(replies, lang)).toEqual(['product']);
    const dynamics = knowledge.questions.product.options.filter((option) => option.family === 'dynamics365');
    for (const line of numbered(dynamics)) expect(allText(replies)).toContain(line);
    replies = await typed(String(dynamics.findIndex((option) => option.id === 'businessCentral') + 1));
    expect(questionsAsked(replies, lang)).toEqual(['program']);
    for (const line of numbered(knowledge.questions.program.options))
      expect(allText(replies)).toContain(line);
    replies = await typed('4');
    replies = await typed('3');
    expect(chat.log.routeIds()).toEqual(['dynamics365/premierSupportForPartners']);
    expect(allText(replies)).toContain(label('product', 'businessCentral', lang));
  });

  test('the result says how to change an answer; "change" lists them numbered; a number picks one', async () => {
    const { chat, say: typed } = textOnlyChat();
    let replies = await typed('Cloud App Security, direct CSP');
    expect(chat.log.routeIds()).toEqual(['cloudAppSecurity/professionalNoCharge']);
    expect(replies.every((reply) => !reply.attachments?.length)).toBe(true);
    expect(allText(replies)).toContain(cardMessages.outcomeCommands[lang]);
    replies = await typed(WORDS.change[lang]);
    const names = [questionNames.family, questionNames.product, questionNames.program];
    names.forEach((name, index) => expect(allText(replies)).toContain(`${index + 1}. ${name[lang]}`));
    replies = await typed('3');
    expect(questionsAsked(replies, lang)).toEqual(['program']);
    const help = await typed(WORDS.help[lang]);
    expect(allText(help)).not.toMatch(lang === 'en' ? /\bcard\b/ : /カード/);
  });

  test('a number means nothing once the list is no longer the last thing shown', async () => {
    const { join, say: typed } = textOnlyChat();
    await join();
    await typed('help');
    expect(severityQuestionsAsked(await typed('2'), lang)).toEqual([]);
  });
});

describe('the conversation language comes from the one locale rule', () => {
  test.each([
    ['jam', 'en'],
    ['jv-ID', 'en'],
    ['ja_JP', 'ja'],
    ['JA', 'ja'],
  ] as const)('a conversation with locale %s is welcomed and answered in %s', async (locale, lang) => {
    const chat = new TestChat(client('webchat', locale));
    expect(allText(await chat.join())).toContain(knowledge.meta.title[lang]);
    expect(questionsAsked(await chat.say('Azure'), lang)).toEqual(['program']);
  });
});

describe('Teams channels and group chats', () => {
  test.each(['teamsChannel', 'teamsGroupChat'] as const)(
    '%s: silent unless mentioned; the mention is stripped',
    async (kind) => {
      const chat = new TestChat(client(kind, 'en-US'));
      expect(await chat.say('Azure', { mention: false })).toEqual([]);
      let replies = await chat.say('Azure', { mention: true });
      expect(questionsAsked(replies, 'en')).toEqual(['program']);
      replies = await chat.say('help', { mention: true });
      expect(allText(replies)).toContain(text('intro', 'en'));
      await playPath(
        chat,
        replies,
        'en',
        [
          ['program', 'advisor'],
          ['purchasedPlan', 'psfp'],
        ],
        'azure/premierSupportForPartners',
        {
          family: 'azure',
          program: 'advisor',
          purchasedPlan: 'psfp',
        },
      );
    },
  );
});

describe('everything stays reachable later in the same conversation', () => {
  test.each(CLIENTS)('%s: case, then a known error, then severity, then another case', async (kind) => {
    const chat = new TestChat(client(kind, 'ja-JP'));
    await chat.say('Intune の問題、CSP の直接パートナーです');
    const code8 = knowledge.knownErrors.find((error) => error.id === 'code8');
    if (!code8) throw new Error('no code8 error');
    let replies = await chat.say(code8.message.ja);
    expect(allText(replies)).toContain(code8.fix[0].ja);
    replies = await chat.say('重大度の選び方');
    expect(severityQuestionsAsked(replies, 'ja')).toEqual(['ready24x7']);
    replies = await chat.say('はい');
    replies = await chat.say('はい');
    expect(allText(replies)).toContain(cardMessages.severityChosen.ja.replace('{level}', 'A'));
    await chat.say('オンプレミス、ゴールド、最新の 2 バージョン');
    expect(chat.log.routeIds()).toEqual([
      'microsoft365/microsoft365NoContract',
      'onPremises/partnerSupportCoreBenefit',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The dialogs on their own, through DialogTestClient: constructor injection and the results they end with.

function dialogDeps() {
  const conversationState = new ConversationState(new MemoryStorage());
  const memory = new ConversationMemory(conversationState);
  return { conversationState, deps: { knowledge, memory, replies: new Replies(knowledge) } };
}

describe('dialogs on their own (DialogTestClient)', () => {
  test('CaseDialog with every answer known ends at once with the route and the answers', async () => {
    const { conversationState, deps } = dialogDeps();
    const answers: Answers = { family: 'onPremises', tier: 'gold', version: 'current' };
    const dialog = new CaseDialog(deps);
    const tester = new DialogTestClient('emulator', dialog, { answers }, [], conversationState);
    const reply = (await tester.sendActivity('hi')) as Partial<Activity>;
    expect(allText([reply])).toContain(cardMessages.resultTitle.en);
    expect(tester.dialogTurnResult.status).toBe(DialogTurnStatus.complete);
    expect(tester.dialogTurnResult.result).toEqual({
      kind: 'route',
      outcomeId: 'onPremises/partnerSupportCoreBenefit',
      answers,
      answered: ['family', 'tier', 'version'],
    });
  });

  test('SeverityDialog pre-filled from a card asks only what is left', async () => {
    const { conversationState, deps } = dialogDeps();
    const tester = new DialogTestClient(
      'msteams',
      new SeverityDialog(deps),
      { situation: { ready24x7: false } },
      [],
      conversationState,
    );
    const intro = (await tester.sendActivity('start')) as Partial<Activity>;
    expect(allText([intro])).toContain(text('severityIntro', 'en'));
    const question = tester.getNextReply() as Partial<Activity>;
    expect(allText([question])).toContain(text('severityCompanyWideStop', 'en'));
    await tester.sendActivity({ type: 'message', value: { verb: 'severity', companyWideStop: true } });
    expect(tester.dialogTurnResult.status).toBe(DialogTurnStatus.complete);
    expect(tester.dialogTurnResult.result).toEqual({ level: 'B' });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// What the dialogs do with each part of the one interpretation of a message. `given` says how some messages are
// read (as src/understand reads them, or will); the rest go through interpret(). Asserted: what the partner sees.

/** A conversation with the main dialog (botbuilder-testing), where some messages are read as `given` says. */
class GivenChat {
  readonly routeIds: string[] = [];
  private readonly tester: DialogTestClient;

  constructor(
    private readonly lang: Lang,
    given: Record<string, Partial<Interpretation>> = {},
  ) {
    const { conversationState, deps } = dialogDeps();
    const withGiven: DialogDeps = {
      ...deps,
      // A given reading is in no language unless it says so (its text is only a name for it).
      interpret: (text, context, known) =>
        text in given
          ? { ...interpret(text, context, known), language: undefined, ...given[text] }
          : interpret(text, context, known),
    };
    const main = new MainDialog(withGiven, new CaseDialog(withGiven), new SeverityDialog(withGiven));
    // the bot runs them at the root of the stack; the test client takes one dialog
    const conversation = new ComponentDialog('conversation');
    for (const dialog of main.dialogsAtRoot) conversation.addDialog(dialog);
    this.tester = new DialogTestClient('emulator', conversation, undefined, [], conversationState);
  }

  async send(activity: Partial<Activity>): Promise<BotReplies> {
    const replies: BotReplies = [];
    for (
      let reply = (await this.tester.sendActivity({
        type: 'message',
        locale: LOCALE[this.lang],
        ...activity,
      } as Activity)) as Partial<Activity> | undefined;
      reply;
      reply = this.tester.getNextReply() as Partial<Activity> | undefined
    ) {
      replies.push(reply);
    }
    return replies;
  }

  say(text: string): Promise<BotReplies> {
    return this.send({ text });
  }

  press(replies: BotReplies, title: string): Promise<BotReplies> {
    const { text, value } = button(replies, title).press(client('emulator', LOCALE[this.lang]));
    return this.send({ text, value });
  }
}

const optionLabel = (question: QuestionId, option: string, lang: Lang) =>
  `${questionNames[question][lang]}: ${label(question, option, lang)}`;

describe.each(LANGS)('dialogs act on the interpretation (%s)', (lang) => {
  /** An Azure case as an advisor with no plan bought, stopped at the MPN level question. */
  async function atTierQuestion(given: Record<string, Partial<Interpretation>>) {
    const chat = new GivenChat(lang, {
      opening: { answers: { family: 'azure', program: 'advisor', purchasedPlan: 'none' } },
      ...given,
    });
    const replies = await chat.say('opening');
    expect(questionsAsked(replies, lang)).toEqual(['tier']);
    return chat;
  }

  test('a denied option never answers: it is said back and the question asked again', async () => {
    const chat = await atTierQuestion({
      'not gold': { answers: { tier: 'gold' }, negated: { tier: ['gold'] } },
    });
    const replies = await chat.say('not gold');
    // the option with the question it answers: "Noted: not Gold (MPN level)."
    const gold = say('deniedAnswer', lang, {
      option: label('tier', 'gold', lang),
      question: questionNames.tier[lang],
    });
    expect(allText(replies)).toContain(say('notThat', lang, { answers: gold }));
    expect(allText(replies)).not.toContain(text('retryChoice', lang));
    expect(questionsAsked(replies, lang)).toEqual(['tier']);
  });

  test('a question about an option is explained, never taken: the question is asked again', async () => {
    const chat = await atTierQuestion({
      'what is gold?': { askedAbout: [{ slot: 'tier', option: 'gold' }] },
    });
    const replies = await chat.say('what is gold?');
    const shown = allText(replies);
    expect(shown).toContain(label('tier', 'gold', lang));
    const gold = knowledge.questions.tier.options.find((option) => option.id === 'gold');
    expect(shown).toContain(gold?.explain?.[lang] ?? knowledge.questions.tier.why[lang]);
    expect(shown).not.toContain(text('retryChoice', lang));
    expect(questionsAsked(replies, lang)).toEqual(['tier']);
  });

  test('a correction during the case replaces the earlier answer', async () => {
    const chat = await atTierQuestion({
      'actually direct CSP': { answers: { program: 'cspDirect' }, corrections: { program: 'cspDirect' } },
    });
    const replies = await chat.say('actually direct CSP');
    expect(allText(replies)).toContain(
      say('noted', lang, { answers: optionLabel('program', 'cspDirect', lang) }),
    );
    expect(allText(replies)).toContain(
      knowledge.plans.find((plan) => plan.id === 'cloudSolutionProvider')?.name[lang],
    );
  });

  test('a correction after the card rebuilds the same case with the corrected answer', async () => {
    const chat = await atTierQuestion({
      silver: { answers: { tier: 'silver' } },
      'actually gold': { answers: { tier: 'gold' }, corrections: { tier: 'gold' } },
    });
    let replies = await chat.say('silver');
    replies = await chat.press(replies, label('competency', 'other', lang));
    expectOutcomeCard(
      replies,
      { family: 'azure', program: 'advisor', purchasedPlan: 'none', tier: 'silver', competency: 'other' },
      lang,
    );
    replies = await chat.say('actually gold');
    expect(allText(replies)).toContain(text('correctingCase', lang));
    expect(questionsAsked(replies, lang)).toEqual([]);
    expectOutcomeCard(
      replies,
      { family: 'azure', program: 'advisor', purchasedPlan: 'none', tier: 'gold', competency: 'other' },
      lang,
    );
  });

  test('a name the knowledge does not place: said so, and the family asked (no guess)', async () => {
    const chat = new GivenChat(lang, { 'Entra ID issue': { unrecognised: ['Entra ID'] } });
    const replies = await chat.say('Entra ID issue');
    expect(allText(replies)).toContain(say('notRecognised', lang, { names: 'Entra ID' }));
    expect(questionsAsked(replies, lang)).toEqual(['family']);
  });

  test('"Sev B?" shows severity B without asking what it already knows', async () => {
    const chat = new GivenChat(lang, {
      'Sev B?': { intent: { kind: 'severityHelp' }, severity: { level: 'B' } },
    });
    const replies = await chat.say('Sev B?');
    expect(allText(replies)).toContain(cardMessages.severityChosen[lang].replace('{level}', 'B'));
    expect(severityQuestionsAsked(replies, lang)).toEqual([]);
  });

  test('"business hours only" said in a case is not asked again by the severity helper', async () => {
    const chat = await atTierQuestion({
      'business hours only': { intent: { kind: 'none' }, severity: { aroundTheClock: false } },
    });
    let replies = await chat.say('business hours only');
    expect(allText(replies)).toContain(text('severityNoted', lang));
    expect(questionsAsked(replies, lang)).toEqual(['tier']);
    replies = await chat.say(WORDS.severity[lang]);
    expect(severityQuestionsAsked(replies, lang)).toEqual(['companyWideStop']);
  });

  test('"not sure" gets what the question means and its options, then the question; twice: help and the menu', async () => {
    const chat = await atTierQuestion({ 'not sure': { intent: { kind: 'notSure' } } });
    let replies = await chat.say('not sure');
    expect(allText(replies)).toContain(knowledge.questions.tier.why[lang]);
    expect(allText(replies)).not.toContain(text('retryChoice', lang));
    expect(questionsAsked(replies, lang)).toEqual(['tier']);
    replies = await chat.say('not sure');
    expect(allText(replies)).toContain(text('twoMisses', lang));
    expect(allText(replies)).toContain(knowledge.meta.title[lang]);
  });

  test('the bot answers in the language the partner writes, unless they asked for one', async () => {
    const other: Lang = lang === 'en' ? 'ja' : 'en';
    const writing = new GivenChat(lang, { 'Azure case': { language: other, answers: { family: 'azure' } } });
    expect(questionsAsked(await writing.say('Azure case'), other)).toEqual(['program']);

    const chosen = new GivenChat(lang, { 'Azure case': { language: other, answers: { family: 'azure' } } });
    await chosen.say(lang === 'en' ? 'English please' : '日本語で');
    expect(questionsAsked(await chosen.say('Azure case'), lang)).toEqual(['program']);
  });

  test('"switch language, and here is my case" switches and starts the case in that language', async () => {
    const other: Lang = lang === 'en' ? 'ja' : 'en';
    const chat = new GivenChat(lang, {
      'switch, Azure': { intent: { kind: 'switchLanguage', lang: other }, answers: { family: 'azure' } },
    });
    const replies = await chat.say('switch, Azure');
    expect(allText(replies)).toContain(text('languageSwitched', other));
    expect(questionsAsked(replies, other)).toEqual(['program']);
  });

  test('asking for a person: where people answer, and the question again', async () => {
    const chat = await atTierQuestion({ 'a human please': { intent: { kind: 'handoff' } } });
    const replies = await chat.say('a human please');
    expect(allText(replies)).toContain(text('humanHelp', lang));
    const window = knowledge.redirects.find((redirect) => redirect.id === 'programSupport');
    expect(allText(replies)).toContain(window?.text[lang]);
    expect(questionsAsked(replies, lang)).toEqual(['tier']);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// End to end through the bot: what today's understanding reads, and what the dialogs do with it.

const FACT_WITH_A_TIER: Record<Lang, string> = {
  en: 'We are Gold. How many incidents do we get?',
  ja: 'ゴールドです。インシデント数はいくつですか',
};

describe.each(CLIENTS)('end to end (%s)', (kind) => {
  describe.each(LANGS)('in %s', (lang) => {
    test('a fact question is answered at once, then a case filled with what was said is offered', async () => {
      const fact = knowledge.facts.find((entry) => entry.id === 'incidentsByTier');
      if (!fact) throw new Error('no incidentsByTier fact');
      const chat = new TestChat(client(kind, LOCALE[lang]));
      let replies = await chat.say(FACT_WITH_A_TIER[lang]);
      expect(allText(replies)).toContain(fact.text[lang]);
      // Tailored to the level named: Gold has 20 on-premises incidents, and 10 Signature ones without a cloud competency.
      const incidents = (count: number) =>
        knowledge.entitlements.incidents[lang].replace('{count}', `${count}`);
      const cloud = say('byCompetency', lang, { cloud: text('unlimited', lang), other: incidents(10) });
      expect(allText(replies)).toContain(
        say('incidentsForTier', lang, {
          tier: label('tier', 'gold', lang),
          onPremises: incidents(20),
          cloud,
        }),
      );
      expect(questionsAsked(replies, lang)).toEqual([]);
      expect(allText(replies)).toContain(
        say('continueWithCase', lang, { answers: optionLabel('tier', 'gold', lang) }),
      );
      replies = await chat.send(button(replies, text('continueCase', lang)).press(chat.client));
      expect(questionsAsked(replies, lang)).toEqual(['family']);
      replies = await chat.send(button(replies, label('family', 'onPremises', lang)).press(chat.client));
      // The tier was said with the question: it is not asked.
      expect(questionsAsked(replies, lang)).toEqual(['version']);
    });

    test('the same fact question in the middle of a case: the fact, the level taken, the question again', async () => {
      const { chat } = await atProgramQuestion(kind, lang);
      let replies = await chat.say(FACT_WITH_A_TIER[lang]);
      expect(allText(replies)).toContain(say('noted', lang, { answers: optionLabel('tier', 'gold', lang) }));
      expect(questionsAsked(replies, lang)).toEqual(['program']);
      replies = await chat.send(button(replies, label('program', 'advisor', lang)).press(chat.client));
      replies = await chat.send(button(replies, label('purchasedPlan', 'none', lang)).press(chat.client));
      expect(questionsAsked(replies, lang)).toEqual(['competency']);
    });

    test('two messages in a row that answer nothing: help and the menu instead of the same question', async () => {
      const { chat } = await atProgramQuestion(kind, lang);
      let replies = await chat.say('banana');
      expect(allText(replies)).toContain(text('retryChoice', lang));
      replies = await chat.say('banana');
      const shown = allText(replies);
      expect(shown).not.toContain(text('retryChoice', lang));
      expect(shown).toContain(text('twoMisses', lang));
      expect(shown).toContain(knowledge.questions.program.why[lang]);
      expect(shown).toContain(cardMessages.topicSupportCase[lang]);
      // The question is still open: its answer is taken.
      replies = await chat.say(label('program', 'cspDirect', lang));
      expect(questionsAsked(replies, lang)).toEqual(['purchasedPlan']);
    });

    test('a picture with no words gets a hint that the bot reads text; a case goes on', async () => {
      const picture = (chat: TestChat) =>
        chat.send({
          ...says(chat.client, ''),
          text: undefined,
          attachments: [{ contentType: 'image/png', contentUrl: 'https://example.com/screenshot.png' }],
        });
      const chat = new TestChat(client(kind, LOCALE[lang]));
      let replies = await picture(chat);
      expect(allText(replies)).toContain(text('textOnly', lang));
      replies = await chat.say('Azure');
      expect(questionsAsked(replies, lang)).toEqual(['program']);
      replies = await picture(chat);
      expect(allText(replies)).toContain(text('textOnly', lang));
      expect(questionsAsked(replies, lang)).toEqual(['program']);
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// End to end, as partners write: each kind of message of issue 11, read by interpret() and acted on by the dialogs.

interface Written {
  name: string;
  /** What the partner writes, in each language. */
  says: Record<Lang, string[]>;
  /** What they must see after the last message. */
  sees: (replies: BotReplies, lang: Lang, chat: TestChat) => void;
}

const AS_PARTNERS_WRITE: Written[] = [
  {
    name: 'a denied plan is never taken: the plan question is asked',
    says: {
      en: ['Azure, advisor. We have no Premier contract'],
      ja: ['Azure、アドバイザーです。プレミア契約なし'],
    },
    // No contract at all (the one reading left) or the plan asked again; never Premier.
    sees: (replies, lang, chat) => {
      expect(chat.log.routeIds()).toEqual([]);
      expect([['purchasedPlan'], ['tier']]).toContainEqual(questionsAsked(replies, lang));
    },
  },
  {
    name: 'a denied plan at the plan question is said back, and the question asked again',
    says: {
      en: ['Azure, advisor', "we didn't buy ASfP"],
      ja: ['Azure、アドバイザーです', 'ASfP は持っていません'],
    },
    sees: (replies, lang, chat) => {
      expect(chat.log.routeIds()).not.toContain('azure/advancedSupportForPartners');
      expect(allText(replies)).not.toContain(text('retryChoice', lang));
    },
  },
  {
    name: 'a question about an option at its question is explained, and the question asked again',
    says: { en: ['Azure, advisor', "what's PSfP?"], ja: ['Azure、アドバイザーです', 'PSfP って何?'] },
    sees: (replies, lang) => {
      expect(allText(replies)).toContain(label('purchasedPlan', 'psfp', lang));
      expect(allText(replies)).not.toContain(text('retryChoice', lang));
      expect(questionsAsked(replies, lang)).toEqual(['purchasedPlan']);
    },
  },
  {
    name: 'a correction after the card rebuilds the same case',
    says: {
      en: ['Cloud App Security, direct CSP', 'actually we are an advisor'],
      ja: ['Cloud App Security、CSP 直接です', 'すみません、アドバイザーでした'],
    },
    sees: (replies, lang, chat) => {
      expect(allText(replies)).toContain(text('correctingCase', lang));
      expect(chat.log.routeIds()).toHaveLength(2);
    },
  },
  {
    name: 'a correction after the card that adds an answer the route does not use keeps the case',
    says: {
      en: ['Cloud App Security, direct CSP', 'actually we are Gold'],
      ja: ['Cloud App Security、CSP 直接です', '実はゴールドでした'],
    },
    sees: (replies, lang, chat) => {
      expect(allText(replies)).toContain(text('correctingCase', lang));
      const [first, second] = chat.log.routeIds();
      expect(second).toBe(first);
      expect(questionsAsked(replies, lang)).toEqual([]);
    },
  },
  {
    name: 'a correction after the card that names no one answer asks that answer again, keeping the rest',
    says: {
      en: ['Azure, advisor, no plan, Silver, other competency', "actually we're a CSP partner", 'CSP direct'],
      ja: [
        'Azure、アドバイザー、購入していない、シルバー、その他のコンピテンシー',
        '実は CSP でした',
        'CSP 直接',
      ],
    },
    sees: (_replies, lang, chat) => {
      // the product and the plan were kept: the direct CSP answer was the one question left
      const cspCase = route(
        { family: 'azure', program: 'cspDirect', purchasedPlan: 'none' },
        lang,
        knowledge,
      );
      expect(cspCase.kind).toBe('route');
      expect(chat.log.routeIds()).toEqual(['azure/signatureCloudSupport', 'id' in cspCase && cspCase.id]);
    },
  },
  {
    name: 'an earlier answer taken back at a later question is asked again, never kept',
    says: {
      en: ['Azure, advisor', 'sorry, we are not an advisor'],
      ja: ['Azure、アドバイザーです', 'すみません、アドバイザーではありません'],
    },
    sees: (replies, lang, chat) => {
      expect(allText(replies)).toContain(say('changingAnswer', lang, { name: questionNames.program[lang] }));
      expect(questionsAsked(replies, lang)).toEqual(['program']);
      expect(chat.log.routeIds()).toEqual([]);
    },
  },
  {
    name: 'an error the bot does not know, as the first message: said so, and the case asked from the start',
    says: {
      en: ['AADSTS50020: User account from identity provider does not exist in tenant'],
      ja: ['AADSTS50020: ユーザー アカウントがテナントに存在しません'],
    },
    sees: (replies, lang) => {
      expect(allText(replies)).toContain(text('nothingRecognised', lang));
      expect(questionsAsked(replies, lang)).toEqual(['family']);
    },
  },
  {
    name: 'a name the knowledge does not place: said so, and the family asked',
    says: { en: ['Entra ID problem for my customer'], ja: ['Entra ID の問題です'] },
    sees: (replies, lang) => {
      expect(allText(replies)).toContain('Entra ID');
      expect(questionsAsked(replies, lang)).toEqual(['family']);
    },
  },
  {
    name: 'business hours said in the case are not asked again by the severity helper',
    says: {
      en: ['Azure, direct CSP. We work business hours only', 'severity'],
      ja: ['Azure、CSP 直接です。営業時間内のみ対応です', '重大度'],
    },
    sees: (replies, lang) => expect(severityQuestionsAsked(replies, lang)).toEqual(['companyWideStop']),
  },
  {
    name: '"not sure" at the competency question: what counts, then the question again',
    says: {
      en: ['Azure, advisor, no plan, Gold', 'not sure'],
      ja: ['Azure、アドバイザー、購入していない、ゴールド', 'わからない'],
    },
    sees: (replies, lang) => {
      expect(allText(replies)).toContain(knowledge.questions.competency.why[lang]);
      expect(questionsAsked(replies, lang)).toEqual(['competency']);
    },
  },
];

describe.each(CLIENTS)('as partners write (%s)', (kind) => {
  describe.each(LANGS)('in %s', (lang) => {
    test.each(AS_PARTNERS_WRITE)('$name', async ({ says: written, sees }) => {
      const chat = new TestChat(client(kind, LOCALE[lang]));
      let replies: BotReplies = [];
      for (const message of written[lang]) replies = await chat.say(message);
      sees(replies, lang, chat);
    });
  });
});

type Destination = { knownError: string } | { redirect: string } | 'case';

/** Paraphrased errors, questions that belong elsewhere, and the technical cases that look like them. */
const WHERE_IT_BELONGS: { name: string; says: Record<Lang, string>; goesTo: Destination }[] = [
  {
    name: 'an access ID tied to another user, in other words',
    says: { en: 'the access ID is tied to another user', ja: 'ID がほかのアカウントで使われている' },
    goesTo: { knownError: 'accessIdAlreadyAssociated' },
  },
  {
    name: 'a contract missing from the list, in other words',
    says: { en: "my contract isn't listed after adding it", ja: '契約が一覧に出ない' },
    goesTo: { knownError: 'contractNotShown' },
  },
  {
    name: 'presales help',
    says: { en: 'architecture guidance before we pitch', ja: 'PoC 環境の設計を手伝ってほしい' },
    goesTo: { redirect: 'presales' },
  },
  {
    name: 'a program or licensing matter',
    says: { en: 'our MPN membership renewal', ja: 'ライセンスの有効化ができない' },
    goesTo: { redirect: 'programSupport' },
  },
  {
    name: 'a technical problem that looks like deployment help is a case',
    says: {
      en: 'Azure VM deployment fails with an error for my CSP customer',
      ja: 'CSP の顧客の Azure で VM のデプロイが失敗します',
    },
    goesTo: 'case',
  },
];

describe.each(LANGS)('each message reaches the right place (%s)', (lang) => {
  test.each(WHERE_IT_BELONGS)('$name', async ({ says: written, goesTo }) => {
    const chat = new TestChat(client('webchat', LOCALE[lang]));
    const replies = await chat.say(written[lang]);
    const shown = allText(replies);
    if (goesTo === 'case') {
      expect(questionsAsked(replies, lang).length + chat.log.routeIds().length).toBeGreaterThan(0);
      for (const redirect of knowledge.redirects) expect(shown).not.toContain(redirect.text[lang]);
    } else if ('knownError' in goesTo) {
      const error = knowledge.knownErrors.find((entry) => entry.id === goesTo.knownError);
      expect(shown).toContain(error?.fix[0][lang]);
      expect(questionsAsked(replies, lang)).toEqual([]);
    } else {
      const redirect = knowledge.redirects.find((entry) => entry.id === goesTo.redirect);
      expect(shown).toContain(redirect?.text[lang]);
      expect(chat.log.routeIds()).toEqual([]);
    }
  });
});

describe('the language the partner writes in', () => {
  test('Japanese typed on an English client is answered in Japanese', async () => {
    const chat = new TestChat(client('webchat', 'en-US'));
    expect(questionsAsked(await chat.say('Azure の件です'), 'ja')).toEqual(['program']);
  });

  test('"日本語でお願いします。Azure の件です" switches and goes on with the Azure case', async () => {
    const chat = new TestChat(client('teamsPersonal', 'en-US'));
    const replies = await chat.say('日本語でお願いします。Azure の件です');
    expect(allText(replies)).toContain(text('languageSwitched', 'ja'));
    expect(questionsAsked(replies, 'ja')).toEqual(['program']);
  });

  test('a language asked for stays, whatever the partner writes next', async () => {
    const chat = new TestChat(client('webchat', 'ja-JP'));
    await chat.say('English please');
    expect(questionsAsked(await chat.say('Azure の件です'), 'en')).toEqual(['program']);
  });
});
