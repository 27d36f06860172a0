import type { Lang, Text } from '../knowledge/schema';

/**
 * Everything the dialogs, the bot and the server say that is not a routing fact (those live in routing.yaml).
 * `{name}` placeholders are filled by `say()`; both languages use the same placeholders (a test checks).
 */
export const conversationMessages = {
  intro: {
    ja: 'マイクロソフト パートナーのテクニカル サポートの受け方をご案内します。製品とパートナー プログラムを教えていただければ、必要な質問だけをして、使うポータル、選ぶサポート プラン、必要な ID、手順をお示しします。エラー メッセージを貼り付けたり、重大度の選び方を聞いたりすることもできます。',
    en: 'I tell Microsoft partners how to get technical support for a case. Tell me the product and your partner program: I ask only what matters, then show you the portal to use, the support plan to pick, the IDs you need and the steps. You can also paste an error message or ask which severity to choose.',
  },
  commands: {
    ja: '「戻る」で前の質問に戻り、「変更」でこれまでの回答を選んで変更、「最初から」でやり直し、「キャンセル」で中止、「English please」で英語に切り替えます。',
    en: 'Say "back" to go back one question, "change" to pick an earlier answer to change, "start over" to begin again, "cancel" to stop, or "日本語で" to switch to Japanese.',
  },
  helpAsking: {
    ja: 'いまお聞きしているのは「{prompt}」です。{why}',
    en: 'Right now I am asking: "{prompt}" {why}',
  },
  helpIdle: {
    ja: '製品とパートナー プログラム (例: 「CSP の顧客の Intune の問題」) を入力するか、エラー メッセージを貼り付けてください。',
    en: 'Type your product and partner program (for example "Intune issue for my CSP customer"), or paste an error message.',
  },
  startOver: {
    ja: '承知しました。最初からやり直しましょう。',
    en: 'OK, let us start again from the beginning.',
  },
  cancelled: {
    ja: '中止しました。またお手伝いが必要なときは、いつでもメッセージを送ってください。',
    en: 'OK, I have stopped. Send me a message whenever you need help again.',
  },
  youAreWelcome: {
    ja: 'どういたしまして。ほかにご相談があれば、いつでもメッセージを送ってください。',
    en: 'You are welcome. Send me a message whenever you need anything else.',
  },
  nothingToGoBackTo: {
    ja: 'まだ変更できる回答はありません。',
    en: 'There is no earlier answer to change yet.',
  },
  goingBack: {
    ja: '前の質問に戻ります。',
    en: 'OK, back to the previous question.',
  },
  changingAnswer: {
    ja: '「{name}」の回答を変更します。',
    en: 'OK, let us change your answer to "{name}".',
  },
  noted: {
    ja: '承知しました: {answers}。',
    en: 'Noted: {answers}.',
  },
  whichAnswerToChange: {
    ja: 'どの回答を変更しますか?',
    en: 'Which answer do you want to change?',
  },
  languageSwitched: {
    ja: '日本語で続けます。',
    en: 'OK, I will continue in English.',
  },
  retryChoice: {
    ja: '申し訳ありません、うまく読み取れませんでした。下の選択肢から選ぶか、「ヘルプ」と入力してください。',
    en: 'Sorry, I did not catch that. Please pick one of the options below, or type "help".',
  },
  /** A button of an old message, pressed when no question is open: the welcome's choices follow. */
  staleSubmit: {
    ja: 'そのボタンは以前のメッセージのもので、今は使えません。次から選んでください。',
    en: 'That button is from an earlier message and no longer works. Here is what I can do:',
  },
  tooLong: {
    ja: 'メッセージが長すぎます ({max} 文字まで)。問題を数文でお知らせください。エラー メッセージはその行だけを貼り付けてください。',
    en: 'That message is too long for me (up to {max} characters). Please describe the problem in a few sentences, or paste only the line with the error message.',
  },
  turnError: {
    ja: '申し訳ありません、ボット側で問題が発生しました。もう一度メッセージを送ってください。続く場合は「最初から」と入力すると、最初からやり直せます。',
    en: 'Sorry, something went wrong on my side. Please send your message again; if it keeps happening, type "start over" to begin again.',
  },
  yes: { ja: 'はい', en: 'Yes' },
  no: { ja: 'いいえ', en: 'No' },
  severityHelperLater: {
    ja: '質問に答えながら重大度を選びたい場合は、この相談が終わってから「重大度」と入力してください。',
    en: 'To choose the severity step by step, type "severity" once this case is done.',
  },
  severityIntro: {
    ja: '重大度の選び方を、いくつかの質問でご案内します。',
    en: 'A few questions, and I will tell you which severity to choose.',
  },
  severityReady24x7: {
    ja: '問題が解決するまで、週 7 日 24 時間体制で作業する準備ができていますか?',
    en: 'Are you ready to work on the problem 24 hours a day, 7 days a week until it is solved?',
  },
  severityReady24x7Why: {
    ja: '重大度 A は、週 7 日 24 時間働く準備ができている場合にだけ選べます。',
    en: 'Severity A can only be chosen when you are ready to work 24x7.',
  },
  severityBusinessDown: {
    ja: '重要な運用サーバー、サービス、またはアプリケーションがダウンし、ビジネスが止まっていますか?',
    en: 'Is a critical production server, service or application down, stopping the business?',
  },
  severityBusinessDownWhy: {
    ja: '重大度 A は、重要なビジネスダウンの運用環境がある場合のものです。',
    en: 'Severity A is for a critical production system that is down.',
  },
  severityCompanyWideStop: {
    ja: 'この問題によって全社的な作業停止が発生する可能性がありますか? または、スケジュールどおりに展開できなくなりますか?',
    en: 'Could the problem stop work across the company, or keep a deployment from going ahead on schedule?',
  },
  severityCompanyWideStopWhy: {
    ja: '全社的な作業停止や展開の遅れがあれば重大度 B、なければ重大度 C です。',
    en: 'A company-wide stoppage or a blocked deployment means severity B; otherwise severity C.',
  },
} satisfies Record<string, Text>;

export type ConversationMessageId = keyof typeof conversationMessages;

/** The message in the user's language, with `{name}` placeholders filled. */
export function say(
  id: ConversationMessageId,
  lang: Lang,
  values: Record<string, string | number> = {},
): string {
  return conversationMessages[id][lang].replace(/\{(\w+)\}/g, (placeholder, name: string) =>
    name in values ? String(values[name]) : placeholder,
  );
}
