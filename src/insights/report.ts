import { compile, type TopLevelSpec } from 'vega-lite';
import { parse, View } from 'vega';
import type { Lang } from '../knowledge/schema';
import type { StoredFeedback } from './feedback';

/** One log line the report reads: any pino line with an `event` field. */
export interface LoggedEvent {
  event: string;
  time?: string;
  conversationId?: string;
  [field: string]: unknown;
}

/** Reads JSON log lines (other lines, e.g. pretty-printed ones, are skipped) and keeps those since `since`. */
export function readEvents(text: string, since?: Date): LoggedEvent[] {
  const events: LoggedEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const parsed = JSON.parse(line) as Partial<LoggedEvent>;
      if (typeof parsed.event !== 'string') continue;
      if (since && parsed.time && new Date(parsed.time) < since) continue;
      events.push(parsed as LoggedEvent);
    } catch {
      // a truncated line at the end of a rotated file
    }
  }
  return events;
}

/** "7d", "24h", "30m" before `now`. */
export function sinceOf(window: string, now = new Date()): Date {
  const match = /^(\d+)([dhm])$/.exec(window);
  if (!match) throw new Error(`--since ${window}: a number of days, hours or minutes, e.g. 7d, 24h, 30m`);
  const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[match[2] as 'd' | 'h' | 'm'];
  return new Date(now.getTime() - Number(match[1]) * unit);
}

/** The UTC days ("2026-12-01") from `from` to `to`, both included; the latest 366 at most. */
export function daysOf(from: Date, to: Date): string[] {
  const days: string[] = [];
  const first = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  for (let day = to.getTime(); day >= first && days.length < 366; day -= 86_400_000)
    days.unshift(new Date(day).toISOString().slice(0, 10));
  return days;
}

export interface FunnelStep {
  question: string;
  /** Cases that were asked this question. */
  reached: number;
  /** Cases whose last question was this one and that never got an answer card. */
  abandoned: number;
}

export interface Summary {
  cases: number;
  finished: number;
  abandoned: number;
  perRoute: { routeId: string; cases: number }[];
  perFamily: { family: string; cases: number; finished: number }[];
  funnels: { family: string; steps: FunnelStep[] }[];
  answers: { button: number; typed: number; corrected: number };
  notUnderstood: { text: string; count: number }[];
  feedback: {
    routeId: string;
    cases: number;
    answered: number;
    yes: number;
    no: number;
    reasons: Record<string, number>;
  }[];
}

interface Case {
  family?: string;
  routeId?: string;
  asked: string[];
  lastTime?: number;
  /** The bot logged `abandoned` for it, and nothing of the case came after. */
  abandonedLogged?: boolean;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const count = <K extends string>(map: Map<K, number>, key: K, by = 1) =>
  map.set(key, (map.get(key) ?? 0) + by);
const sortedDesc = (map: Map<string, number>) =>
  [...map].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));

/**
 * What trainers read: cases per route and family, where partners leave (a funnel per family), buttons against
 * typed answers, the messages not understood (redacted already; grouped), and feedback per route.
 * A case not finished counts as abandoned at its last question when the bot logged `abandoned` for it (and nothing
 * of the case after), or when it was silent for `abandonAfterMinutes` before `now`.
 */
