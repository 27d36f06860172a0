import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Lang } from '../knowledge/schema';
import { FeedbackStore, type StoredFeedback } from '../insights/feedback';
import { daysOf, readEvents, reportHtml, reportMarkdown, sinceOf, summarise } from '../insights/report';
import { loadStorageSettings, openStateStore } from '../storage';

const USAGE = `Usage: npm run report -- --from <log file> [--from <another>] [--since 7d|24h|30m] [--lang ja|en] [--out <dir>]
                      [--abandon-after <minutes>]

Reads the bot's JSON log lines and writes <out>/report.<lang>.html (one page, no network) and
<out>/report.<lang>.md. Defaults: all lines, --lang en, --out reports, --abandon-after 30.
With the bot's Blob storage settings (STORAGE_CONNECTION_STRING and STORAGE_CONTAINER, from the environment or
./.env, as the bot reads them) it also reads the feedback store for the period and lists the comments partners
typed after "no"; with in-memory state they live in the bot process only and are not listed.`;

/** The feedback store's records of these days, when the bot's state (and so its feedback) is in Blob storage. */
async function storedFeedback(days: string[]): Promise<StoredFeedback | undefined> {
  const settings = loadStorageSettings(process.env);
  if (settings.kind !== 'blobs') return undefined;
  try {
    const store = await openStateStore(settings);
    return await new FeedbackStore(store.createFeedbackStorage()).read(days);
  } catch (error) {
    console.error(
      `the feedback store was not read: ${error instanceof Error ? error.message : String(error)}`,
    );
    return undefined;
  }
}

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
  // the bot's own settings file, as `npm start` reads it; real environment variables win
  if (existsSync('.env')) process.loadEnvFile('.env');
  const now = new Date();
  const since = values.since ? sinceOf(values.since, now) : undefined;
  const events = values.from.flatMap((file) => readEvents(readFileSync(file, 'utf8'), since));
  events.sort((a, b) => (a.time ?? '').localeCompare(b.time ?? ''));
  const summary = summarise(events, now, Number(values['abandon-after']));
  const from = since ?? (events[0]?.time ? new Date(events[0].time) : undefined);
  const stored = await storedFeedback(daysOf(from ?? now, now));
  const options = { lang, from, to: now, stored };
  mkdirSync(values.out, { recursive: true });
  const html = join(values.out, `report.${lang}.html`);
  const markdown = join(values.out, `report.${lang}.md`);
  writeFileSync(html, await reportHtml(summary, options));
  writeFileSync(markdown, reportMarkdown(summary, options));
  const commented = stored?.records.filter((record) => record.comment).length;
  const comments =
    commented === undefined ? '' : `, ${commented} ${commented === 1 ? 'comment' : 'comments'}`;
  console.log(
    `${summary.cases} cases from ${events.length} events${comments}: wrote ${html} and ${markdown}`,
  );
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
