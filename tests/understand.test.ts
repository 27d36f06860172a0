import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { getKnowledge } from '../src/knowledge/load';
import type { Knowledge, QuestionId } from '../src/knowledge/schema';
import {
  interpret,
  type Intent,
  getPhrases,
  type CompiledPhrases,
  languageFromLocale,
  loadPhrases,
  MAX_UNDERSTOOD_LENGTH,
  parseCardSubmit,
  pickFromMenu,
  WelcomeTopic,
} from '../src/understand';
import { cardMessages, type CardMessageId } from '../src/messages/cards';
import { defaultPhrasesFile } from '../src/understand/phrases';
import { normalise } from '../src/understand/normalise';

const knowledge = getKnowledge();

/** What interpret() takes as the answers of a message, at the question being asked if any. */
const extractAnswers = (text: string, k: Knowledge, asking?: QuestionId) =>
  interpret(text, { lang: 'en', asking }, k).answers;
/** What interpret() takes a message to ask for. */
const detectIntent = (text: string, k: Knowledge, phrases?: CompiledPhrases): Intent =>
  interpret(text, { lang: 'en' }, k, phrases).intent;

describe('extractAnswers: free text fills the answers, in either language', () => {
  it.each([
    [
      'Intune issue for my direct CSP customer',
      { product: 'intune', family: 'microsoft365', program: 'cspDirect' },
    ],
    ['オンプレミスの SQL Server 2019、シルバーです', { family: 'onPremises', tier: 'silver' }],
    [
      'Business Central, we are an advisor partner',
      { product: 'businessCentral', family: 'dynamics365', program: 'advisor' },
    ],
    ['Gold partner with a cloud competency, Azure', { tier: 'gold', competency: 'cloud', family: 'azure' }],
    [
      'CSP 直接の顧客の Intune の問題です',
      { product: 'intune', family: 'microsoft365', program: 'cspDirect' },
    ],
    ['ゴールド コンピテンシーで Azure の問題', { tier: 'gold', family: 'azure' }],
    [
      'Dynamics 365 Finance and Operations, indirect reseller',
      { product: 'd365FinanceOperations', family: 'dynamics365', program: 'indirectReseller' },
    ],
    [
      'Power Apps のことで、アドバイザーです',
      { product: 'powerApps', family: 'dynamics365', program: 'advisor' },
    ],
    ['We bought Premier Support for Partners for Azure', { purchasedPlan: 'psfp', family: 'azure' }],
    [
      'SQL Server 2008 の古いバージョン、MSA でサインイン',
      { family: 'onPremises', version: 'older', signIn: 'msa' },
    ],
  ])('%s', (text, expected) => {
    expect(extractAnswers(text, knowledge)).toMatchObject(expected);
  });

  it('understands Japanese written in full-width letters and without spaces', () => {
    expect(extractAnswers('ＣＳＰ直接の顧客のＩｎｔｕｎｅ', knowledge)).toMatchObject({
      program: 'cspDirect',
      product: 'intune',
    });
    expect(extractAnswers('オンプレミスのSQLServer、シルバー', knowledge)).toMatchObject({
      family: 'onPremises',
      tier: 'silver',
    });
  });

  it('lets a product imply its family', () => {
    expect(extractAnswers('Business Central', knowledge)).toEqual({
      product: 'businessCentral',
      family: 'dynamics365',
    });
    expect(extractAnswers('インチューン', knowledge)).toEqual({ product: 'intune', family: 'microsoft365' });
  });

  it('prefers the longest match: Windows Server is on-premises, not the Windows product', () => {
    const answers = extractAnswers('Windows Server 2019 crashes', knowledge);
    expect(answers.family).toBe('onPremises');
    expect(answers.product).not.toBe('windows');
  });

  it('matches short English words only as whole words', () => {
    expect(extractAnswers('I sent an email to the customer', knowledge)).toEqual({});
    expect(extractAnswers('Dynamics 365 AI', knowledge)).toMatchObject({ product: 'ai' });
    expect(extractAnswers('the goldfish tank', knowledge)).toEqual({});
    expect(extractAnswers('Golden partner', knowledge).tier).toBeUndefined();
  });

  it('holds a phrase ending in a short word to a word boundary: "Azure AD" is not in "Azure, advisor"', () => {
    expect(extractAnswers('Azure, advisor partner', knowledge)).toEqual({
      family: 'azure',
      product: 'azure',
      program: 'advisor',
    });
    expect(extractAnswers('we sign in with Azure AD', knowledge)).toEqual({ signIn: 'aad' });
  });

  it('leaves a question unanswered when the text names two answers to it', () => {
    expect(extractAnswers('Silver or Gold?', knowledge).tier).toBeUndefined();
  });

  it('does not answer questions nobody asked from words common in any sentence', () => {
    expect(extractAnswers('Azure のサポート要求が作成できない', knowledge)).toEqual({
      family: 'azure',
      product: 'azure',
    });
    expect(extractAnswers('I have no idea which portal to use', knowledge)).toEqual({});
    expect(extractAnswers('The workflow fails on the latest build', knowledge)).toEqual({});
    expect(extractAnswers('その他の質問です', knowledge)).toEqual({});
    expect(extractAnswers('ビジネス サポート ワークフローが開きません', knowledge)).toEqual({});
  });

  it.each([
    ['Exchange Online', 'family', { family: 'microsoft365', product: 'office365' }],
    ['SharePoint Online', 'family', { family: 'microsoft365', product: 'office365' }],
    ['Teams', 'product', { family: 'microsoft365', product: 'office365' }],
    ['Dynamics 365 Sales', 'product', { family: 'dynamics365', product: 'd365CustomerEngagement' }],
    ['購入していません', 'purchasedPlan', { purchasedPlan: 'none' }],
    ["we didn't buy any", 'purchasedPlan', { purchasedPlan: 'none' }],
    ['会社のアカウント', 'signIn', { signIn: 'aad' }],
    ['Entra ID', 'signIn', { signIn: 'aad' }],
  ] as const)('understands "%s" as an answer to %s', (text, question, expected) => {
    const { productName, ...answers } = extractAnswers(text, knowledge, question);
    expect(answers).toEqual(expected);
    // A product named more precisely than its option is kept as typed, for the card.
    if (answers.product) expect(productName).toBe(text);
  });

  it('does not take "teams" in an ordinary sentence for Microsoft Teams', () => {
    expect(extractAnswers('our teams cannot file requests', knowledge)).toEqual({});
  });

  it('takes those common words as the answer to the question being asked', () => {
    expect(extractAnswers('いいえ', knowledge, 'purchasedPlan')).toEqual({ purchasedPlan: 'none' });
    expect(extractAnswers('no', knowledge, 'purchasedPlan')).toEqual({ purchasedPlan: 'none' });
    expect(extractAnswers('latest', knowledge, 'version')).toEqual({ version: 'current' });
    expect(extractAnswers('other', knowledge, 'competency')).toEqual({ competency: 'other' });
  });

  it('recognises every option by its own label, in both languages', () => {
    for (const question of Object.keys(knowledge.questions) as (keyof typeof knowledge.questions)[]) {
      for (const option of knowledge.questions[question].options) {
        for (const label of [option.label.ja, option.label.en]) {
          expect(extractAnswers(label, knowledge, question)[question], `${question}: ${label}`).toBe(
            option.id,
          );
        }
      }
    }
  });

  it('never throws and returns valid answers for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        extractAnswers(text, knowledge);
      }),
    );
    expect(extractAnswers('', knowledge)).toEqual({});
    expect(extractAnswers('x'.repeat(1_000_000), knowledge)).toEqual({});
  });
});

