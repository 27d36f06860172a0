import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getKnowledge } from '../src/knowledge/load';
import { Lang } from '../src/knowledge/schema';
import type { RenderedCard } from '../src/cards';
import { everyCard } from './helpers/everyCard';

/**
 * Every Adaptive Card the bot can send, rendered by the `adaptivecards` renderer in real Chromium at a phone's
 * width (360 px) with a Teams-like host config: no button title may be cut. Screenshots of a few cards are kept
 * in tests/artifacts/cards/.
 */
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) throw new Error(`Chromium not found at ${CHROMIUM}, but CI is set`);

const PHONE_WIDTH = 360;
const ARTIFACTS = path.resolve(import.meta.dirname, 'artifacts', 'cards');
const require = createRequire(import.meta.url);
const knowledge = getKnowledge();

/**
 * Teams' light theme as the Adaptive Cards samples give it (samples/HostConfig/microsoft-teams-light.json):
 * the spacing, font sizes and actions that decide how wide a button is.
 */
const TEAMS_HOST_CONFIG = {
  supportsInteractivity: true,
  spacing: { small: 8, default: 12, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#EEEEEE' },
  fontStyles: {
    default: {
      fontFamily: "'Segoe UI', 'Noto Sans CJK JP', system-ui, sans-serif",
      fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
      fontWeights: { lighter: 200, default: 400, bolder: 600 },
    },
    monospace: {
      fontFamily: "'Courier New', Courier, monospace",
      fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
      fontWeights: { lighter: 200, default: 400, bolder: 600 },
    },
  },
  actions: {
    maxActions: 6,
    spacing: 'Default',
    buttonSpacing: 8,
    showCard: { actionMode: 'Inline', inlineTopMargin: 16, style: 'emphasis' },
    preExpandSingleShowCardAction: false,
    actionsOrientation: 'Horizontal',
    actionAlignment: 'Left',
  },
  adaptiveCard: { allowCustomStyle: false },
  factSet: {
    title: { size: 'Default', color: 'Default', isSubtle: false, weight: 'Bolder', wrap: true },
    value: { size: 'Default', color: 'Default', isSubtle: false, weight: 'Default', wrap: true },
    spacing: 16,
  },
};

/**
 * Teams' buttons: 32 px high, 12 px padding either side, semibold 14 px text, 1 px border. A show-card button
 * ends in a chevron, which adaptivecards.css takes from the FabricMDL2Icons font (Teams has it, a plain page
 * does not: a missing-glyph box); drawn with borders here, it needs no font.
 */
const TEAMS_CSS = `
  body { margin: 0; font-family: 'Segoe UI', 'Noto Sans CJK JP', system-ui, sans-serif; }
  #card { width: ${PHONE_WIDTH}px; }
  .ac-pushButton { min-height: 32px; padding: 0 12px; border: 1px solid #c8c6c4; border-radius: 4px;
    background: #fff; font: 600 14px 'Segoe UI', 'Noto Sans CJK JP', system-ui, sans-serif;
    display: flex; align-items: center; justify-content: center; }
  .ac-pushButton.style-positive { background: #6264a7; color: #fff; }
  .ac-pushButton.expandable:after { content: ''; width: 5px; height: 5px; margin: 0 2px 3px 8px;
    border: solid currentColor; border-width: 0 1.5px 1.5px 0; transform: rotate(45deg); }
  .ac-pushButton.expandable.expanded:after { content: ''; margin: 3px 2px 0 8px; transform: rotate(-135deg); }
`;

interface Rendered {
  /** Height before anything is pressed. */
  firstHeight: number;
  /** Height with every show-card and toggle opened. */
  openHeight: number;
  /** Titles of the buttons whose text is wider than their box, or which stick out of the card. */
  cut: string[];
  buttons: number;
}

/** Runs in the page: renders one card, opens everything one press at a time, and measures every button. */
function renderInPage([card, hostConfig, press]: readonly [unknown, unknown, boolean]): Rendered {
  const w = window as unknown as {
    AdaptiveCards: {
      AdaptiveCard: {
        new (): { hostConfig: unknown; parse(json: unknown): void; render(): HTMLElement };
        onProcessMarkdown: (text: string, result: { outputHtml: string; didProcess: boolean }) => void;
      };
      HostConfig: new (json: unknown) => unknown;
    };
    markdownit: () => { render(text: string): string };
  };
  const markdown = w.markdownit();
  w.AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.outputHtml = markdown.render(text);
    result.didProcess = true;
  };
  const adaptiveCard = new w.AdaptiveCards.AdaptiveCard();
  adaptiveCard.hostConfig = new w.AdaptiveCards.HostConfig(hostConfig);
  adaptiveCard.parse(card);
  const root = document.getElementById('card')!;
  root.replaceChildren(adaptiveCard.render());
  const firstHeight = root.getBoundingClientRect().height;

  const cut = new Set<string>();
  let buttons = 0;
  const measure = () => {
    const box = root.getBoundingClientRect();
    for (const button of Array.from(root.querySelectorAll<HTMLElement>('.ac-pushButton'))) {
      if (button.offsetParent === null) continue; // hidden: measured once it is opened
      buttons += 1;
      const title = button.querySelector('div');
      const own = button.getBoundingClientRect();
      const overflowing = title !== null && title.scrollWidth > title.clientWidth + 0.5;
      if (overflowing || own.right > box.right + 0.5 || own.left < box.left - 0.5) {
        cut.add(button.innerText.trim());
      }
    }
  };
  measure();
  if (!press) return { firstHeight, openHeight: firstHeight, cut: [...cut], buttons };
  // Press each closed show-card and toggle once, measuring what it opens.
  for (const button of Array.from(
    root.querySelectorAll<HTMLElement>('.ac-pushButton[aria-expanded="false"]'),
  )) {
    if (button.offsetParent === null) continue;
    button.click();
    measure();
  }
  return { firstHeight, openHeight: root.getBoundingClientRect().height, cut: [...cut], buttons };
}

