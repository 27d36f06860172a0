import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { MemoryStorage } from 'botbuilder';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answers, Route } from '../src/engine/types';
import { route } from '../src/engine/route';
import { startBot, type RunningBot } from '../src/index';
import { getKnowledge } from '../src/knowledge/load';
import type { Lang, QuestionId } from '../src/knowledge/schema';
import { createLogger } from '../src/logger';
import { cardMessages, cardText } from '../src/messages/cards';
import { webChatMessages } from '../src/messages/channels';

/**
 * The web chat page in real Chromium against the real bot, offline: the page loads Web Chat from this server,
 * talks to the server's own Direct Line, and a partner clicks through to the result card in each language.
 */
/** Debian's chromium; CHROMIUM_PATH points elsewhere on other systems. */
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const NO_CHROMIUM = `Chromium not found at ${CHROMIUM} (apt-get install chromium); the browser test runs in CI`;
if (!hasChromium && process.env.CI) throw new Error(`${NO_CHROMIUM}, but CI is set: it must run here`);

const ARTIFACTS = path.resolve(import.meta.dirname, 'artifacts');
const knowledge = getKnowledge();

/** What Web Chat shows next to a message that could not be sent, in each language (from its own catalogue). */
function sendFailedText(locale: string): string {
  const require = createRequire(import.meta.url);
  const file = path.join(
    path.dirname(require.resolve('botframework-webchat-api')),
    'localization',
    `${locale}.json`,
  );
  const strings = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  return strings.ACTIVITY_STATUS_SEND_FAILED_RETRY.split('[')[0].trim();
}

interface Scenario {
  lang: Lang;
  browserLocale: string;
  answers: Answers;
  routeId: string;
}

const scenarios: Scenario[] = [
  {
    lang: 'en',
    browserLocale: 'en-US',
    answers: { family: 'azure', program: 'cspDirect', purchasedPlan: 'none' },
    routeId: 'azure/cloudSolutionProvider',
  },
  {
    lang: 'ja',
    browserLocale: 'ja-JP',
    answers: { family: 'onPremises', tier: 'silver', version: 'current' },
    routeId: 'onPremises/partnerSupportCoreBenefit',
  },
];

/** The button labels a partner clicks for these answers, from the knowledge file. */
function answerLabels(answers: Answers, lang: Lang): string[] {
  return Object.entries(answers).map(([question, option]) => {
    const options = knowledge.questions[question as QuestionId].options as {
      id: string;
      label: Record<Lang, string>;
    }[];
    return options.find((candidate) => candidate.id === option)!.label[lang];
  });
}

interface Screen {
  viewport?: { width: number; height: number };
  deviceScaleFactor?: number;
  /** For injecting axe-core into the page (its CSP allows only the page's own scripts). */
  bypassCSP?: boolean;
}

async function launch(
  locale: string,
  screen: Screen = {},
): Promise<{ context: BrowserContext; page: Page; dir: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    locale,
    ...screen,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page, dir };
}

/**
 * Text as the partner reads it, for comparing with the knowledge file: Web Chat renders card text as Markdown
 * (typographic quotes, list markers), so only letters and digits are compared.
 */
const readable = (text: string) =>
  text
    .replace(/^\d+\.\s+/, '')
    .replace(/[^\p{L}\p{N}]+/gu, '')
    .toLowerCase();

