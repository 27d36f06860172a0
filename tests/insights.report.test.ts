import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { chromium } from 'playwright-core';
import { FeedbackStore, type FeedbackRecord } from '../src/insights/feedback';
import { daysOf, readEvents, reportHtml, reportMarkdown, sinceOf, summarise } from '../src/insights/report';
import { loadStorageSettings, openStateStore } from '../src/storage';

const NOW = new Date('2026-11-20T13:00:00Z');
const log = readFileSync('tests/fixtures/insights/events.jsonl', 'utf8');
const summary = summarise(readEvents(log, sinceOf('7d', NOW)), NOW);

describe("trainers' report figures (tests/fixtures/insights/events.jsonl)", () => {
  it('counts cases, finished and abandoned, leaving out lines before --since and lines without an event', () => {
    expect(summary).toMatchObject({ cases: 6, finished: 3, abandoned: 2 });
    expect(summary.perRoute).toEqual([
      { routeId: 'azure/advancedSupportForPartners', cases: 1 },
      { routeId: 'azure/cloudSolutionProvider', cases: 1 },
      { routeId: 'onPremises/signatureOnPremisesSupport', cases: 1 },
    ]);
    expect(summary.perFamily).toEqual([
      { family: 'azure', cases: 4, finished: 2 },
      { family: 'onPremises', cases: 2, finished: 1 },
    ]);
  });

  it('shows where partners leave, family by family, in the order they meet the questions', () => {
    expect(summary.funnels).toEqual([
      {
        family: 'azure',
        steps: [
          { question: 'family', reached: 2, abandoned: 0 },
          { question: 'program', reached: 4, abandoned: 2 },
          { question: 'purchasedPlan', reached: 2, abandoned: 0 },
        ],
      },
      {
        family: 'onPremises',
        steps: [
          // the case still going (12:50, less than 30 minutes ago) is not abandoned
          { question: 'product', reached: 2, abandoned: 0 },
          { question: 'tier', reached: 1, abandoned: 0 },
        ],
      },
    ]);
  });

  // conversation C said "no", then gave its reason: one vote
  it('counts buttons against typing, groups messages not understood and gives feedback per route', () => {
    expect(summary.answers).toEqual({ button: 6, typed: 2, corrected: 1 });
    expect(summary.notUnderstood).toEqual([
      { text: 'my contract is <n>', count: 2 },
      { text: 'where is <url>', count: 1 },
    ]);
    expect(summary.feedback).toContainEqual({
      routeId: 'onPremises/signatureOnPremisesSupport',
      cases: 1,
      answered: 1,
      yes: 0,
      no: 1,
      reasons: { wrongRoute: 1 },
    });
  });

  it("takes the bot's `abandoned` line when there is one, unless the case went on after it", () => {
    const line = (time: string, event: string, conversationId: string, more = {}) =>
      JSON.stringify({ time, event, conversationId, ...more });
    const more = [
      // E is still within 30 minutes by the clock, but the bot said it was abandoned at the product question
      line('2026-11-20T12:55:00.000Z', 'abandoned', 'E', { question: 'product', idleMinutes: 30 }),
      // F was logged abandoned by an instance that did not see it go on elsewhere: it went on
      line('2026-11-20T12:40:00.000Z', 'caseStarted', 'F', { answers: { family: 'azure' } }),
      line('2026-11-20T12:40:01.000Z', 'questionAsked', 'F', { question: 'program' }),
      line('2026-11-20T12:50:00.000Z', 'abandoned', 'F', { question: 'program' }),
      line('2026-11-20T12:51:00.000Z', 'answerTaken', 'F', { question: 'program', option: 'advisor' }),
    ];
    const withLines = summarise(readEvents([log, ...more].join('\n'), sinceOf('7d', NOW)), NOW);
    expect(withLines.abandoned).toBe(summary.abandoned + 1);
    const onPremises = withLines.funnels.find((funnel) => funnel.family === 'onPremises');
    expect(onPremises?.steps).toContainEqual({ question: 'product', reached: 2, abandoned: 1 });
  });

  it('writes the figures as Markdown in either language', () => {
    const en = reportMarkdown(summary, { lang: 'en', to: NOW });
    expect(en).toContain('6 cases (3 reached an answer card, 2 abandoned)');
    expect(en).toContain('| program | 4 | 2 |');
    expect(en).toContain('| my contract is <n> | 2 |');
    const ja = reportMarkdown(summary, { lang: 'ja', to: NOW });
    expect(ja).toContain('ケース 6 件 (回答カードまで 3 件、途中で離脱 2 件)');
  });

  it('draws a self-contained page with Vega-Lite SVG charts, and it renders in Chromium', async () => {
    const html = await reportHtml(summary, { lang: 'ja', to: NOW });
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
    expect(html.match(/<svg/g)?.length).toBeGreaterThanOrEqual(5);
    mkdirSync('tests/artifacts', { recursive: true });
    writeFileSync('tests/artifacts/report.ja.html', html);
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      await page.setContent(html);
      await page.screenshot({ path: 'tests/artifacts/report.ja.png', fullPage: true });
      expect(requests).toEqual([]);
      // the route chart has one bar per route, with the route ids as axis labels
      const labels = await page.locator('svg text').allTextContents();
      expect(labels).toEqual(expect.arrayContaining(['azure/cloudSolutionProvider', 'program']));
      const size = await page.locator('figure svg').first().boundingBox();
      expect(size?.width).toBeGreaterThan(300);
    } finally {
      await browser.close();
    }
  });
});