describe('detectIntent: interruptions only when they are (nearly) the whole message', () => {
  it.each([
    ['help', 'help'],
    ['Help!', 'help'],
    ['help please', 'help'],
    ['Can you help me?', 'help'],
    ['ヘルプ', 'help'],
    ['ヘルプをお願いします', 'help'],
    ['使い方を教えて', 'help'],
    ['start over', 'startOver'],
    ['Start over, please', 'startOver'],
    ['最初から', 'startOver'],
    ['最初からやり直してください', 'startOver'],
    ['やり直し', 'startOver'],
    ['back', 'back'],
    ['go back', 'back'],
    ['previous question', 'back'],
    ['戻る', 'back'],
    ['前の質問に戻って', 'back'],
    ['change', 'change'],
    ['change my answer', 'change'],
    ['Change an answer', 'change'],
    ['変更', 'change'],
    ['回答を変更', 'change'],
    ['回答を変更したい', 'change'],
    ['前の質問に戻りたい', 'back'],
    ['ひとつ前に戻って', 'back'],
    ['回答を変えたい', 'change'],
    ['ヘルプを見せて', 'help'],
    ['使い方がわからない', 'help'],
    ['How do I use this bot?', 'help'],
    ['Can we start over?', 'startOver'],
    ['start a new case', 'startOver'],
    ['別の相談をしたい', 'startOver'],
    ['既知のエラーを見たい', 'knownErrorMenu'],
    ['show me the known errors', 'knownErrorMenu'],
    ['cancel', 'cancel'],
    ['Cancel.', 'cancel'],
    ['キャンセル', 'cancel'],
    ['やめる', 'cancel'],
    ['やめます', 'cancel'],
  ])('%s → %s', (text, kind) => {
    expect(detectIntent(text, knowledge)).toEqual({ kind });
  });

  it.each([
    ['English please', 'en'],
    ['in English', 'en'],
    ['英語で', 'en'],
    ['英語でお願いします', 'en'],
    ['日本語で', 'ja'],
    ['日本語でお願いします', 'ja'],
    ['Japanese please', 'ja'],
    ['にほんご', 'ja'],
  ])('%s switches the language to %s', (text, lang) => {
    expect(detectIntent(text, knowledge)).toEqual({ kind: 'switchLanguage', lang });
  });

  it.each([
    'I need help with Azure',
    'Help me file an Intune request for my CSP customer',
    'Azure のサポート要求の作成を手伝ってください',
    'I want to go back to the Azure portal',
    'The English version of SQL Server 2019',
    'Business Central, we are an advisor partner',
    'Intune issue for my CSP customer',
    'オンプレミスの SQL Server 2019、シルバーです',
    'hello, our Azure portal fails',
    '',
    '   ',
  ])('"%s" is not an interruption', (text) => {
    expect(detectIntent(text, knowledge)).toEqual({ kind: 'none' });
  });

  it.each([
    ['hello', 'greeting'],
    ['Hi!', 'greeting'],
    ['こんにちは', 'greeting'],
    ['Thanks!', 'thanks'],
    ['ok, thank you', 'thanks'],
    ['ありがとうございました。', 'thanks'],
  ])('"%s" is small talk: %s', (text, kind) => {
    expect(detectIntent(text, knowledge)).toEqual({ kind });
  });

  it('recognises every known error message pasted as the portal shows it, in both languages', () => {
    for (const error of knowledge.knownErrors) {
      for (const message of [error.message.ja, error.message.en]) {
        expect(detectIntent(message, knowledge), message).toEqual({ kind: 'knownError', id: error.id });
        expect(detectIntent(`I get this: "${message}" when I add the contract`, knowledge)).toEqual({
          kind: 'knownError',
          id: error.id,
        });
      }
    }
  });

  it('recognises Code:8 however it is typed', () => {
    for (const text of ['Code:8', 'code 8 error', 'エラー コード 8 が出ます', 'ｃｏｄｅ：８']) {
      expect(detectIntent(text, knowledge), text).toEqual({ kind: 'knownError', id: 'code8' });
    }
  });

  it('sends severity questions to the severity helper', () => {
    for (const text of [
      'Which severity should I choose?',
      '重大度はどれを選べばいいですか',
      '重要度の決め方',
      'severity',
    ]) {
      expect(detectIntent(text, knowledge), text).toEqual({ kind: 'severityHelp' });
    }
  });

  it('redirects questions that are not technical support', () => {
    expect(detectIntent('We need presales help to design an Azure deployment', knowledge)).toEqual({
      kind: 'redirect',
      id: 'presales',
    });
    expect(detectIntent('MPN メンバーシップの更新について', knowledge)).toEqual({
      kind: 'redirect',
      id: 'programSupport',
    });
    expect(detectIntent('license activation problem', knowledge)).toEqual({
      kind: 'redirect',
      id: 'programSupport',
    });
  });

  it('answers a question with its fact first, keeping what the partner said of their own case', () => {
    // The tier a question is about is not the partner's answer.
    expect(detectIntent('How many incidents does a gold partner get?', knowledge)).toEqual({
      kind: 'fact',
      id: 'incidentsByTier',
      givesAnswers: false,
    });
    expect(detectIntent('What is delegated administration?', knowledge)).toEqual({
      kind: 'fact',
      id: 'delegatedAdministration',
      givesAnswers: false,
    });
    expect(detectIntent('Intune for my CSP customer, do I need an access ID?', knowledge)).toEqual({
      kind: 'fact',
      id: 'whenIdsAreNeeded',
      givesAnswers: true,
    });
  });

  it('understands every command of the Teams command menu, in every scope, in English and Japanese', () => {
    const teams = path.join(import.meta.dirname, '../teams');
    const manifest = JSON.parse(readFileSync(path.join(teams, 'manifest.json'), 'utf8')) as {
      bots: { commandLists: { commands: { title: string }[] }[] }[];
    };
    const ja = JSON.parse(readFileSync(path.join(teams, 'ja.json'), 'utf8')) as Record<string, string>;
    const expected: Record<string, Intent> = {
      help: { kind: 'help' },
      'start over': { kind: 'startOver' },
      severity: { kind: 'severityHelp' },
      'known errors': { kind: 'knownErrorMenu' },
    };
    const commandLists = manifest.bots[0].commandLists;
    expect(commandLists.length).toBeGreaterThan(0);
    commandLists.forEach((list, l) => {
      list.commands.forEach(({ title }, c) => {
        expect(Object.keys(expected), `a new command "${title}" needs an expectation here`).toContain(title);
        const titleJa = ja[`bots[0].commandLists[${l}].commands[${c}].title`];
        for (const typed of [title, titleJa])
          expect(detectIntent(typed, knowledge), typed).toEqual(expected[title]);
      });
    });
  });

  it('understands each topic of the welcome card by its name, in both languages', () => {
    const expected: Record<WelcomeTopic, Intent> = {
      supportCase: { kind: 'supportCase' },
      severityHelp: { kind: 'severityHelp' },
      knownError: { kind: 'knownErrorMenu' },
      notTechnicalSupport: { kind: 'redirectMenu' },
    };
    const labels: Record<WelcomeTopic, CardMessageId> = {
      supportCase: 'topicSupportCase',
      severityHelp: 'topicSeverityHelp',
      knownError: 'topicKnownError',
      notTechnicalSupport: 'topicNotTechnical',
    };
    for (const topic of WelcomeTopic.options) {
      for (const lang of ['ja', 'en'] as const) {
        const label = cardMessages[labels[topic]][lang];
        expect(detectIntent(label, knowledge), label).toEqual(expected[topic]);
      }
    }
    expect(detectIntent('エラーが出ました', knowledge)).toEqual({ kind: 'knownErrorMenu' });
    expect(detectIntent('technical support case', knowledge)).toEqual({ kind: 'supportCase' });
  });

  it.each([
    ['What does technical support cover?', 'technicalSupportScope'],
    ['テクニカル サポートの範囲を教えてください', 'technicalSupportScope'],
    ['オンプレミス製品のサポート インシデントは何件もらえますか', 'incidentsByTier'],
    ['What is Signature Cloud Support?', 'signatureCloudSupport'],
    ['Signature サポートのインシデント数は?', 'signatureCloudSupport'],
    ['クラウド コンピテンシーの一覧を教えて', 'cloudCompetencies'],
    ['代理管理とは何ですか', 'delegatedAdministration'],
    ['間接リセラーに対して DAP は有効ですか', 'delegatedAdminCsp'],
    ['Which users need the admin agent role?', 'adminAgentRole'],
    ['ヘルプデスク エージェントは顧客の代理で要求を記録できますか', 'helpdeskAgents'],
    ['Do I need an access ID and contract ID?', 'whenIdsAreNeeded'],
    ['アクセス ID と契約 ID は必要ですか', 'whenIdsAreNeeded'],
    ['Do I have to link the benefit every time?', 'linkingIsOneTime'],
    ['毎回リンクする必要がありますか', 'linkingIsOneTime'],
    ['2019 年 5 月以降の契約ですが、同じアクセス ID を使いますか', 'may2019Contracts'],
    ['Where can I find my access ID?', 'whereToFindIds'],
    ['アクセス ID はどこで確認できますか', 'whereToFindIds'],
    ['誰が契約のアクティブ化をリクエストできますか', 'whoCanRequestActivation'],
    ['When does my support contract expire?', 'contractExpiry'],
    ['サポート契約の有効期限はいつですか', 'contractExpiry'],
    ['How many incidents do I have left?', 'remainingIncidents'],
    ['残りのインシデントはどこで確認できますか', 'remainingIncidents'],
    ['Which product versions are covered?', 'versionCoverage'],
    ['どのバージョンが対象ですか', 'versionCoverage'],
    ['Is there an OBO process for on-premises products?', 'noOnBehalfOfOnPremises'],
    ['オンプレミス製品に代理 (OBO) のプロセスはありますか', 'noOnBehalfOfOnPremises'],
    ['インシデントごとの支払いはどうすればいいですか', 'payPerIncident'],
    ['Which country should I pick at the bottom of the page?', 'browserCountry'],
    ['営業時間はどの国に基づきますか', 'browserCountry'],
  ])('a natural question reaches its fact: "%s" → %s', (text, id) => {
    expect(detectIntent(text, knowledge)).toMatchObject({ kind: 'fact', id });
  });

  it.each([
    ['プリセールスの支援が必要です', 'presales'],
    ['We want to accelerate app development with Microsoft', 'presales'],
    ['How do I renew our MPN membership?', 'programSupport'],
    ['パートナー センターへの移行について聞きたい', 'programSupport'],
    ['I have a billing question', 'programSupport'],
    ['請求書について質問があります', 'programSupport'],
  ])('a natural question reaches its redirect: "%s" → %s', (text, id) => {
    expect(detectIntent(text, knowledge)).toEqual({ kind: 'redirect', id });
  });

  it.each([
    'Azure AD group membership is not syncing',
    'Azure AD のグループ メンバーシップが同期されない',
    'Our billing API integration returns 403',
    'App development on Azure: my function app fails with 500',
    'Azure でアプリ開発中に 500 エラーが出ます',
    'コード署名の証明書エラー',
    'Defender のシグネチャ更新が失敗します',
    'Email signature is not shown in Outlook',
    'OBO flow token error in my app',
    'sending email on behalf of another user fails',
    'a user with the security role cannot open the record',
    'our helpdesk cannot reset passwords',
    'ヘルプデスクからパスワードをリセットできない',
    'テナント ID が必要と言われます',
    'サブスクリプション ID を確認する方法',
    '毎回入力を求められる',
    'the error happened only once',
    'one-time password does not arrive',
    '一度だけ発生したエラー',
    'since May 2019 the VM reboots every night',
    '2019 年 5 月から毎晩再起動します',
    'パスワードの有効期限が切れました',
    'my certificate expired',
    'each user gets an error when signing in',
    '各ユーザーでエラーが出ます',
    'ユーザー固有の設定が消えます',
    'how many left in the queue',
    'あと何件処理が残っていますか',
    'バージョンを上げたらエラーになりました',
    'the version of the bot',
    'データ移行でエラー',
    '誰が使えますか',
    'The locale on my laptop is wrong',
    'The drive is already mapped',
    'This email is already associated with an account',
    'error code 80070005 when installing',
    'エラー コード 80070005 が出ます',
  ])('"%s" is not a fact, a redirect or a known error', (text) => {
    expect(detectIntent(text, knowledge)).toEqual({ kind: 'none' });
  });

  it('reaches every fact, redirect and known error by each of its patterns alone (answer words excepted)', () => {
    const answerWords = new Set(
      Object.values(knowledge.questions).flatMap((question) =>
        question.options.flatMap((option) =>
          [option.label.ja, option.label.en, ...option.synonyms.ja, ...option.synonyms.en].map(
            (word) => normalise(word).compact,
          ),
        ),
      ),
    );
    const entries = [
      ...knowledge.facts.map((entry) => ({ kind: 'fact', entry })),
      ...knowledge.redirects.map((entry) => ({ kind: 'redirect', entry })),
      ...knowledge.knownErrors.map((entry) => ({ kind: 'knownError', entry })),
    ];
    for (const { kind, entry } of entries) {
      for (const pattern of [...entry.patterns.ja, ...entry.patterns.en]) {
        if (answerWords.has(normalise(pattern).compact)) continue;
        expect(detectIntent(pattern, knowledge), pattern).toMatchObject({ kind, id: entry.id });
      }
    }
  });

  it('never throws for any text, and only reads the start of a huge one', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        detectIntent(text, knowledge);
      }),
    );
    const pasted = `${'log line\n'.repeat(MAX_UNDERSTOOD_LENGTH)}Code:8`;
    expect(detectIntent(pasted, knowledge)).toEqual({ kind: 'none' });
  });
});

