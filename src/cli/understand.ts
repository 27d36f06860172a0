/**
 * `npm run understand -- "text" [--lang ja] [--asking purchasedPlan] [--json]`: how the bot understands one
 * message: intent, answers (with what was denied, asked about or corrected), language, severity.
 */
import { parseArgs } from 'node:util';
import { getKnowledge } from '../knowledge/load';
import { Lang, QuestionId } from '../knowledge/schema';
import { interpret } from '../understand';

const USAGE = `usage: npm run understand -- "text" [--lang ja|en] [--asking <question>] [--json]
  --asking: the question open when the message arrives, one of ${QuestionId.options.join(', ')}`;

/** A wrong flag or value gets the usage and exit code 2, not a stack trace. */
function readArgs() {
  try {
    const { values, positionals } = parseArgs({
      allowPositionals: true,
      options: {
        lang: { type: 'string', default: 'en' },
        asking: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    const text = positionals.join(' ');
    if (values.help || !text) return undefined;
    const lang = Lang.safeParse(values.lang);
    const asking = values.asking === undefined ? undefined : QuestionId.safeParse(values.asking);
    if (!lang.success || (asking && !asking.success)) return undefined;
    return { text, lang: lang.data, asking: asking?.data, json: values.json };
  } catch {
    return undefined;
  }
}

const args = readArgs();
if (!args) {
  console.error(USAGE);
  process.exit(2);
}
const { text, lang, asking } = args;
const result = interpret(text, { lang, asking }, getKnowledge());

if (args.json) {
  console.log(JSON.stringify(result, null, 2));
} else {
  const { intent } = result;
  const list = (record: Record<string, unknown>) =>
    Object.entries(record)
      .map(([slot, value]) => `${slot}=${Array.isArray(value) ? value.join('|') : String(value)}`)
      .join(', ') || '-';
  const lines = [
    `intent:       ${intent.kind}${'id' in intent ? `:${intent.id}` : ''}${'lang' in intent ? `:${intent.lang}` : ''}`,
    `language:     ${result.language ?? 'unclear'}`,
    `affirmed:     ${list(result.answers)}`,
    `negated:      ${list(result.negated)}`,
    `asked about:  ${result.askedAbout.map((item) => `${item.slot}=${item.option}`).join(', ') || '-'}`,
    `corrections:  ${list(result.corrections)}`,
    `withdrawn:    ${result.withdrawn.join(', ') || '-'}`,
    `unrecognised: ${result.unrecognised.join(', ') || '-'}`,
    `ambiguous:    ${result.ambiguous ? 'yes: ask, never guess' : 'no'}`,
    `severity:     ${result.severity ? list(result.severity) : '-'}`,
  ];
  console.log(lines.join('\n'));
}