export function summarise(events: LoggedEvent[], now = new Date(), abandonAfterMinutes = 30): Summary {
  const open = new Map<string, Case>();
  const cases: Case[] = [];
  const answers = { button: 0, typed: 0, corrected: 0 };
  const notUnderstood = new Map<string, number>();
  const feedback = new Map<string, Summary['feedback'][number]>();
  const votes = new Map<string, LoggedEvent>();
  const feedbackOf = (routeId: string) => {
    let entry = feedback.get(routeId);
    if (!entry)
      feedback.set(routeId, (entry = { routeId, cases: 0, answered: 0, yes: 0, no: 0, reasons: {} }));
    return entry;
  };
  for (const e of events) {
    const conversation = e.conversationId ?? '';
    const time = e.time ? Date.parse(e.time) : undefined;
    let current = open.get(conversation);
    if (
      e.event === 'caseStarted' ||
      (!current && ['questionAsked', 'answerTaken', 'caseFinished'].includes(e.event))
    ) {
      current = { asked: [], family: str((e.answers as Record<string, unknown> | undefined)?.family) };
      open.set(conversation, current);
      cases.push(current);
    }
    // the sweep's own line is not the partner's: it neither counts as activity nor survives later steps
    if (current && e.event !== 'abandoned') {
      if (time !== undefined) current.lastTime = time;
      current.abandonedLogged = false;
    }
    switch (e.event) {
      case 'abandoned':
        if (current) current.abandonedLogged = true;
        break;
      case 'questionAsked': {
        const question = str(e.question);
        if (current && question && !current.asked.includes(question)) current.asked.push(question);
        break;
      }
      case 'answerTaken': {
        const how = str(e.how);
        if (how === 'button' || how === 'typed' || how === 'corrected') answers[how] += 1;
        if (current && e.question === 'family') current.family = str(e.option);
        break;
      }
      case 'notUnderstood': {
        const text = str(e.text)?.toLowerCase().trim();
        if (text) count(notUnderstood, text);
        break;
      }
      case 'caseFinished': {
        const routeId = str(e.routeId) ?? '?';
        if (current) {
          current.routeId = routeId;
          current.family = str((e.answers as Record<string, unknown> | undefined)?.family) ?? current.family;
        }
        feedbackOf(routeId).cases += 1;
        open.delete(conversation);
        break;
      }
      case 'feedback':
        // One vote per conversation and answer: the reason after "no" (or a changed mind) replaces the first.
        votes.set(`${conversation}\u0000${str(e.routeId) ?? '?'}`, e);
        break;
    }
  }
  for (const vote of votes.values()) {
    const entry = feedbackOf(str(vote.routeId) ?? '?');
    entry.answered += 1;
    if (vote.helpful === true) entry.yes += 1;
    else {
      entry.no += 1;
      const reason = str(vote.reason) ?? 'other';
      entry.reasons[reason] = (entry.reasons[reason] ?? 0) + 1;
    }
  }

  const cutoff = now.getTime() - abandonAfterMinutes * 60_000;
  // The bot's `abandoned` line when there is one; else (cases open across a restart) the same rule by the clock.
  const isAbandoned = (c: Case) =>
    !c.routeId && (c.abandonedLogged === true || c.lastTime === undefined || c.lastTime <= cutoff);
  const perRoute = new Map<string, number>();
  const families = new Map<string, { cases: number; finished: number; steps: Map<string, FunnelStep> }>();
  // each question's mean position in its cases orders a family's funnel as partners meet the questions
  const positions = new Map<string, number>();
  for (const c of cases) {
    if (c.routeId) count(perRoute, c.routeId);
    const name = c.family ?? '?';
    let family = families.get(name);
    if (!family) families.set(name, (family = { cases: 0, finished: 0, steps: new Map() }));
    family.cases += 1;
    if (c.routeId) family.finished += 1;
    c.asked.forEach((question, index) => {
      let step = family.steps.get(question);
      if (!step) family.steps.set(question, (step = { question, reached: 0, abandoned: 0 }));
      step.reached += 1;
      count(positions, `${name}/${question}`, index);
      if (index === c.asked.length - 1 && isAbandoned(c)) step.abandoned += 1;
    });
  }
  const byCases = <T extends { cases: number }>(a: T & { family: string }, b: T & { family: string }) =>
    b.cases - a.cases || a.family.localeCompare(b.family);
  return {
    cases: cases.length,
    finished: cases.filter((c) => c.routeId).length,
    abandoned: cases.filter(isAbandoned).length,
    perRoute: sortedDesc(perRoute).map(([routeId, n]) => ({ routeId, cases: n })),
    perFamily: [...families]
      .map(([family, f]) => ({ family, cases: f.cases, finished: f.finished }))
      .sort(byCases),
    funnels: [...families]
      .map(([family, f]) => {
        const mean = (step: FunnelStep) => (positions.get(`${family}/${step.question}`) ?? 0) / step.reached;
        return { family, cases: f.cases, steps: [...f.steps.values()].sort((a, b) => mean(a) - mean(b)) };
      })
      .sort(byCases)
      .map(({ family, steps }) => ({ family, steps })),
    answers,
    notUnderstood: sortedDesc(notUnderstood)
      .slice(0, 15)
      .map(([text, n]) => ({ text, count: n })),
    feedback: [...feedback.values()].sort((a, b) => b.cases - a.cases || a.routeId.localeCompare(b.routeId)),
  };
}

