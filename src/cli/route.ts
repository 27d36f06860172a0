import { parseArgs } from 'node:util';
import { getKnowledge } from '../knowledge/load';
import { Lang, QuestionId, type Knowledge } from '../knowledge/schema';
import { route } from '../engine/route';
import { everyDecidedCase } from '../engine/space';
import { normalise } from '../understand/normalise';
import { ProductName, type Answers, type Outcome } from '../engine/types';

/**
 * Trainer CLI.
 *   npm run route -- --product azure --program csp --purchasedPlan none --lang ja
 *   npm run route -- --product "SQL Server" --productName "SQL Server 2012" --version current --tier gold
 *   npm run route -- --matrix [--lang en]      (every path through the questions, as Markdown)
 *   npm run route -- --help                    (the flags and the values each one takes)
 * A flag value may be an option id or any label / synonym of it in either language.
 */

const HEADINGS = {
  ja: {
    question: '次に必要な質問',
    portal: 'ポータル',
    plan: '選択するサポート プラン',
    entitlement: '特典',
    ids: 'アクセス ID と契約 ID',
    steps: '手順',
    caveats: '注意事項',
    severity: '重大度',
    errors: '想定されるエラー',
    links: 'リンク',
    sources: '出典 (シード記事のセクション)',
    notEligible: '対象外',
    instead: '代わりに',
    matrix: 'ルーティング マトリクス',
    answers: '回答',
    outcome: '結果',
  },
  en: {
    question: 'Question still needed',
    portal: 'Portal',
    plan: 'Support plan to choose',
    entitlement: 'Entitlement',
    ids: 'Access ID and contract ID',
    steps: 'Steps',
    caveats: 'Good to know',
    severity: 'Severity',
    errors: 'Errors to expect',
    links: 'Links',
    sources: 'Sources (seed sections)',
    notEligible: 'Not covered',
    instead: 'Do this instead',
    matrix: 'Routing matrix',
    answers: 'Answers',
    outcome: 'Outcome',
  },
} satisfies Record<Lang, Record<string, string>>;

export function formatOutcome(outcome: Outcome, lang: Lang): string {
  const h = HEADINGS[lang];
  if (outcome.kind === 'ask') {
    const choices = outcome.choices.map((choice) => `  - ${choice.id}: ${choice.label}`);
    return [`${h.question}: --${outcome.question}`, outcome.prompt, ...choices].join('\n');
  }
  if (outcome.kind === 'notEligible') {
    return [
      `# ${h.notEligible}: ${outcome.summary}`,
      outcome.reason,
      `## ${h.instead}`,
      ...outcome.instead.map((line, i) => `${i + 1}. ${line}`),
      ...outcome.links.map((link) => `- ${link.name}: ${link.url}`),
      `## ${h.sources}`,
      ...outcome.sources.map((source) => `- ${source}`),
    ].join('\n');
  }
  return [
    `# ${outcome.summary}`,
    `route: ${outcome.id}`,
    `${h.portal}: ${outcome.portal.name}${outcome.portal.url ? ` (${outcome.portal.url})` : ''}`,
    `${h.plan}: ${outcome.plan.name}`,
    `${h.entitlement}: ${outcome.entitlement}`,
    `${h.ids}: ${outcome.ids.text}`,
    `## ${h.steps}`,
    ...outcome.steps.map((step, i) => `${i + 1}. ${step.text}`),
    `## ${h.caveats}`,
    ...outcome.caveats.map((caveat) => `- ${caveat.text}`),
    `## ${h.severity}`,
    ...outcome.severity.levels.map((level) => `- ${level.id}: ${level.criteria}`),
    // business support portal routes only
    ...(outcome.severity.businessHoursNote ? [outcome.severity.businessHoursNote] : []),
    ...(outcome.browserCountryNote ? [outcome.browserCountryNote] : []),
    `## ${h.errors}`,
    ...outcome.knownErrors.map((error) =>
      [`- ${error.title}: ${error.fix.join(' ')}`, ...error.causes.map((cause) => `  - ${cause}`)].join('\n'),
    ),
    `## ${h.links}`,
    ...[...outcome.kbs, ...outcome.links].map((link) => `- ${link.name}: ${link.url}`),
    `## ${h.sources}`,
    ...outcome.sources.map((source) => `- ${source}`),
  ].join('\n');
}