const comment = (
  at: string,
  text: string,
  reason: FeedbackRecord['reason'] = 'unclearSteps',
): FeedbackRecord => ({
  at,
  vote: randomUUID(),
  routeId: 'azure/cloudSolutionProvider',
  helpful: false,
  reason,
  comment: text,
  answers: { family: 'azure' },
  lang: 'en',
});

describe('comments typed after "no" (the feedback store)', () => {
  it('lists them newest first, one line each, with the votes a full day did not keep', () => {
    const stored = {
      records: [
        comment('2026-11-19T10:00:00.000Z', 'older one'),
        { ...comment('2026-11-19T11:00:00.000Z', ''), comment: undefined, helpful: true },
        comment('2026-11-20T09:30:00.000Z', 'step 3 | has no link\nat all', 'missingInformation'),
      ],
      dropped: 4,
    };
    const en = reportMarkdown(summary, { lang: 'en', to: NOW, stored });
    expect(en).toContain('## Comments after "no" (newest first)');
    const rows = en.split('\n').filter((line) => line.startsWith('| 2026-11-'));
    expect(rows).toEqual([
      '| 2026-11-20 09:30 | azure/cloudSolutionProvider | missingInformation | step 3 \\| has no link at all |',
      '| 2026-11-19 10:00 | azure/cloudSolutionProvider | unclearSteps | older one |',
    ]);
    expect(en).toContain("4 more votes were not kept: their day had reached the store's limit.");
    const ja = reportMarkdown(summary, { lang: 'ja', to: NOW, stored: { records: [], dropped: 0 } });
    expect(ja).toContain('「いいえ」のあとのコメント (新しい順)\n\nデータなし');
  });

  it('says where the comments are when the store was not read (in-memory state)', () => {
    expect(reportMarkdown(summary, { lang: 'en', to: NOW })).toContain(
      "The comments are in the bot's feedback store: make the report with the Blob storage settings",
    );
  });

  it('reads the days of the period, UTC, the last day included', () => {
    expect(daysOf(new Date('2026-11-29T23:30:00Z'), new Date('2026-12-01T00:10:00Z'))).toEqual([
      '2026-11-29',
      '2026-11-30',
      '2026-12-01',
    ]);
    expect(daysOf(new Date('2020-01-01T00:00:00Z'), NOW)).toHaveLength(366);
  });

  it('npm run report, with the Blob storage settings of the bot, lists the comments of its feedback store', async () => {
    const env = {
      STORAGE_CONNECTION_STRING: inject('storageConnectionString'),
      STORAGE_CONTAINER: `report-${randomUUID().slice(0, 8)}`,
    };
    const state = await openStateStore(loadStorageSettings(env));
    const feedback = new FeedbackStore(state.createFeedbackStorage());
    await feedback.add(comment(new Date().toISOString(), 'the portal link is gone'));
    const out = mkdtempSync(join(tmpdir(), 'report-'));
    try {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          '--import',
          'tsx',
          'src/cli/report.ts',
          '--from',
          'tests/fixtures/insights/events.jsonl',
          '--out',
          out,
        ],
        { encoding: 'utf8', env: { ...process.env, ...env } },
      );
      expect(stdout).toContain('events, 1 comment: wrote');
      expect(readFileSync(join(out, 'report.en.md'), 'utf8')).toContain(
        '| azure/cloudSolutionProvider | unclearSteps | the portal link is gone |',
      );
      expect(readFileSync(join(out, 'report.en.html'), 'utf8')).toContain('<td>the portal link is gone</td>');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
