import type { Lang, QuestionId, Text } from '../knowledge/schema';

/**
 * Every label the Adaptive Cards and their plain-text fallbacks show that is not a routing fact
 * (facts come from routing.yaml through the Route). `{name}` placeholders are filled by the renderer.
 */
export const cardMessages = {
  resultTitle: { ja: 'テクニカル サポートの受け方', en: 'How to get technical support' },
  planLabel: { ja: '選ぶサポート プラン', en: 'Support plan to choose' },
  entitlementLabel: { ja: '利用できる特典', en: 'Entitlement' },
  portalLabel: { ja: '要求を作成する場所', en: 'Where to file' },
  idsLabel: { ja: 'アクセス ID と契約 ID', en: 'Access ID and contract ID' },
  idsMore: { ja: 'ID について詳しく', en: 'More about the IDs' },
  stepsTitle: { ja: '手順', en: 'Steps' },
  notesTitle: { ja: '知っておくこと ({count})', en: 'Good to know ({count})' },
  allSteps: { ja: 'すべての手順 ({count})', en: 'All {count} steps' },
  linksCount: { ja: 'リンク ({count})', en: 'Links ({count})' },
  stepsCommand: {
    ja: 'すべての手順 ({count})、知っておくこと、表示される可能性のあるエラー、リンクを見るには「手順」と入力してください。',
    en: 'Type "steps" for all {count} steps, the notes, the errors you may see and the links.',
  },
  linksTitle: { ja: 'リンク', en: 'Links' },
  openPortal: { ja: 'ポータルを開く', en: 'Open the portal' },

  checklistTitle: { ja: '作成前に準備するもの', en: 'Before you file' },
  checklistIntro: {
    ja: 'サポート要求を作成する前に、次を準備してください。',
    en: 'Have these ready before you file the request:',
  },
  checklistCustomer: {
    ja: '顧客のテナントまたはサブスクリプション',
    en: "The customer's tenant or subscription",
  },
  checklistIds: { ja: 'お持ちのアクセス ID と契約 ID', en: 'Your access ID and contract ID' },
  checklistProduct: { ja: '製品とバージョン', en: 'The product and its version' },
  checklistDescription: {
    ja: '問題の詳しい説明 (エラー メッセージ、いつから発生しているか)',
    en: 'A full description of the problem, with the error messages and when it started',
  },
  checklistSeverity: { ja: '選ぶ重大度 (A、B、C)', en: 'The severity you choose (A, B or C)' },
  checklistContacts: { ja: '連絡先 (電話番号、メール アドレス)', en: 'Contact details (phone, email)' },
  checklistFiles: {
    ja: 'アップロードするファイル (ログ、スクリーンショット)',
    en: 'Files to upload (logs, screenshots)',
  },
  templateTitle: { ja: '問題の説明のテンプレート', en: 'Problem description template' },
  templateHint: {
    ja: 'コピーして記入し、サポート要求の「問題の詳細」に貼り付けてください。',
    en: 'Copy it, fill it in, and paste it into the problem details of the request.',
  },
  templateLabel: { ja: '問題の説明', en: 'Problem description' },
  templateText: {
    ja: '製品とバージョン: {product}\n発生している問題 (エラー メッセージをそのまま): \nいつから発生しているか: \n発生前に変更したこと: \n再現手順: \nすでに試したこと: \nビジネスへの影響: ',
    en: 'Product and version: {product}\nWhat happens (the exact error message): \nWhen it started: \nWhat changed before it started: \nSteps to reproduce: \nWhat you already tried: \nBusiness impact: ',
  },

  severityTitle: { ja: '重大度の選び方', en: 'Choosing the severity' },
  severityLevel: { ja: '重大度 {level}', en: 'Severity {level}' },
  severityChosen: { ja: '選ぶ重大度: {level}', en: 'Choose severity {level}' },
  severityOthers: { ja: 'ほかの重大度', en: 'The other severities' },

  knownErrorsTitle: { ja: '表示される可能性のあるエラー ({count})', en: 'Errors you may see ({count})' },
  knownErrorMessage: { ja: '表示されるメッセージ', en: 'The message' },
  knownErrorFix: { ja: '対処方法', en: 'What to do' },
  knownErrorCauses: { ja: '考えられる原因', en: 'Possible causes' },

  notEligibleTitle: { ja: 'この特典では対象外です', en: 'Not covered by your benefits' },
  notEligibleInstead: { ja: '代わりにできること', en: 'What you can do instead' },

  redirectTitle: { ja: 'テクニカル サポートではありません', en: 'This is not technical support' },

  startOver: { ja: '最初から', en: 'Start over' },
  /** The card's two buttons, for channels that show the text only. */
  outcomeCommands: {
    ja: '回答を変更するには「変更」、最初からやり直すには「最初から」と入力してください。',
    en: 'To change an answer, type "change"; to begin again, type "start over".',
  },
  changeAnswer: { ja: '回答を変更', en: 'Change an answer' },
  /** The feedback part under an answer (cards/feedback.json), and its follow-up after "no". */
  feedbackQuestion: { ja: 'この回答で解決しましたか?', en: 'Did this answer your question?' },
  feedbackYes: { ja: 'はい', en: 'Yes' },
  feedbackNo: { ja: 'いいえ', en: 'No' },
  feedbackWhy: { ja: '何が足りなかったか教えてください。', en: 'What went wrong?' },
  feedbackWrongRoute: { ja: '案内先が違う', en: 'Wrong route' },
  feedbackUnclearSteps: { ja: '手順がわかりにくい', en: 'Unclear steps' },
  feedbackMissingInformation: { ja: '情報が足りない', en: 'Missing information' },
  feedbackOther: { ja: 'その他', en: 'Other' },
  feedbackComment: { ja: 'コメント (任意、500 文字まで)', en: 'A comment (optional, up to 500 characters)' },
  feedbackCommentHint: { ja: '例: わかりにくかった手順', en: 'For example, which step was unclear' },
  feedbackSend: { ja: '送信', en: 'Send' },
  whichAnswer: { ja: 'どの回答を変更しますか?', en: 'Which answer do you want to change?' },

  welcomeIntro: {
    ja: 'マイクロソフト パートナーのテクニカル サポートの受け方をご案内します。使うポータル、選ぶサポート プラン、アクセス ID と契約 ID が必要かどうか、手順をお示しします。ご相談の内容をそのまま入力するか、次から選んでください。',
    en: 'I tell Microsoft partners exactly how to file a technical support request: the portal to use, the support plan to choose, whether you need an access ID and contract ID, and the steps. Describe your case in your own words, or choose:',
  },
  welcomeCommands: {
    ja: 'いつでも「ヘルプ」「戻る」「最初から」「キャンセル」「English please」と入力できます。',
    en: 'At any time you can type "help", "back", "start over", "cancel" or "日本語で".',
  },
  topicSupportCase: { ja: 'サポートの相談', en: 'Support case' },
  topicSeverityHelp: { ja: '重大度の選び方', en: 'Choose a severity' },
  topicKnownError: { ja: 'エラーが出た', en: 'I got an error' },
  topicNotTechnical: { ja: 'サポート以外の相談', en: 'Not technical support' },

  choose: { ja: '決定', en: 'OK' },
  choosePlaceholder: { ja: '選択してください', en: 'Choose…' },
  choiceLabel: { ja: '回答', en: 'Your answer' },
  choiceRequired: { ja: 'いずれかを選んでください。', en: 'Please choose one of the options.' },
  knownErrorMenuTitle: { ja: 'どのエラーが表示されましたか?', en: 'Which error do you see?' },
  knownErrorMenuHint: {
    ja: 'エラー メッセージをそのまま貼り付けることもできます。',
    en: 'You can also paste the error message as it appears.',
  },
  redirectMenuTitle: { ja: 'どのようなご用件ですか?', en: 'What do you need?' },
  menuHint: {
    ja: '番号か項目名を入力して選んでください。',
    en: 'Type a number or a name to choose.',
  },
} satisfies Record<string, Text>;