/** Every path through the questions and where it ends, one table row each. */
export function formatMatrix(lang: Lang, knowledge: Knowledge): string {
  const h = HEADINGS[lang];
  const rows = everyDecidedCase(lang, knowledge).map(({ answers, outcome }) => {
    const given = Object.entries(answers)
      .map(([question, id]) => `${question}=${id}`)
      .join(', ');
    const result =
      outcome.kind === 'route'
        ? `**${outcome.id}** — ${outcome.plan.name}; ${outcome.entitlement}; ${outcome.ids.required ? 'IDs' : 'no IDs'}; ${outcome.steps.length} steps`
        : `**${h.notEligible}: ${outcome.id}** — ${outcome.instead.join(' / ')}`;
    return `| ${given} | ${result} |`;
  });
  return [`# ${h.matrix} (${rows.length})`, '', `| ${h.answers} | ${h.outcome} |`, '|---|---|', ...rows].join(
    '\n',
  );
}

/** Finds the option a flag value names: its id, or a label or synonym in either language. */
export function resolveFlag(question: QuestionId, value: string, knowledge: Knowledge): string {
  const compact = (text: string) => normalise(text).compact;
  const wanted = compact(value);
  const options = knowledge.questions[question].options as {
    id: string;
    label: { ja: string; en: string };
    synonyms: { ja: string[]; en: string[] };
  }[];
  const names = (option: (typeof options)[number]) => [
    option.id,
    option.label.ja,
    option.label.en,
    ...option.synonyms.ja,
    ...option.synonyms.en,
  ];
  const found =
    options.find((option) => compact(option.id) === wanted) ??
    options.find((option) => names(option).some((name) => compact(name) === wanted));
  if (!found) {
    throw new Error(`--${question} ${value}: not one of ${options.map((option) => option.id).join(', ')}`);
  }
  return found.id;
}

/** Every flag and the values it takes, from the knowledge file (so it cannot list an option the engine lacks). */
export function formatHelp(knowledge: Knowledge): string {
  const questions = QuestionId.options.map((question) => {
    const options = knowledge.questions[question].options as { id: string; label: { en: string } }[];
    return [
      `  --${question} <value>`,
      ...options.map((option) => `      ${option.id.padEnd(24)}${option.label.en}`),
    ].join('\n');
  });
  return [
    'Usage: npm run route -- [--<question> <value> ...] [--productName <name>] [--lang ja|en]',
    '       npm run route -- --matrix [--lang ja|en]',
    '',
    'Prints the route for the answers given, or the question still needed.',
    'A value is an option id below, or any label or synonym of it in Japanese or English.',
    '--product also takes a family (azure, on-premises, ...).',
    '',
    'Questions:',
    ...questions,
    '',
    'Other flags:',
    '  --productName <name>    the product as the partner named it, e.g. "SQL Server 2012" (said on the card)',
    '  --lang ja|en            the language of the answer (default en)',
    '  --matrix                every path through the questions and where it ends, as Markdown',
    '  --help, -h              this help',
  ].join('\n');
}

function main(argv: string[]): string {
  const questionFlags = Object.fromEntries(QuestionId.options.map((q) => [q, { type: 'string' as const }]));
  const { values } = parseArgs({
    args: argv,
    options: {
      ...questionFlags,
      productName: { type: 'string' },
      lang: { type: 'string', default: 'en' },
      matrix: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const knowledge = getKnowledge();
  if (values.help) return formatHelp(knowledge);
  const lang = Lang.parse(values.lang);
  if (values.matrix) return formatMatrix(lang, knowledge);

  const flags: Record<string, unknown> = values;
  const answers: Answers = {};
  for (const question of QuestionId.options) {
    const value = flags[question];
    if (typeof value !== 'string') continue;
    // --product names a family too ("--product azure", "--product on-premises").
    if (question === 'product' && !tryResolve('product', value, knowledge)) {
      answers.family = resolveFlag('family', value, knowledge) as Answers['family'];
      continue;
    }
    Object.assign(answers, { [question]: resolveFlag(question, value, knowledge) });
  }
  if (values.productName !== undefined) answers.productName = ProductName.parse(values.productName);
  return formatOutcome(route(answers, lang, knowledge), lang);
}

function tryResolve(question: QuestionId, value: string, knowledge: Knowledge): string | undefined {
  try {
    return resolveFlag(question, value, knowledge);
  } catch {
    return undefined;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    console.log(main(process.argv.slice(2)));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  }
}