describe('pickFromMenu: a list on screen answered by typing', () => {
  const titles = ['Product family', 'Program', '購入したプラン'];

  it.each([
    ['2', 1],
    ['２', 1],
    ['2.', 1],
    ['(3)', 2],
    ['3番', 2],
    ['program', 1],
    ['Program please', 1],
    ['購入したプランで', 2],
  ])('"%s" picks item %i', (text, index) => {
    expect(pickFromMenu(text, titles)).toBe(index);
  });

  it.each(['0', '4', '12', 'Azure', 'the program', '', 'back'])('"%s" picks nothing', (text) => {
    expect(pickFromMenu(text, titles)).toBeUndefined();
  });
});

describe('readiness to work 24x7, wherever the message says it', () => {
  it.each([
    ['business hours only', false],
    ['Only during business hours.', false],
    ['営業時間内だけです', false],
    ['営業時間中のみ対応します', false],
    ['24/7', true],
    ['24 時間体制で', true],
    ['yes', undefined],
  ])('"%s" → %s', (text, aroundTheClock) => {
    const lang = /[ぁ-ん]/.test(text) ? 'ja' : 'en';
    expect(interpret(text, { lang }, knowledge).severity?.aroundTheClock).toBe(aroundTheClock);
  });
});

describe('phrases.yaml', () => {
  const raw = parse(readFileSync(defaultPhrasesFile, 'utf8')) as Record<string, unknown>;
  const write = (data: unknown) => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'phrases-')), 'phrases.yaml');
    writeFileSync(file, stringify(data));
    return file;
  };

  it('loads and validates', () => {
    expect(getPhrases().commands.size).toBeGreaterThan(20);
  });

  it('refuses a phrase that belongs to two commands, naming both', () => {
    const broken = structuredClone(raw) as { commands: { cancel: { en: string[] } } };
    broken.commands.cancel.en.push('go back');
    expect(() => loadPhrases(write(broken))).toThrow(
      /commands\.cancel: "go back" is also a phrase of commands\.back/,
    );
  });

  it('refuses a command made only of filler words', () => {
    const broken = structuredClone(raw) as { commands: { help: { en: string[] } } };
    broken.commands.help.en.push('please');
    expect(() => loadPhrases(write(broken))).toThrow(/commands\.help: "please" is only filler words/);
  });

  it('refuses a file of the wrong shape, naming the field', () => {
    const broken = structuredClone(raw) as { commands: Record<string, unknown> };
    delete broken.commands.help;
    expect(() => loadPhrases(write(broken))).toThrow(/phrases\.yaml: commands\.help/);
  });

  it('lists as answer-only words only labels or synonyms that routing.yaml has', () => {
    const words = new Set(
      Object.values(knowledge.questions).flatMap((question) =>
        question.options.flatMap((option) =>
          [option.label.ja, option.label.en, ...option.synonyms.ja, ...option.synonyms.en].map(
            (word) => normalise(word).compact,
          ),
        ),
      ),
    );
    for (const word of getPhrases().answerOnly) expect(words, word).toContain(word);
  });
});

