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
  /** An answer that fits several options ("CSP": direct, indirect provider or reseller?): which one, no guess. */
  ambiguousAnswer: {
    ja: 'それは複数の選択肢に当てはまります。どれか選んでください。',
    en: 'That fits more than one of the options. Which one is it?',
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
  /** A message with a picture or a file and no words. */
  textOnly: {
    ja: '画像やファイルは読み取れません。エラー メッセージや困っていることを文字で入力してください。',
    en: 'I can read only text, not pictures or files. Please type the error message, or describe the problem in words.',
  },
  /** "Can I talk to a person?" */
  humanHelp: {
    ja: '私はボットのため、担当者におつなぎすることはできません。パートナーに関するご相談は下の窓口で担当者が対応します。テクニカル サポートの要求を作成する場合は、製品とパートナー プログラムを教えていただければ、どこでどのように作成するかをご案内します。',
    en: 'I am a bot and cannot pass you to a person. People answer every partner matter at the window below; for a technical support request, tell me your product and partner program and I will show you where and how to file it.',
  },
  /** The hand-off (a support-desk webhook is set): what would be sent, shown before the partner agrees. */
  handoffSummary: {
    ja: '担当者への引き継ぎとして、サポート デスクに次の内容を送ることができます。',
    en: 'I can pass this to a person at the support desk. This is what I would send:',
  },
  /** After two messages in a row the bot could not read: the hand-off offered. */
  handoffOffer: {
    ja: 'うまく読み取れないため、担当者に引き継ぐこともできます。',
    en: 'I am having trouble understanding, so a person may help better.',
  },
  handoffAnswers: { ja: 'これまでの回答', en: 'Your answers so far' },
  handoffRoute: { ja: 'ご案内したルート', en: 'The route I showed you' },
  handoffMessages: { ja: '直近のメッセージ', en: 'Your last messages' },
  handoffNothing: { ja: '(なし)', en: '(none)' },
  handoffConsent: {
    ja: 'この内容をサポート デスクに送信してよろしいですか? (はい / いいえ)',
    en: 'Shall I send this to the support desk? (yes / no)',
  },
  handoffSend: { ja: 'はい、送信する', en: 'Yes, send it' },
  handoffDontSend: { ja: 'いいえ、送信しない', en: 'No, do not send' },
  handoffYesOrNo: {
    ja: '「はい」か「いいえ」でお答えください。送信するまでサポート デスクには何も届きません。',
    en: 'Please answer yes or no. Nothing reaches the support desk until you say yes.',
  },
  handoffSent: {
    ja: 'サポート デスクに送信しました。担当者が内容を確認し、ご連絡します。同じ説明を繰り返す必要はありません。その間も、ここでご案内を続けられます。',
    en: 'Sent. The support desk has your summary; a person there will read it and contact you, so you will not need to repeat it. Meanwhile we can go on here.',
  },
  handoffNotSent: {
    ja: '承知しました。サポート デスクには何も送信していません。',
    en: 'OK, I have not sent anything to the support desk.',
  },
  handoffFailed: {
    ja: '申し訳ありません、サポート デスクに届けられませんでした ({attempts} 回試行)。何も送信されていません。少し後で「担当者と話したい」ともう一度お送りいただくか、下の窓口にお問い合わせください。',
    en: 'Sorry, I could not reach the support desk ({attempts} attempts), so nothing was sent. Say "talk to a person" again in a little while, or contact partner support at the window below.',
  },
  feedbackThanks: {
    ja: 'ご回答ありがとうございます。',
    en: 'Thank you for your feedback.',
  },
  feedbackThanksReason: {
    ja: 'ご回答ありがとうございます。トレーナーが案内の改善に役立てます。',
    en: 'Thank you. The trainers use this to improve the answers.',
  },
  /** Options the partner denied ("we have no Premier contract"): said back, never taken; {answers} as deniedAnswer. */
  notThat: {
    ja: '承知しました。{answers}ではないのですね。',
    en: 'Noted: not {answers}.',
  },
  /** One denied option in notThat, with the question it answers: "Gold (MPN level)", "MPN レベルの「Gold」". */
  deniedAnswer: {
    ja: '{question}の「{option}」',
    en: '{option} ({question})',
  },
  /** Names the knowledge does not place in a product family (Entra ID, Defender): the family is asked, not guessed. */
  notRecognised: {
    ja: '「{names}」がどの製品ファミリーに当たるか判断できないため、推測はしません。',
    en: 'I do not recognise "{names}" as one of the product families below, so I will not guess.',
  },
  severityNoted: {
    ja: '緊急度について承知しました。重大度の選び方では、あらためてお聞きしません。',
    en: 'Noted what you said about the urgency; I will not ask it again when we choose the severity.',
  },
  /** The second message in a row that answered nothing: help and the menu instead of the same question. */
  twoMisses: {
    ja: 'まだ回答を読み取れませんでした。同じ質問を繰り返す代わりに、ご案内します。',
    en: 'I still could not match that to an answer, so instead of asking the same thing again:',
  },
  /** "Not sure" at a question: what it means and what counts, no guess; then the question again. */
  notSureAsking: {
    ja: '推測で答える必要はありません。この質問の意味: {why}\n\n選択肢:\n{options}\n\nそれでもわからない場合は、パートナー メンバーシップを管理している方に確認してから回答するか、「ヘルプ」と入力してください。',
    en: 'No need to guess. What this question means: {why}\n\nThe options:\n{options}\n\nIf you still cannot tell, check with whoever manages your partner membership and answer then, or type "help".',
  },
  notSureIdle: {
    ja: '大丈夫です。わかることから教えてください。',
    en: 'No problem: tell me what you do know.',
  },
  /** A first message with no product, answer or known error in it (an unknown error pasted, "asdf"): a case from the start. */
  nothingRecognised: {
    ja: 'メッセージから製品や既知のエラーを読み取れなかったため、いくつかの質問でサポートの受け方をご案内します。エラー メッセージだった場合は、サポート要求に記載してください。',
    en: 'I did not find a product or a known error in that, so let us find your support path with a few questions. If it was an error message, keep it for your support request.',
  },
  /** A correction after the result card ("actually Silver"): the same case, its card rebuilt. */
  correctingCase: {
    ja: '承知しました。回答を訂正して、もう一度ご案内します。',
    en: 'OK, I have corrected your answer; here is your case again.',
  },
  /** Under a fact: go on with a case filled with what the partner said. */
  continueWithCase: {
    ja: '{answers} のサポートの相談を続けますか? ボタンを押すか、足りない情報を入力してください。',
    en: 'Do you want to go on with a support case for {answers}? Press the button, or tell me more.',
  },
  startCaseOffer: {
    ja: 'サポートの相談を始める場合は、ボタンを押すか、製品とパートナー プログラムを入力してください。',
    en: 'To get help with a support case, press the button or tell me your product and partner program.',
  },
  continueCase: { ja: '相談を続ける', en: 'Continue' },
  /** After the severity card, when the helper was asked for in the middle of a case. */
  backToCase: {
    ja: '相談の続きに戻ります。',
    en: 'Back to your case.',
  },
  /** A fact about incidents, for the MPN level the partner named (numbers from the benefit table). */
  incidentsForTier: {
    ja: '{tier} の場合: オンプレミス製品のサポート インシデントは {onPremises}、クラウド製品の Signature Cloud Support は {cloud} です。',
    en: 'For {tier}: on-premises product support incidents: {onPremises}; Signature Cloud Support for cloud products: {cloud}.',
  },
  byCompetency: {
    ja: 'クラウド コンピテンシーで {cloud}、その他のコンピテンシーで {other}',
    en: '{cloud} with a cloud competency, {other} with any other competency',
  },
  unlimited: { ja: '無制限', en: 'unlimited' },
  noSignatureCloudSupport: { ja: 'ありません', en: 'none' },
  /** "Steps" with no answer given yet, or at a question before the answer. */
  stepsNoCase: {
    ja: 'まだ手順をお示しできる回答がありません。',
    en: 'There is no answer yet whose steps I could show.',
  },
  stepsWithTheAnswer: {
    ja: '手順は、残りの質問に答えていただくと、回答と一緒にお示しします。',
    en: 'The steps come with the answer, once the remaining questions are answered.',
  },
  /** An option the partner asked about ("what's PSfP?"), explained. */
  optionExplained: {
    ja: '「{option}」({question}) について: {explanation}',
    en: '"{option}" ({question}): {explanation}',
  },
  yes: { ja: 'はい', en: 'Yes' },
  no: { ja: 'いいえ', en: 'No' },
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
