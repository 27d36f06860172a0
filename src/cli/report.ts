import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Lang } from '../knowledge/schema';
import { readEvents, reportHtml, reportMarkdown, sinceOf, summarise } from '../insights/report';

const USAGE = `Usage: npm run report -- --from <log file> [--from <another>] [--since 7d|24h|30m] [--lang ja|en] [--out <dir>]
                      [--abandon-after <minutes>]

Reads the bot's JSON log lines and writes <out>/report.<lang>.html (one page, no network) and
<out>/report.<lang>.md. Defaults: all lines, --lang en, --out reports, --abandon-after 30.`;

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      from: { type: 'string', multiple: true },
      since: { type: 'string' },
      lang: { type: 'string', default: 'en' },
      out: { type: 'string', default: 'reports' },
      'abandon-after': { type: 'string', default: '30' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help || !values.from?.length) {
    console.log(USAGE);
    if (!values.help) process.exitCode = 2;
    return;
  }
  const lang = Lang.parse(values.lang);
  const now = new Date();
  const since = values.since ? sinceOf(values.since, now) : undefined;
  const events = values.from.flatMap((file) => readEvents(readFileSync(file, 'utf8'), since));
  events.sort((a, b) => (a.time ?? '').localeCompare(b.time ?? ''));
  const summary = summarise(events, now, Number(values['abandon-after']));
  const from = since ?? (events[0]?.time ? new Date(events[0].time) : undefined);
  const options = { lang, from, to: now };
  mkdirSync(values.out, { recursive: true });
  const html = join(values.out, `report.${lang}.html`);
  const markdown = join(values.out, `report.${lang}.md`);
  writeFileSync(html, await reportHtml(summary, options));
  writeFileSync(markdown, reportMarkdown(summary, options));
  console.log(`${summary.cases} cases from ${events.length} events: wrote ${html} and ${markdown}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