const TEXT = {
  ja: {
    title: 'トレーナー向けレポート',
    period: (from: string, to: string) => `対象期間: ${from} 〜 ${to}`,
    totals: (cases: number, finished: number, abandoned: number) =>
      `ケース ${cases} 件 (回答カードまで ${finished} 件、途中で離脱 ${abandoned} 件)`,
    perRoute: 'ルート別のケース数',
    perFamily: '製品ファミリー別のケース数',
    route: 'ルート',
    family: 'ファミリー',
    cases: 'ケース',
    finished: '回答まで',
    funnel: (family: string) => `離脱の多い質問: ${family}`,
    question: '質問',
    reached: '質問した',
    abandoned: 'そこで離脱',
    answers: 'ボタンと入力',
    how: { button: 'ボタン', typed: '入力', corrected: '訂正' },
    answersCount: '回答数',
    notUnderstood: '理解できなかったメッセージ (個人情報は除去済み)',
    message: 'メッセージ',
    count: '件数',
    feedback: 'フィードバック',
    rate: '回答率',
    yes: 'はい',
    no: 'いいえ',
    reasons: '「いいえ」の理由',
    none: 'データなし',
    comments: '「いいえ」のあとのコメント (新しい順)',
    at: '日時 (UTC)',
    reason: '理由',
    comment: 'コメント',
    commentsNotRead:
      'コメントはボットのフィードバック ストアにあります。Blob ストレージの設定 (STORAGE_CONNECTION_STRING、STORAGE_CONTAINER) を付けてレポートを作ると一覧になります。',
    dropped: (votes: number) =>
      `ほかに ${votes} 件の評価は、その日の保存上限に達していたため保存されていません。`,
    moreComments: (more: number) => `ほか ${more} 件 (古いもの) は省略しました。`,
  },
  en: {
    title: "Trainers' report",
    period: (from: string, to: string) => `Period: ${from} to ${to}`,
    totals: (cases: number, finished: number, abandoned: number) =>
      `${cases} cases (${finished} reached an answer card, ${abandoned} abandoned)`,
    perRoute: 'Cases per route',
    perFamily: 'Cases per product family',
    route: 'Route',
    family: 'Family',
    cases: 'Cases',
    finished: 'Answered',
    funnel: (family: string) => `Where partners leave: ${family}`,
    question: 'Question',
    reached: 'Asked',
    abandoned: 'Left here',
    answers: 'Buttons and typing',
    how: { button: 'Button', typed: 'Typed', corrected: 'Corrected' },
    answersCount: 'Answers',
    notUnderstood: 'Messages not understood (personal data removed)',
    message: 'Message',
    count: 'Count',
    feedback: 'Feedback',
    rate: 'Rate',
    yes: 'Yes',
    no: 'No',
    reasons: '"No" reasons',
    none: 'No data',
    comments: 'Comments after "no" (newest first)',
    at: 'When (UTC)',
    reason: 'Reason',
    comment: 'Comment',
    commentsNotRead:
      "The comments are in the bot's feedback store: make the report with the Blob storage settings (STORAGE_CONNECTION_STRING, STORAGE_CONTAINER) to list them.",
    dropped: (votes: number) => `${votes} more votes were not kept: their day had reached the store's limit.`,
    moreComments: (more: number) => `${more} older comments left out.`,
  },
} satisfies Record<Lang, unknown>;

export interface ReportOptions {
  lang: Lang;
  /** The period read, shown in the heading. */
  from?: Date;
  to?: Date;
  /** The feedback store's records of the period, for the comments; absent: the store was not read. */
  stored?: StoredFeedback;
}

/** Comments listed, newest first; a trainer reads them, and a busy month should not make the page endless. */
const MAX_COMMENTS = 200;

/** The comments partners typed after "no", newest first (at most MAX_COMMENTS), each on one line. */
function commentRows(stored: StoredFeedback): string[][] {
  return stored.records
    .filter((record) => record.comment)
    .sort((a, b) => b.at.localeCompare(a.at))
    .map((record) => [
      record.at.slice(0, 16).replace('T', ' '),
      record.routeId,
      record.reason ?? '',
      (record.comment ?? '').replace(/\s+/g, ' '),
    ]);
}