/**
 * Runs in the page: renders one card as a host of the given schema version reads it (a 1.2 host drops `label`),
 * opens every show-card, and returns, for each input, the texts just above it (nearest first).
 */
function inputCaptions([card, hostConfig, version]: readonly [unknown, unknown, string]): string[][] {
  const w = window as unknown as {
    AdaptiveCards: {
      AdaptiveCard: new () => {
        hostConfig: unknown;
        parse(json: unknown, context: unknown): void;
        render(): HTMLElement;
      };
      HostConfig: new (json: unknown) => unknown;
      SerializationContext: new (version: unknown) => unknown;
      Version: { parse(text: string, context: unknown): unknown };
    };
  };
  const { AdaptiveCard, HostConfig, SerializationContext, Version } = w.AdaptiveCards;
  const adaptiveCard = new AdaptiveCard();
  adaptiveCard.hostConfig = new HostConfig(hostConfig);
  const context = new SerializationContext(undefined) as { targetVersion: unknown };
  context.targetVersion = Version.parse(version, context);
  adaptiveCard.parse(card, context);
  const root = document.getElementById('card')!;
  root.replaceChildren(adaptiveCard.render());
  for (const button of Array.from(
    root.querySelectorAll<HTMLElement>('.ac-pushButton[aria-expanded="false"]'),
  )) {
    if (button.offsetParent !== null) button.click();
  }
  const texts = Array.from(root.querySelectorAll<HTMLElement>('.ac-textBlock, .ac-richTextBlock')).filter(
    (text) => text.offsetParent !== null && text.innerText.trim() !== '',
  );
  return Array.from(root.querySelectorAll<HTMLElement>('.ac-input-container'))
    .filter((input) => input.offsetParent !== null)
    .map((input) => {
      const top = input.getBoundingClientRect().top;
      return texts
        .map((text) => ({ text: text.innerText.trim(), bottom: text.getBoundingClientRect().bottom }))
        .filter(({ bottom }) => bottom <= top + 1 && top - bottom < 40)
        .sort((a, b) => b.bottom - a.bottom)
        .map(({ text }) => text);
    });
}

/**
 * Runs in the page: the characters of the buttons (titles and the chevron after a show-card title) that no font
 * of the page has, drawn as the missing-glyph box. Each is compared with a code point no font has (U+10FFFD).
 */