/** Waits until `check` holds, polling the page (the bot answers asynchronously). */
async function until(page: Page, what: string, check: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 120; attempt++) {
    if (await check()) return;
    await page.waitForTimeout(250);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * The newest button with exactly this label, on a card in the transcript or among the suggested actions
 * (not the copies in Web Chat's off-screen live region for screen readers).
 */
const buttonLabelled = (page: Page, label: string) =>
  page
    .locator('.webchat__basic-transcript, .webchat__suggested-actions')
    .getByRole('button', { name: label, exact: true })
    .last();

async function visibleAndEnabled(page: Page, label: string): Promise<boolean> {
  const button = buttonLabelled(page, label);
  return (await button.count()) > 0 && (await button.isVisible()) && (await button.isEnabled());
}

describe('web chat page in Chromium, against the real bot', () => {
  let bot: RunningBot;

  beforeAll(async () => {
    if (!hasChromium) return;
    // the composition root's own wiring, as `npm start` runs it (no Azure Bot, no Direct Line secret)
    bot = await startBot({
      env: {},
      port: 0,
      storage: new MemoryStorage(),
      log: createLogger({ level: 'silent' }),
      webChat: true,
    });
  });
  afterAll(async () => {
    await bot?.close();
  });

  for (const scenario of scenarios) {
    it(`${scenario.lang}: welcome, choices clicked through to the result card for ${scenario.routeId}`, async (ctx) => {
      if (!hasChromium) return ctx.skip(NO_CHROMIUM);
      const expected = route(scenario.answers, scenario.lang, knowledge) as Route;
      expect(expected.id).toBe(scenario.routeId);

      const { context, page, dir } = await launch(scenario.browserLocale);
      const requests: string[] = [];
      const problems: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) problems.push(message.text());
      });
      try {
        await page.goto(`${bot.url}/chat`);

        // the page follows the browser's language: the bot's name and intro before the first message
        expect(await page.locator('html').getAttribute('lang')).toBe(scenario.lang);
        await expect
          .poll(() => page.locator('h1').textContent())
          .toBe(webChatMessages.botName[scenario.lang]);
        expect(await page.locator('.top__intro').textContent()).toBe(webChatMessages.intro[scenario.lang]);

        // the welcome card, in the same language, then the choices for this case
        const labels = [
          cardMessages.topicSupportCase[scenario.lang],
          ...answerLabels(scenario.answers, scenario.lang),
        ];
        const clicked = new Set<string>();
        // the result card is the one that names the support plan to choose
        const resultCard = page
          .locator('.ac-adaptiveCard')
          .filter({ has: page.getByText(cardMessages.planLabel[scenario.lang], { exact: true }) });
        await until(page, 'the welcome', () => visibleAndEnabled(page, labels[0]));
        while (!(await resultCard.count())) {
          let next: string | undefined;
          await until(
            page,
            `one of ${labels.filter((l) => !clicked.has(l)).join(', ')} or the result card`,
            async () => {
              if (await resultCard.count()) return true;
              for (const label of labels) {
                if (!clicked.has(label) && (await visibleAndEnabled(page, label))) {
                  next = label;
                  return true;
                }
              }
              return false;
            },
          );
          if (!next) break;
          clicked.add(next);
          // pressed from the keyboard: Web Chat keeps scrolling to the newest message, which can move a button
          // from under the mouse between aiming and clicking
          await buttonLabelled(page, next).press('Enter');
          next = undefined;
        }

        // each question that matters for this case was asked once, and answered by a click
        expect([...clicked].sort()).toEqual([...labels].sort());

        // a long card opens at its top, where the plan and the portal are, not scrolled to its bottom
        await page.waitForTimeout(1_000);
        const top = await resultCard.last().evaluate((card) => {
          const scroller = card.closest('.webchat__basic-transcript__scrollable') ?? document.documentElement;
          return card.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
        });
        expect(top).toBeGreaterThanOrEqual(-1);

        // the result card opens on the first steps; "All N steps", pressed from the keyboard, shows the rest. It
        // ends in a chevron that says it opens (drawn with borders: the page loads no icon font), pointing down
        // while closed and up once open
        const allSteps = cardText('allSteps', scenario.lang, { count: expected.steps.length });
        const chevron = () =>
          buttonLabelled(page, allSteps).evaluate((button) => {
            const after = getComputedStyle(button, '::after');
            return {
              expanded: button.getAttribute('aria-expanded'),
              drawn: after.content === '""' && parseFloat(after.width) > 0 && parseFloat(after.height) > 0,
              line: parseFloat(after.borderBottomWidth) > 0 && parseFloat(after.borderRightWidth) > 0,
              transform: after.transform,
            };
          });
        const closed = await chevron();
        expect(closed).toMatchObject({ expanded: 'false', drawn: true, line: true });
        await buttonLabelled(page, allSteps).press('Enter');
        const opened = await chevron();
        expect(opened).toMatchObject({ expanded: 'true', drawn: true, line: true });
        expect(opened.transform).not.toBe(closed.transform);
        // the route's steps, in order, in the page's language
        // numbered 1, 2, 3… as the card numbers them (Web Chat renders a bare "2." as a new list, numbered 1)
        const numbers = await resultCard
          .last()
          .locator('.ac-fact-title')
          .evaluateAll((titles) => titles.map((title) => (title as HTMLElement).innerText.trim()));
        expect(numbers.filter((title) => /^\d+\.$/.test(title))).toEqual(
          expected.steps.map((_, index) => `${index + 1}.`),
        );
        // each number on one line: a title column shrunk to one character showed "1" above "."
        const wrappedNumbers = await resultCard
          .last()
          .locator('.ac-fact-title .ac-textBlock')
          .evaluateAll((blocks) =>
            blocks
              .filter((block) => /^\d+\.$/.test((block as HTMLElement).innerText.trim()))
              .filter((block) => block.clientHeight > 1.5 * parseFloat(getComputedStyle(block).lineHeight))
              .map((block) => (block as HTMLElement).innerText.trim()),
          );
        expect(wrappedNumbers).toEqual([]);
        const shownText = readable(await resultCard.last().innerText());
        const missing = expected.steps.filter((step) => !shownText.includes(readable(step.text)));
        expect(missing.map((step) => step.text)).toEqual([]);
        const positions = expected.steps.map((step) => shownText.indexOf(readable(step.text)));
        expect(positions).toEqual([...positions].sort((a, b) => a - b));
        expect(shownText).toContain(readable(expected.plan.name));

        expect(await page.getByText(sendFailedText(scenario.browserLocale)).count()).toBe(0);
        expect(problems).toEqual([]);
        const offHost = requests.filter(
          (url) => /^https?:/.test(url) && new URL(url).hostname !== '127.0.0.1',
        );
        expect(offHost).toEqual([]);
      } catch (error) {
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: path.join(ARTIFACTS, `webchat-${scenario.lang}.png`), fullPage: true });
        throw error;
      } finally {
        await context.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }, 120_000);
  }

  it('switches language with the visible switch, and the bot then greets in that language', async (ctx) => {
    if (!hasChromium) return ctx.skip(NO_CHROMIUM);
    const { context, page, dir } = await launch('ja-JP');
    try {
      await page.goto(`${bot.url}/chat`);
      await until(page, 'the Japanese welcome', () =>
        visibleAndEnabled(page, cardMessages.topicSupportCase.ja),
      );
      await page.getByRole('button', { name: 'English', exact: true }).click();
      await until(page, 'the English welcome', () =>
        visibleAndEnabled(page, cardMessages.topicSupportCase.en),
      );
      expect(await page.locator('h1').textContent()).toBe(webChatMessages.botName.en);
      expect(new URL(page.url()).searchParams.get('lang')).toBe('en');
      expect(
        await page.getByRole('button', { name: 'English', exact: true }).getAttribute('aria-pressed'),
      ).toBe('true');
    } catch (error) {
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, 'webchat-switch.png'), fullPage: true });
      throw error;
    } finally {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
  /** The transcript's share of the window (or of the iframe), once the welcome has arrived. */
  async function transcriptShare(page: Page): Promise<number> {
    const chatFrame = () => page.frames().find((candidate) => candidate.url().includes('/chat'));
    await until(page, 'the welcome', async () => {
      const frame = chatFrame();
      return frame !== undefined && (await frame.locator('.ac-adaptiveCard').count()) > 0;
    });
    // Web Chat shows "Connecting…" above the send box until its first poll is answered
    await until(
      page,
      'connected',
      async () => (await chatFrame()!.locator('.webchat__connectivityStatus').count()) === 0,
    );
    return chatFrame()!.evaluate(() => {
      const transcript = document.querySelector('.webchat__basic-transcript');
      return transcript ? transcript.getBoundingClientRect().height / window.innerHeight : 0;
    });
  }

  const screens: { name: string; screen: Screen; iframe?: boolean }[] = [
    { name: '320×568', screen: { viewport: { width: 320, height: 568 } } },
    { name: '360×640', screen: { viewport: { width: 360, height: 640 } } },
    // 200 % zoom doubles every CSS pixel: a 480×640 iframe then lays out as 240×320 CSS pixels, drawn at 2×
    {
      name: 'a 480×640 iframe at 200 % zoom',
      screen: { viewport: { width: 240, height: 320 }, deviceScaleFactor: 2 },
      iframe: true,
    },
  ];

  for (const { name, screen, iframe } of screens) {
    it(`keeps at least 55 % of the height for the transcript at ${name}`, async (ctx) => {
      if (!hasChromium) return ctx.skip(NO_CHROMIUM);
      const { context, page, dir } = await launch('en-US', screen);
      try {
        if (iframe) {
          // an embedding page on a network origin (frame-ancestors does not match about:blank)
          await page.goto(`${bot.url}/healthz`);
          await page.setContent(
            `<body style="margin:0"><iframe src="${bot.url}/chat?lang=en" title="chat" style="border:0;width:100vw;height:100vh;display:block"></iframe></body>`,
          );
        } else {
          await page.goto(`${bot.url}/chat?lang=en`);
        }
        const share = await transcriptShare(page);
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: path.join(ARTIFACTS, `webchat-${name.replace(/[^\w]+/g, '-')}.png`) });
        expect(share).toBeGreaterThanOrEqual(0.55);
        // nothing sticks out on the right: no sideways scrolling
        const frame = page.frames().find((candidate) => candidate.url().includes('/chat'))!;
        const wide = await frame.evaluate(() =>
          Array.from(document.querySelectorAll('body *'))
            .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
            .map((element) => `${element.tagName} ${String(element.className).split(' ')[0]}`),
        );
        expect(wide).toEqual([]);
      } finally {
        await context.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }, 60_000);
  }

  it('keeps the conversation through a reload: the same conversation, its transcript, and it goes on', async (ctx) => {
    if (!hasChromium) return ctx.skip(NO_CHROMIUM);
    const { context, page, dir } = await launch('en-US');
    const [family] = answerLabels({ family: 'azure' }, 'en');
    try {
      await page.goto(`${bot.url}/chat?lang=en`);
      await until(page, 'the welcome', () => visibleAndEnabled(page, cardMessages.topicSupportCase.en));
      await buttonLabelled(page, cardMessages.topicSupportCase.en).press('Enter');
      await until(page, 'the family question', () => visibleAndEnabled(page, family));
      const kept = () =>
        page.evaluate(() =>
          JSON.parse(sessionStorage.getItem('partner-support-router.conversation') ?? 'null'),
        );
      const before = (await kept()) as { conversationId: string; token: string };
      expect(before.conversationId).toBeTruthy();
      // what the partner sees: each message of the transcript, in order
      const messages = () =>
        page.locator('.webchat__basic-transcript__activity').evaluateAll((activities) =>
          activities.map((activity) => {
            // without the send time ("Just now" turns into "1 minute ago") and the screen reader's copy
            const copy = activity.cloneNode(true) as HTMLElement;
            copy.querySelectorAll('[class*="status"], [class*="screen-reader"]').forEach((e) => e.remove());
            return (copy.textContent ?? '').replace(/\s+/g, ' ').trim();
          }),
        );
      const shown = await messages();
      expect(shown.length).toBeGreaterThanOrEqual(2);

      await page.reload();
      // the transcript reappears as it was: the welcome, the partner's choice and the question, none twice
      await until(page, 'the question again', () => visibleAndEnabled(page, family));
      await until(page, 'the whole transcript', async () => (await messages()).length >= shown.length);
      expect(await messages()).toEqual(shown);
      expect(
        await page.locator('.ac-adaptiveCard').filter({ hasText: knowledge.meta.title.en }).count(),
      ).toBe(1);
      expect(((await kept()) as { conversationId: string }).conversationId).toBe(before.conversationId);

      // and the conversation goes on where it was
      await buttonLabelled(page, family).press('Enter');
      const [program] = answerLabels({ program: 'cspDirect' }, 'en');
      await until(page, 'the next question', () => visibleAndEnabled(page, program));
    } catch (error) {
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, 'webchat-reload.png'), fullPage: true });
      throw error;
    } finally {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('is usable from the keyboard: Tab reaches the transcript, its card buttons and the send box', async (ctx) => {
    if (!hasChromium) return ctx.skip(NO_CHROMIUM);
    const { context, page, dir } = await launch('en-US');
    /** What has the focus, as a partner would name it. */
    const focused = () =>
      page.evaluate(() => {
        const active = document.activeElement as HTMLElement | null;
        if (!active) return '';
        if (active.matches('.ac-pushButton')) return `card button: ${active.innerText.trim()}`;
        if (active.matches('.webchat__send-box-text-box__input')) return 'send box';
        if (active.matches('.webchat__basic-transcript')) return 'transcript';
        return active.tagName.toLowerCase();
      });
    const tabUntil = async (wanted: string, presses = 15) => {
      const reached: string[] = [];
      for (let press = 0; press < presses; press++) {
        await page.keyboard.press('Tab');
        reached.push(await focused());
        if (reached.at(-1) === wanted) return reached;
      }
      return reached;
    };
    try {
      await page.goto(`${bot.url}/chat?lang=en`);
      await until(page, 'the welcome', () => visibleAndEnabled(page, cardMessages.topicSupportCase.en));
      // Web Chat's transcript is one tab stop: the arrow keys pick a message, Enter goes into it, Tab to its buttons
      expect(await tabUntil('transcript')).toContain('transcript');
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('Enter');
      const inCard = [
        await focused(),
        ...(await tabUntil(`card button: ${cardMessages.topicSupportCase.en}`)),
      ];
      expect(inCard).toContain(`card button: ${cardMessages.topicSupportCase.en}`);
      await page.keyboard.press('Escape');
      expect(await tabUntil('send box')).toContain('send box');
      // typed and sent with Enter, the message reaches the bot, which answers
      await page.keyboard.type('help');
      await page.keyboard.press('Enter');
      await until(
        page,
        'the message sent',
        async () => (await page.locator('.webchat__bubble--from-user').count()) > 0,
      );
    } finally {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  /** Serious and critical accessibility violations on the page as it is now (axe-core from node_modules). */
  async function axeViolations(page: Page): Promise<string[]> {
    if (!(await page.evaluate(() => 'axe' in window))) {
      await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
    }
    return page.evaluate(async () => {
      type Result = { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
      const { axe } = window as unknown as { axe: { run(): Promise<Result> } };
      const { violations } = await axe.run();
      return violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map(
          (violation) =>
            `${violation.impact} ${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
        );
    });
  }

  for (const scenario of scenarios) {
    it(`has no serious or critical axe-core violation, at the welcome and on a result card (${scenario.lang})`, async (ctx) => {
      if (!hasChromium) return ctx.skip(NO_CHROMIUM);
      // axe-core is injected as a script, which the page's CSP (scripts from this server only) would refuse
      const { context, page, dir } = await launch(scenario.browserLocale, { bypassCSP: true });
      try {
        await page.goto(`${bot.url}/chat?lang=${scenario.lang}`);
        await until(page, 'the welcome', () =>
          visibleAndEnabled(page, cardMessages.topicSupportCase[scenario.lang]),
        );
        expect(await axeViolations(page)).toEqual([]);

        const expected = route(scenario.answers, scenario.lang, knowledge) as Route;
        const allSteps = cardText('allSteps', scenario.lang, { count: expected.steps.length });
        // the case's buttons, pressed as they come (the engine decides the order), up to the result card
        const labels = [
          cardMessages.topicSupportCase[scenario.lang],
          ...answerLabels(scenario.answers, scenario.lang),
        ];
        while (!(await visibleAndEnabled(page, allSteps))) {
          let next: string | undefined;
          await until(page, 'a button of the case or the result card', async () => {
            if (await visibleAndEnabled(page, allSteps)) return true;
            for (const label of labels) if (await visibleAndEnabled(page, label)) next = label;
            return next !== undefined;
          });
          if (!next) break;
          labels.splice(labels.indexOf(next), 1);
          await buttonLabelled(page, next).press('Enter');
        }
        await buttonLabelled(page, allSteps).press('Enter');
        expect(await axeViolations(page)).toEqual([]);
      } finally {
        await context.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }, 90_000);
  }
});