/** The comments section's parts: the table's rows (or none), and the notes under it. */
function commentsSection(options: ReportOptions): { head: string[]; rows: string[][]; notes: string[] } {
  const t = TEXT[options.lang];
  const head = [t.at, t.route, t.reason, t.comment];
  if (!options.stored) return { head, rows: [], notes: [t.commentsNotRead] };
  const rows = commentRows(options.stored);
  const notes = rows.length ? [] : [t.none];
  if (rows.length > MAX_COMMENTS) notes.push(t.moreComments(rows.length - MAX_COMMENTS));
  if (options.stored.dropped) notes.push(t.dropped(options.stored.dropped));
  return { head, rows: rows.slice(0, MAX_COMMENTS), notes };
}

const percent = (part: number, whole: number) => (whole === 0 ? '—' : `${Math.round((part / whole) * 100)}%`);
const day = (date?: Date) => (date ? date.toISOString().slice(0, 16).replace('T', ' ') : '…');

/** One row per route for the feedback table, the same in the Markdown summary and on the page. */
function feedbackRows(summary: Summary): (string | number)[][] {
  return summary.feedback.map((f) => [
    f.routeId,
    f.cases,
    percent(f.answered, f.cases),
    f.yes,
    f.no,
    Object.entries(f.reasons)
      .map(([reason, count]) => `${reason} ${count}`)
      .join(', '),
  ]);
}

function table(head: string[], rows: (string | number)[][]): string[] {
  const cell = (value: string | number) => String(value).replace(/\|/g, '\\|');
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
}

/** The report as Markdown tables: the same figures as the page, for a ticket or a chat message. */
export function reportMarkdown(summary: Summary, options: ReportOptions): string {
  const t = TEXT[options.lang];
  const out = [
    `# ${t.title}`,
    '',
    t.period(day(options.from), day(options.to)),
    '',
    t.totals(summary.cases, summary.finished, summary.abandoned),
    '',
  ];
  out.push(
    `## ${t.perRoute}`,
    '',
    ...table(
      [t.route, t.cases],
      summary.perRoute.map((r) => [r.routeId, r.cases]),
    ),
    '',
  );
  out.push(
    `## ${t.perFamily}`,
    '',
    ...table(
      [t.family, t.cases, t.finished],
      summary.perFamily.map((f) => [f.family, f.cases, f.finished]),
    ),
    '',
  );
  for (const funnel of summary.funnels) {
    out.push(
      `## ${t.funnel(funnel.family)}`,
      '',
      ...table(
        [t.question, t.reached, t.abandoned],
        funnel.steps.map((s) => [s.question, s.reached, s.abandoned]),
      ),
      '',
    );
  }
  const { answers } = summary;
  out.push(
    `## ${t.answers}`,
    '',
    ...table(
      [t.how.button, t.how.typed, t.how.corrected],
      [[answers.button, answers.typed, answers.corrected]],
    ),
    '',
  );
  out.push(
    `## ${t.notUnderstood}`,
    '',
    ...(summary.notUnderstood.length
      ? table(
          [t.message, t.count],
          summary.notUnderstood.map((m) => [m.text, m.count]),
        )
      : [t.none]),
    '',
  );
  out.push(
    `## ${t.feedback}`,
    '',
    ...table([t.route, t.cases, t.rate, t.yes, t.no, t.reasons], feedbackRows(summary)),
    '',
  );
  const comments = commentsSection(options);
  out.push(`## ${t.comments}`, '');
  if (comments.rows.length) out.push(...table(comments.head, comments.rows), '');
  for (const note of comments.notes) out.push(note, '');
  return out.join('\n');
}

/** Renders a Vega-Lite chart to an SVG string, in Node, with no browser and no network. */
export async function chartSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const FONT = 'system-ui, "Noto Sans CJK JP", "Yu Gothic UI", "Segoe UI", sans-serif';
const CONFIG = {
  font: FONT,
  view: { stroke: null },
  axis: { labelLimit: 320 },
  legend: { orient: 'bottom', labelLimit: 0 },
} as const;
const BLUE = '#4c78a8';
const ORANGE = '#f58518';
const GREEN = '#54a24b';
const RED = '#e45756';