function missingGlyphs(): string[] {
  const canvas = document.createElement('canvas');
  canvas.width = 48;
  canvas.height = 48;
  const context = canvas.getContext('2d')!;
  const drawn = (text: string, font: string) => {
    context.clearRect(0, 0, canvas.width, canvas.height);
    context.font = font;
    context.fillText(text, 8, 32);
    return canvas.toDataURL();
  };
  const missing = new Set<string>();
  for (const button of Array.from(document.querySelectorAll<HTMLElement>('#card .ac-pushButton'))) {
    if (button.offsetParent === null) continue;
    for (const pseudo of [null, '::after']) {
      const style = getComputedStyle(button, pseudo);
      const text = pseudo ? (/^"(.*)"$/.exec(style.content)?.[1] ?? '') : button.innerText;
      const font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const box = drawn('\u{10FFFD}', font);
      for (const character of new Set(text.replace(/\s/g, ''))) {
        if (drawn(character, font) === box) missing.add(character);
      }
    }
  }
  return [...missing].map((character) => `U+${character.codePointAt(0)!.toString(16).toUpperCase()}`);
}

describe.skipIf(!hasChromium)('cards at a phone width of 360 px, Teams host config', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
    page = await browser.newPage({ viewport: { width: PHONE_WIDTH, height: 800 } });
    await page.setContent(
      `<!doctype html><html><head><meta charset="utf-8"></head><body><div id="card"></div></body></html>`,
    );
    await page.addStyleTag({ path: require.resolve('adaptivecards/dist/adaptivecards.css') });
    await page.addStyleTag({ content: TEAMS_CSS });
    await page.addScriptTag({ path: require.resolve('adaptivecards/dist/adaptivecards.min.js') });
    await page.addScriptTag({ path: require.resolve('markdown-it/dist/markdown-it.min.js') });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);
  afterAll(() => browser?.close());

  it.each(Lang.options)(
    'cuts no button title on any card (%s)',
    async (lang) => {
      const cards = everyCard(lang, knowledge);
      // Buttons lay out by their titles and action sets only: cards with the same actions render them alike.
      const byActions = new Map<string, (typeof cards)[number]>();
      for (const entry of cards) byActions.set(actionsOf(entry.card.attachment.content), entry);
      const cut: string[] = [];
      let buttons = 0;
      let tallest = { name: '', firstHeight: 0, openHeight: 0 };
      for (const { name, card } of byActions.values()) {
        const rendered = await page.evaluate(renderInPage, [
          card.attachment.content,
          TEAMS_HOST_CONFIG,
          true,
        ] as const);
        buttons += rendered.buttons;
        cut.push(...rendered.cut.map((title) => `${name}: "${title}"`));
        if (rendered.firstHeight > tallest.firstHeight) tallest = { name, ...rendered };
      }
      expect(buttons).toBeGreaterThan(byActions.size);
      expect(cut).toEqual([]);
      writeFileSync(
        path.join(ARTIFACTS, `tallest-first-screen-${lang}.json`),
        JSON.stringify({ width: PHONE_WIDTH, ...tallest }, null, 2),
      );
    },
    120_000,
  );

  it('sees a cut title: four long buttons in one row do not fit 360 px', async () => {
    const crowded = {
      type: 'AdaptiveCard',
      version: '1.2',
      body: [{ type: 'TextBlock', text: 'A row of buttons' }],
      actions: ['Open the portal', 'Start over', 'Change an answer', 'All 15 steps'].map((title) => ({
        type: 'Action.Submit',
        title,
        data: { verb: 'startOver' },
      })),
    };
    const rendered = await page.evaluate(renderInPage, [crowded, TEAMS_HOST_CONFIG, true] as const);
    expect(rendered.cut.length).toBeGreaterThan(0);
  });

  it('sees a missing glyph: the chevron of adaptivecards.css has no font on this page', async () => {
    const expandable = {
      type: 'AdaptiveCard',
      version: '1.2',
      body: [{ type: 'TextBlock', text: 'More' }],
      actions: [{ type: 'Action.ShowCard', title: 'All 4 steps', card: { type: 'AdaptiveCard', body: [] } }],
    };
    await page.evaluate(renderInPage, [expandable, TEAMS_HOST_CONFIG, false] as const);
    const chevron = await page.addStyleTag({
      content: `.ac-pushButton.expandable:after { content: "\\e70d"; font-family: FabricMDL2Icons; border: 0; }`,
    });
    expect(await page.evaluate(missingGlyphs)).toEqual(['U+E70D']);
    await chevron.evaluate((style) => (style as HTMLStyleElement).remove());
    expect(await page.evaluate(missingGlyphs)).toEqual([]);
  });

  it.each(Lang.options)(
    'labels every input in a 1.2 host (Teams mobile) and once in a newer one (%s)',
    async (lang) => {
      const withInputs = new Map<string, RenderedCard>();
      for (const { card } of everyCard(lang, knowledge)) {
        const inputs = JSON.stringify(card.attachment.content).match(/"type":"Input\.\w+"/g) ?? [];
        withInputs.set(`${card.card}/${inputs.join()}`, card);
      }
      expect([...withInputs.values()].map((card) => card.card)).toEqual(
        expect.arrayContaining(['result', 'notEligible', 'question']),
      );
      for (const [name, card] of withInputs) {
        const content = card.attachment.content;
        const mobile = await page.evaluate(inputCaptions, [content, TEAMS_HOST_CONFIG, '1.2'] as const);
        const desktop = await page.evaluate(inputCaptions, [content, TEAMS_HOST_CONFIG, '1.5'] as const);
        expect(mobile.length, name).toBe(desktop.length);
        // The same words name each input in both: a 1.3 `label` alone would leave it with another text above.
        mobile.forEach((captions, i) => {
          expect(captions[0], `${name}: an input with no label`).toBeTruthy();
          expect(captions[0], `${name}: another label on Teams mobile`).toBe(desktop[i][0]);
        });
        for (const captions of desktop) expect(captions[0], `${name}: the label twice`).not.toBe(captions[1]);
      }
    },
    60_000,
  );

  it('sees an unlabelled input: a 1.2 host drops a 1.3 label, leaving the hint above it', async () => {
    const labelOnly = {
      type: 'AdaptiveCard',
      version: '1.2',
      body: [
        { type: 'TextBlock', text: 'Why we ask' },
        { type: 'Input.ChoiceSet', id: 'x', label: 'Your answer', choices: [{ title: 'A', value: 'a' }] },
      ],
    };
    const [desktop] = await page.evaluate(inputCaptions, [labelOnly, TEAMS_HOST_CONFIG, '1.5'] as const);
    const [mobile] = await page.evaluate(inputCaptions, [labelOnly, TEAMS_HOST_CONFIG, '1.2'] as const);
    expect(desktop[0]).toBe('Your answer');
    expect(mobile[0]).toBe('Why we ask');
  });

  it.each(Lang.options)(
    'keeps screenshots of the welcome, a question and the longest route card (%s)',
    async (lang) => {
      const cards = everyCard(lang, knowledge);
      const longest = cards
        .filter(({ card }) => card.card === 'result')
        .sort((a, b) => (b.card.details?.length ?? 0) - (a.card.details?.length ?? 0))[0];
      const picks = [
        cards.find(({ card }) => card.card === 'welcome')!,
        cards.find(({ card }) => card.card === 'question')!,
        longest,
      ];
      for (const { card } of picks) {
        await page.evaluate(renderInPage, [card.attachment.content, TEAMS_HOST_CONFIG, false] as const);
        // what the screenshot shows: every button character drawn by a font, no missing-glyph box
        expect(await page.evaluate(missingGlyphs), card.card).toEqual([]);
        const file = path.join(ARTIFACTS, `${lang}-${card.card}.png`);
        await page.locator('#card').screenshot({ path: file });
        expect(existsSync(file)).toBe(true);
      }
    },
    60_000,
  );
});

/** The titles of a card's buttons, grouped by the action set they sit in. */
function actionsOf(content: unknown): string {
  const sets: string[][] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const actions = (node as { actions?: unknown }).actions;
      if (Array.isArray(actions))
        sets.push(actions.map((action) => String((action as { title?: string }).title)));
      Object.values(node).forEach(walk);
    }
  };
  walk(content);
  return JSON.stringify(sets);
}