/** The short name of each question, for "Change an answer" buttons (kept under Teams' 20 characters). */
export const questionNames = {
  family: { ja: '製品ファミリ', en: 'Product family' },
  product: { ja: '製品', en: 'Product' },
  program: { ja: 'プログラム', en: 'Program' },
  purchasedPlan: { ja: '購入したプラン', en: 'Purchased plan' },
  tier: { ja: 'MPN レベル', en: 'MPN level' },
  competency: { ja: 'コンピテンシー', en: 'Competency' },
  version: { ja: '製品バージョン', en: 'Product version' },
  signIn: { ja: 'サインイン', en: 'Sign-in' },
} satisfies Record<QuestionId, Text>;

export type CardMessageId = keyof typeof cardMessages;
export type CardLabels = Record<CardMessageId, string>;

/** All card labels in one language, for binding into a template as `l`. */
export function cardLabels(lang: Lang): CardLabels {
  const entries = Object.entries(cardMessages).map(([id, text]) => [id, text[lang]]);
  return Object.fromEntries(entries) as CardLabels;
}

/** A label with `{name}` placeholders filled. */
export function cardText(
  id: CardMessageId,
  lang: Lang,
  values: Record<string, string | number> = {},
): string {
  return cardMessages[id][lang].replace(/\{(\w+)\}/g, (placeholder, name: string) =>
    name in values ? String(values[name]) : placeholder,
  );
}