function bars(
  values: Record<string, unknown>[],
  x: string,
  xTitle: string,
  y: string,
  color?: { field: string; domain: string[]; range: string[] },
): TopLevelSpec {
  return {
    config: CONFIG,
    width: 420,
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: y, type: 'nominal', title: null, sort: null },
      x: { field: x, type: 'quantitative', title: xTitle, axis: { tickMinStep: 1 } },
      ...(color && {
        color: {
          field: color.field,
          type: 'nominal',
          title: null,
          scale: { domain: color.domain, range: color.range },
        },
        yOffset: { field: color.field, sort: color.domain },
      }),
    },
  } as TopLevelSpec;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** The report as one self-contained HTML page: inline SVG charts drawn by Vega-Lite and tables, no script, no CDN. */
export async function reportHtml(summary: Summary, options: ReportOptions): Promise<string> {
  const t = TEXT[options.lang];
  const sections: string[] = [];
  const section = (title: string, ...body: string[]) =>
    sections.push(`<section><h2>${escapeHtml(title)}</h2>${body.join('\n')}</section>`);
  const htmlTable = (head: string[], rows: (string | number)[][]) =>
    `<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
      .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(String(c))}</td>`).join('')}</tr>`)
      .join('')}</tbody></table>`;
  const chart = async (spec: TopLevelSpec, rows: number) =>
    rows === 0 ? `<p>${escapeHtml(t.none)}</p>` : `<figure>${await chartSvg(spec)}</figure>`;

  section(
    t.perRoute,
    await chart(
      bars(
        summary.perRoute.map((r) => ({ route: r.routeId, cases: r.cases })),
        'cases',
        t.cases,
        'route',
      ),
      summary.perRoute.length,
    ),
  );
  section(
    t.perFamily,
    htmlTable(
      [t.family, t.cases, t.finished],
      summary.perFamily.map((f) => [f.family, f.cases, f.finished]),
    ),
  );
  for (const funnel of summary.funnels) {
    const values = funnel.steps.flatMap((s) => [
      { question: s.question, measure: t.reached, cases: s.reached },
      { question: s.question, measure: t.abandoned, cases: s.abandoned },
    ]);
    section(
      t.funnel(funnel.family),
      await chart(
        bars(values, 'cases', t.cases, 'question', {
          field: 'measure',
          domain: [t.reached, t.abandoned],
          range: [BLUE, ORANGE],
        }),
        funnel.steps.length,
      ),
    );
  }
  const howValues = (['button', 'typed', 'corrected'] as const).map((how) => ({
    how: t.how[how],
    answers: summary.answers[how],
  }));
  section(t.answers, await chart(bars(howValues, 'answers', t.answersCount, 'how'), 1));
  section(
    t.notUnderstood,
    summary.notUnderstood.length
      ? htmlTable(
          [t.message, t.count],
          summary.notUnderstood.map((m) => [m.text, m.count]),
        )
      : `<p>${escapeHtml(t.none)}</p>`,
  );
  const feedbackValues = summary.feedback.flatMap((f) => [
    { route: f.routeId, answer: t.yes, count: f.yes },
    { route: f.routeId, answer: t.no, count: f.no },
  ]);
  section(
    t.feedback,
    await chart(
      bars(feedbackValues, 'count', t.count, 'route', {
        field: 'answer',
        domain: [t.yes, t.no],
        range: [GREEN, RED],
      }),
      summary.feedback.some((f) => f.answered) ? 1 : 0,
    ),
    htmlTable([t.route, t.cases, t.rate, t.yes, t.no, t.reasons], feedbackRows(summary)),
  );
  const comments = commentsSection(options);
  section(
    t.comments,
    ...(comments.rows.length ? [htmlTable(comments.head, comments.rows)] : []),
    ...comments.notes.map((note) => `<p>${escapeHtml(note)}</p>`),
  );
  return `<!doctype html>
<html lang="${options.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t.title)}</title>
<style>
body { font-family: ${FONT}; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #222; }
h1 { margin-bottom: 0.2rem; } .meta { color: #555; }
section { margin: 2rem 0; } figure { margin: 0; overflow-x: auto; }
table { border-collapse: collapse; margin-top: 0.5rem; } th, td { border: 1px solid #ccc; padding: 0.25rem 0.6rem; text-align: left; }
th { background: #f3f3f3; }
</style>
</head>
<body>
<h1>${escapeHtml(t.title)}</h1>
<p class="meta">${escapeHtml(t.period(day(options.from), day(options.to)))}</p>
<p class="totals">${escapeHtml(t.totals(summary.cases, summary.finished, summary.abandoned))}</p>
${sections.join('\n')}
</body>
</html>
`;
}