describe('parseCardSubmit: card buttons arrive as activity.value', () => {
  it.each([
    [
      { verb: 'start', topic: 'supportCase' },
      { verb: 'start', topic: 'supportCase' },
    ],
    [{ verb: 'startOver' }, { verb: 'startOver' }],
    [{ verb: 'changeAnswer' }, { verb: 'changeAnswer' }],
    [
      { verb: 'changeAnswer', question: 'tier' },
      { verb: 'changeAnswer', question: 'tier' },
    ],
    [
      { verb: 'knownError', id: 'code8' },
      { verb: 'knownError', id: 'code8' },
    ],
    [
      { verb: 'redirect', id: 'presales' },
      { verb: 'redirect', id: 'presales' },
    ],
    [
      { verb: 'answer', question: 'program', option: 'advisor' },
      { verb: 'answer', question: 'program', option: 'advisor', answer: { program: 'advisor' } },
    ],
    [
      { verb: 'severity', ready24x7: 'no', businessDown: true, companyWideStop: 'yes' },
      { verb: 'severity', ready24x7: false, businessDown: true, companyWideStop: true },
    ],
    [
      { verb: 'severity', ready24x7: 'true' },
      { verb: 'severity', ready24x7: true },
    ],
  ])('%j', (value, expected) => {
    expect(parseCardSubmit(value, knowledge)).toEqual(expected);
  });

  it('drops what the card inputs add (the problem description) and anything unknown', () => {
    expect(
      parseCardSubmit(
        { verb: 'startOver', problemDescription: 'x'.repeat(100_000), question: 'tier' },
        knowledge,
      ),
    ).toEqual({ verb: 'startOver' });
  });

  it.each([
    ['no value', undefined],
    ['null', null],
    ['a string', 'startOver'],
    ['a number', 42],
    ['an array', [{ verb: 'startOver' }]],
    ['no verb', { topic: 'supportCase' }],
    ['an unknown verb', { verb: 'deleteEverything' }],
    ['a verb of the wrong type', { verb: ['startOver'] }],
    ['an unknown topic', { verb: 'start', topic: 'billing' }],
    ['an unknown question', { verb: 'answer', question: 'budget', option: 'gold' }],
    ['an option of another question', { verb: 'answer', question: 'tier', option: 'advisor' }],
    ['a missing option (drop-down left empty)', { verb: 'answer', question: 'product' }],
    ['an option of the wrong type', { verb: 'answer', question: 'tier', option: 1 }],
    ['an unknown known error', { verb: 'knownError', id: 'code9' }],
    ['an unknown redirect', { verb: 'redirect', id: 'sales' }],
    ['a huge id', { verb: 'knownError', id: 'x'.repeat(1_000_000) }],
    ['a severity answer that is not yes or no', { verb: 'severity', ready24x7: 'maybe' }],
    ['a changeAnswer for an unknown question', { verb: 'changeAnswer', question: '__proto__' }],
  ])('refuses %s', (_, value) => {
    expect(parseCardSubmit(value, knowledge)).toBeUndefined();
  });

  it('refuses values that try to reach an object prototype', () => {
    for (const json of [
      '{"verb":"startOver","__proto__":{"polluted":true}}',
      '{"verb":"answer","question":"tier","option":"gold","constructor":{"prototype":{"polluted":true}}}',
      '{"verb":"startOver","prototype":{}}',
    ]) {
      expect(parseCardSubmit(JSON.parse(json), knowledge), json).toBeUndefined();
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses objects that are not plain data', () => {
    class Submit {
      verb = 'startOver';
    }
    expect(parseCardSubmit(new Submit(), knowledge)).toBeUndefined();
    expect(parseCardSubmit(new Date(), knowledge)).toBeUndefined();
    const bare = Object.assign(Object.create(null) as object, { verb: 'startOver' });
    expect(parseCardSubmit(bare, knowledge)).toEqual({ verb: 'startOver' });
  });

  it('never throws, whatever arrives', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        parseCardSubmit(value, knowledge);
      }),
    );
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        parseCardSubmit(value, knowledge);
      }),
    );
  });
});

describe('languageFromLocale', () => {
  it.each([
    ['ja', 'ja'],
    ['ja-JP', 'ja'],
    ['JA-jp', 'ja'],
    ['ja_JP', 'ja'],
    ['en-US', 'en'],
    ['en', 'en'],
    ['fr-FR', 'en'],
    ['jam', 'en'],
    ['jav', 'en'],
    [' ja-JP ', 'ja'],
    ['', 'en'],
    [undefined, 'en'],
    [null, 'en'],
    [42, 'en'],
  ])('%s → %s', (locale, lang) => {
    expect(languageFromLocale(locale)).toBe(lang);
  });
});
