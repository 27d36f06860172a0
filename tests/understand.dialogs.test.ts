import { describe, expect, it } from 'vitest';
import type { Activity } from 'botbuilder';
import { getKnowledge } from '../src/knowledge/load';
import { QuestionId, type Lang } from '../src/knowledge/schema';
import { cardMessages } from '../src/messages/cards';
import { say } from '../src/messages/conversation';
import { client } from './helpers/channels';
import { TestChat } from './helpers/chat';
import { adaptiveCards, allText } from './helpers/replies';

/**
 * What a partner types reaches the answer: conversations through the production bot (dialogs, interpretation,
 * cards), where the partner types their case and answers each question in their own words.
 */

const knowledge = getKnowledge();
const LOCALE: Record<Lang, string> = { en: 'en-US', ja: 'ja-JP' };

type Replies = Partial<Activity>[];

function questionsAsked(replies: Replies, lang: Lang): QuestionId[] {
  const text = allText(replies);
  return QuestionId.options.filter((question) => text.includes(knowledge.questions[question].prompt[lang]));
}

/** Types the opening, then answers each question the bot asks with the words given for it, up to the card. */
async function typedCase(
  lang: Lang,
  opening: string,
  typed: Partial<Record<QuestionId, string>> = {},
): Promise<{ chat: TestChat; card: Replies }> {
  const chat = new TestChat(client('webchat', LOCALE[lang]));
  await chat.join();
  let replies = await chat.say(opening);
  for (let turn = 0; turn < 8; turn++) {
    const asked = questionsAsked(replies, lang);
    if (asked.length === 0) break;
    const words = typed[asked[0]];
    if (!words) throw new Error(`the bot asked ${asked[0]}, which the test did not expect`);
    replies = await chat.say(words);
  }
  expect(allText(replies)).toContain(cardMessages.resultTitle[lang]);
  return { chat, card: replies };
}

/** The problem description the card prepares for the partner to copy into the request. */
function problemTemplate(card: Replies): string {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const entry = node as Record<string, unknown>;
      if (entry.id === 'problemDescription' && typeof entry.value === 'string') found.push(entry.value);
      Object.values(entry).forEach(walk);
    }
  };
  walk(adaptiveCards(card));
  return found.join('\n');
}

describe('the card names what the partner named (issue 12 item 8)', () => {
  it('an on-premises product and version typed in English: on the card and in the problem template', async () => {
    const { chat, card } = await typedCase(
      'en',
      'Our SQL Server 2012 on-premises cluster keeps failing, we are a Gold partner',
      { version: 'it is an older version', signIn: 'Microsoft account' },
    );
    expect(chat.log.routeIds().at(-1)).toBe('onPremises/payPerIncident');
    expect(allText(card)).toContain('SQL Server 2012');
    expect(problemTemplate(card)).toMatch(/SQL Server 2012/);
  });

  it('an on-premises product and version typed in Japanese: on the card and in the problem template', async () => {
    const { card } = await typedCase('ja', 'オンプレミスの Exchange 2019 で障害です。シルバーです', {
      version: '最新の 2 バージョン',
    });
    expect(allText(card)).toContain('Exchange 2019');
    expect(problemTemplate(card)).toMatch(/Exchange 2019/);
  });

  for (const [lang, opening] of [
    ['en', 'Intune policies fail for a customer, we are an advisor partner'],
    ['ja', 'Intune のポリシーが適用されません。アドバイザーです'],
  ] as [Lang, string][]) {
    it(`the Microsoft 365 product typed (${lang}): the card says to select Intune, not the whole list`, async () => {
      const { chat, card } = await typedCase(lang, opening);
      expect(chat.log.routeIds().at(-1)).toBe('microsoft365/microsoft365NoContract');
      const text = allText(card);
      expect(text).toMatch(lang === 'en' ? /Select Microsoft Intune/ : /Microsoft Intune/);
      expect(text).not.toMatch(/Office 365, EMS, Intune/);
    });
  }

  it('the Dynamics 365 app typed: the card names it and its portal', async () => {
    const { card } = await typedCase(
      'ja',
      'Dynamics 365 Sales で問題があります。アドバイザーで、ASfP を購入済みです',
    );
    const text = allText(card);
    expect(text).toContain('Dynamics 365 Sales');
    expect(text).toContain('Power Platform');
  });
});

describe("the wrong-currency problem typed in the partner's words reaches its known error and the fix", () => {
  const wrongCurrency = knowledge.knownErrors.find((error) => error.id === 'wrongCurrency')!;

  for (const [lang, text] of [
    ['en', 'prices are shown in dollars instead of yen'],
    ['ja', '価格が円ではなくドルで表示される'],
  ] as [Lang, string][]) {
    it(`${lang}: "${text}"`, async () => {
      const chat = new TestChat(client('webchat', LOCALE[lang]));
      await chat.join();
      const replies = await chat.say(text);
      const shown = allText(replies);
      expect(shown).toContain(wrongCurrency.title[lang]);
      for (const step of wrongCurrency.fix) expect(shown).toContain(step[lang]);
      expect(questionsAsked(replies, lang)).toEqual([]);
    });
  }
});

describe('severity stated in the case is not asked again', () => {
  for (const [lang, down, which, yes] of [
    ['en', 'production is down', 'which severity should I choose?', 'yes'],
    ['ja', '本番が止まっています', '重大度はどれを選べばいいですか?', 'はい'],
  ] as [Lang, string, string, string][]) {
    it(`${lang}: "${down}" → the helper asks only about 24x7 readiness, then gives severity A`, async () => {
      const chat = new TestChat(client('webchat', LOCALE[lang]));
      await chat.join();
      await chat.say(down);
      const asked = allText(await chat.say(which));
      expect(asked).toContain(say('severityReady24x7', lang));
      const answer = allText(await chat.say(yes));
      expect(answer).not.toContain(say('severityBusinessDown', lang));
      expect(answer).toContain(cardMessages.severityChosen[lang].replace('{level}', 'A'));
    });
  }
});

describe('"not sure" at the sign-in question explains what each choice means', () => {
  const signIn = knowledge.questions.signIn;
  for (const [lang, opening, unsure] of [
    ['en', 'SQL Server 2012 on-premises, an older version, Gold', "I'm not sure which account"],
    ['ja', 'オンプレミスの SQL Server 2012、古いバージョンです。ゴールドです', 'どちらかわかりません'],
  ] as [Lang, string, string][]) {
    it(`${lang}: "${unsure}" → the seed's meaning of each account, then the question again`, async () => {
      const chat = new TestChat(client('webchat', LOCALE[lang]));
      await chat.join();
      expect(questionsAsked(await chat.say(opening), lang)).toEqual(['signIn']);
      const replies = await chat.say(unsure);
      const text = allText(replies);
      for (const option of signIn.options) expect(text).toContain(option.explain![lang]);
      expect(questionsAsked(replies, lang)).toEqual(['signIn']);
    });
  }
});

describe('a fact question naming a product is answered for that product first', () => {
  const fact = (id: string) => knowledge.facts.find((entry) => entry.id === id)!;
  const forFamily = (id: string, family: string) =>
    fact(id).forFamily.find((entry) => entry.families.some((named) => named === family))!.text;

  for (const [lang, question, id, family] of [
    ['en', 'Is a contract needed for Office 365 tickets?', 'whenIdsAreNeeded', 'microsoft365'],
    ['ja', 'Office 365 のチケットに契約は必要ですか?', 'whenIdsAreNeeded', 'microsoft365'],
    ['en', 'Can a helpdesk agent raise a Dynamics 365 ticket?', 'helpdeskAgents', 'dynamics365'],
    [
      'ja',
      'ヘルプデスク エージェントは Dynamics 365 のリクエストを作成できますか?',
      'helpdeskAgents',
      'dynamics365',
    ],
    ['en', 'can Signature incidents cover Exchange Server?', 'signatureCloudSupport', 'onPremises'],
    [
      'ja',
      'Signature のインシデントは Exchange Server にも使えますか?',
      'signatureCloudSupport',
      'onPremises',
    ],
  ] as [Lang, string, string, string][]) {
    it(`${lang}: "${question}" → the answer for ${family} first, then the general fact`, async () => {
      const chat = new TestChat(client('webchat', LOCALE[lang]));
      await chat.join();
      const text = allText(await chat.say(question));
      const tailored = forFamily(id, family)[lang];
      expect(text).toContain(tailored);
      expect(text.indexOf(tailored)).toBeLessThan(text.indexOf(fact(id).text[lang]));
    });
  }

  for (const [lang, question] of [
    ['en', 'how many incidents does Silver get?'],
    ['ja', 'シルバーのインシデント数は?'],
  ] as [Lang, string][]) {
    it(`${lang}: "${question}" → Silver's on-premises and Signature Cloud Support figures`, async () => {
      const chat = new TestChat(client('webchat', LOCALE[lang]));
      await chat.join();
      const text = allText(await chat.say(question));
      const incidents = (count: number) =>
        knowledge.entitlements.incidents[lang].replace('{count}', `${count}`);
      expect(text).toContain(incidents(15));
      expect(text).toContain(incidents(5));
      expect(text).toContain(say('unlimited', lang));
    });
  }
});

describe('"CSP" alone is never taken as CSP direct: the bot asks which CSP option', () => {
  for (const [lang, opening, csp, reseller] of [
    ['en', 'Intune issue for my CSP customer', 'we are CSP', 'indirect reseller'],
    ['ja', 'Intune の問題です。CSP パートナーです', 'CSP です', '間接リセラー'],
  ] as [Lang, string, string, string][]) {
    it(`${lang}: "${opening}" → the program question; "${csp}" → which one; "${reseller}" → the card`, async () => {
      const chat = new TestChat(client('webchat', LOCALE[lang]));
      await chat.join();
      expect(questionsAsked(await chat.say(opening), lang)).toEqual(['program']);
      const again = await chat.say(csp);
      expect(allText(again)).toContain(say('ambiguousAnswer', lang));
      expect(allText(again)).not.toContain(say('retryChoice', lang));
      expect(questionsAsked(again, lang)).toEqual(['program']);
      await chat.say(reseller);
      expect(chat.log.routeIds().at(-1)).toBe('microsoft365/microsoft365NoContract');
    });
  }
});
