import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { MemoryStorage, type Activity, type Attachment } from 'botbuilder';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { startBot, type RunningBot } from '../src/index';
import { getKnowledge } from '../src/knowledge/load';
import type { Lang } from '../src/knowledge/schema';
import { createLogger } from '../src/logger';
import { conversationMessages } from '../src/messages/conversation';
import { storageMessages } from '../src/storage/messages';
import { client, joins, says, submits, type Client, type ClientKind } from './helpers/channels';
import { allText } from './helpers/replies';
import {
  buildTeamsPackage,
  iconProblems,
  localSchema,
  TEAMS_DIR,
  TeamsPackageError,
  validatePackageFiles,
} from '../scripts/teams-package';
import { drawOutlineIcon } from '../scripts/teams-icons';

const env = {
  MicrosoftAppId: '6a1b2c3d-1111-4222-8333-944455566677',
  TEAMS_WEBSITE_URL: 'https://intranet.example.com/support-bot',
};

describe('Teams app package', () => {
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'teams-package-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('zips a manifest that validates against the official schema, with the bot id from configuration', async () => {
    const { zipPath } = await buildTeamsPackage(env, outDir);
    const zip = new AdmZip(zipPath);
    expect(
      zip
        .getEntries()
        .map((entry) => entry.entryName)
        .sort(),
    ).toEqual(['color.png', 'ja.json', 'manifest.json', 'outline.png']);
    const manifestJson = zip.readAsText('manifest.json');
    const manifest = JSON.parse(manifestJson);
    // validated again here, straight from the zip, against the schema of its own version
    expect(
      await AppManifestUtils.validateAgainstSchema(manifest, localSchema(manifest.manifestVersion)),
    ).toEqual([]);
    expect(await validatePackageFiles(manifestJson, (name) => zip.readAsText(name))).toEqual([]);
    expect(manifest.id).toBe(env.MicrosoftAppId);
    expect(manifest.bots[0].botId).toBe(env.MicrosoftAppId);
    expect(manifestJson).not.toContain('${{');
  });

  it('offers the bot in personal chat, teams and group chats, with the commands in both languages', async () => {
    const manifest = JSON.parse(readFileSync(path.join(TEAMS_DIR, 'manifest.json'), 'utf8'));
    const ja = JSON.parse(readFileSync(path.join(TEAMS_DIR, 'ja.json'), 'utf8'));
    const [bot] = manifest.bots;
    expect(bot.scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(bot.commandLists.flatMap((list: { scopes: string[] }) => list.scopes).sort()).toEqual([
      'groupChat',
      'personal',
      'team',
    ]);
    bot.commandLists.forEach((list: { commands: { title: string }[] }, l: number) => {
      expect(list.commands.map((command) => command.title)).toEqual([
        'help',
        'start over',
        'severity',
        'known errors',
      ]);
      const titlesJa = list.commands.map((_, c) => ja[`bots[0].commandLists[${l}].commands[${c}].title`]);
      expect(titlesJa).toEqual(['ヘルプ', '最初から', '重大度', '既知のエラー']);
    });
    expect(manifest.localizationInfo.additionalLanguages).toEqual([
      { languageTag: 'ja-jp', file: 'ja.json' },
    ]);
  });

  it('uses TEAMS_APP_ID for the app when given, and the bot id stays MicrosoftAppId', async () => {
    const teamsAppId = '0b7d5c1e-2222-4333-8444-a55566677788';
    const { manifest } = await buildTeamsPackage({ ...env, TEAMS_APP_ID: teamsAppId }, outDir);
    expect(manifest.id).toBe(teamsAppId);
    expect((manifest.bots as { botId: string }[])[0].botId).toBe(env.MicrosoftAppId);
  });

  it('refuses to package without a bot id, or with one that is not a GUID', async () => {
    await expect(buildTeamsPackage({ TEAMS_WEBSITE_URL: env.TEAMS_WEBSITE_URL }, outDir)).rejects.toThrow(
      /MicrosoftAppId/,
    );
    await expect(buildTeamsPackage({ ...env, MicrosoftAppId: 'my-bot' }, outDir)).rejects.toThrow(
      /botId must match pattern/,
    );
    await expect(
      buildTeamsPackage({ ...env, TEAMS_WEBSITE_URL: 'http://insecure.example' }, outDir),
    ).rejects.toThrow(TeamsPackageError);
  });

  it('catches a Japanese name too long for Teams, or a translation of a command that does not exist', async () => {
    const manifestJson = readFileSync(path.join(TEAMS_DIR, 'manifest.json'), 'utf8')
      .replaceAll('${{MicrosoftAppId}}', env.MicrosoftAppId)
      .replaceAll('${{TEAMS_APP_ID}}', env.MicrosoftAppId)
      .replace(/\$\{\{\w+_URL\}\}/g, env.TEAMS_WEBSITE_URL)
      .replace(/\$\{\{\w+\}\}/g, '1.0.0');
    const ja = JSON.parse(readFileSync(path.join(TEAMS_DIR, 'ja.json'), 'utf8'));
    const tooLong = JSON.stringify({ ...ja, 'name.short': 'パ'.repeat(31) });
    const problems = await validatePackageFiles(manifestJson, () => tooLong);
    expect(problems.join('\n')).toMatch(/ja\.json: \/name\.short must NOT have more than 30 characters/);
    const stray = JSON.stringify({ ...ja, 'bots[0].commandLists[0].commands[7].title': 'ゴースト' });
    expect(await validatePackageFiles(manifestJson, () => stray)).toEqual([
      'ja.json: bots[0].commandLists[0].commands[7].title names nothing in manifest.json',
    ]);
  });

  it('ships a 192×192 colour icon and a 32×32 white-on-transparent outline', () => {
    const color = readFileSync(path.join(TEAMS_DIR, 'color.png'));
    const outline = readFileSync(path.join(TEAMS_DIR, 'outline.png'));
    expect(iconProblems(color, outline)).toEqual([]);
    // the committed icons are the ones the script draws
    expect(PNG.sync.read(outline).data.equals(drawOutlineIcon().data)).toBe(true);
    const grey = new PNG({ width: 32, height: 32 });
    grey.data.fill(128);
    expect(iconProblems(color, PNG.sync.write(grey))).toContain('outline.png must be white on transparent');
  });
});

/** The manifest's command titles in a language, as Teams sends them when a user picks one from the menu. */
function commandTitles(lang: Lang): string[] {
  const manifest = JSON.parse(readFileSync(path.join(TEAMS_DIR, 'manifest.json'), 'utf8'));
  const ja = JSON.parse(readFileSync(path.join(TEAMS_DIR, 'ja.json'), 'utf8'));
  const titles: string[] = manifest.bots[0].commandLists[0].commands.map(
    (command: { title: string }) => command.title,
  );
  return lang === 'en' ? titles : titles.map((_, c) => ja[`bots[0].commandLists[0].commands[${c}].title`]);
}

type Reply = Partial<Activity> & { type: string };

/** Every string a card or message shows, to check what a Teams user sees. */
function shown(reply: Reply): string {
  return JSON.stringify([reply.text ?? '', reply.attachments ?? [], reply.suggestedActions ?? {}]);
}

describe('the bot in Teams (Teams-shaped activities over HTTP)', () => {
  let bot: RunningBot;
  const knowledge = getKnowledge();

  beforeAll(async () => {
    bot = await startBot({
      env: {},
      port: 0,
      storage: new MemoryStorage(),
      log: createLogger({ level: 'silent' }),
    });
  });
  afterAll(() => bot?.close());

  /** Sends as Teams would (serviceUrl on loopback: this bot runs unauthenticated) and returns the bot's messages. */
  async function send(activity: Partial<Activity>): Promise<Reply[]> {
    const response = await fetch(bot.messagesUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...activity, serviceUrl: 'http://127.0.0.1/', deliveryMode: 'expectReplies' }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { activities?: Reply[] };
    return (body.activities ?? []).filter((reply) => reply.type === 'message');
  }

  const adaptiveCards = (replies: Reply[]) =>
    replies
      .flatMap((reply) => reply.attachments ?? [])
      .filter(
        (attachment: Attachment) => attachment.contentType === 'application/vnd.microsoft.card.adaptive',
      );

  /** Teams mobile renders Adaptive Cards up to 1.4, and Action.Submit data must be an object. */
  function expectTeamsRenderable(replies: Reply[]): void {
    for (const card of adaptiveCards(replies)) {
      const content = card.content as { version: string };
      expect(Number(content.version)).toBeLessThanOrEqual(1.4);
      const submits = JSON.stringify(content).match(/"type":"Action\.Submit"[^}]*"data":(.)/g) ?? [];
      for (const submit of submits) expect(submit.endsWith('{')).toBe(true);
    }
  }

  it('welcomes a user who installs the bot in personal chat, with a card Teams renders', async () => {
    const user = client('teamsPersonal', 'ja-JP');
    const replies = await send(joins(user));
    expect(adaptiveCards(replies)).toHaveLength(1);
    expectTeamsRenderable(replies);
  });

  const commandCases: { kind: ClientKind; lang: Lang; locale: string }[] = [
    { kind: 'teamsPersonal', lang: 'en', locale: 'en-US' },
    { kind: 'teamsPersonal', lang: 'ja', locale: 'ja-JP' },
    { kind: 'teamsChannel', lang: 'en', locale: 'en-US' },
    { kind: 'teamsGroupChat', lang: 'ja', locale: 'ja-JP' },
  ];
  for (const { kind, lang, locale } of commandCases) {
    it(`answers the manifest's help, start over and severity commands (${kind}, ${lang})`, async () => {
      const [help, startOver, severity] = commandTitles(lang);
      const mention = kind !== 'teamsPersonal';
      const user = client(kind, locale);
      const helpReplies = await send(says(user, help, { mention }));
      expect(helpReplies.map(shown).join(' ')).toContain(conversationMessages.intro[lang]);
      const startReplies = await send(says(user, startOver, { mention }));
      expect(startReplies.map(shown).join(' ')).toContain(conversationMessages.startOver[lang]);
      expectTeamsRenderable(startReplies);
      const severityReplies = await send(says(user, severity, { mention }));
      expect(severityReplies.map(shown).join(' ')).toMatch(/24/);
    });
  }

  for (const { kind, lang, locale } of commandCases) {
    it(`answers the manifest's known errors command with the list of known errors (${kind}, ${lang})`, async () => {
      const user = client(kind, locale);
      const replies = await send(says(user, commandTitles(lang)[3], { mention: kind !== 'teamsPersonal' }));
      for (const error of knowledge.knownErrors) expect(allText(replies)).toContain(error.title[lang]);
      expectTeamsRenderable(replies);
    });
  }

  it('in a channel, answers only when mentioned, and understands the text without the mention', async () => {
    const channel = client('teamsChannel', 'en-US');
    expect(await send(says(channel, commandTitles('en')[0], { mention: false }))).toEqual([]);
    const replies = await send(says(channel, commandTitles('en')[0], { mention: true }));
    expect(replies.map(shown).join(' ')).toContain(conversationMessages.intro.en);
  });

  for (const kind of ['teamsChannel', 'teamsGroupChat'] as const) {
    it(`in a ${kind}, offers choices as card buttons (no suggested actions) and accepts a card submit`, async () => {
      const user: Client = client(kind, 'en-US');
      const question = await send(submits(user, { verb: 'start', topic: 'supportCase' }));
      const familyLabel = knowledge.questions.family.options[0].label.en;
      expect(question.map(shown).join(' ')).toContain(familyLabel);
      expect(question.every((reply) => !reply.suggestedActions)).toBe(true);
      expect(question.some((reply) => (reply.attachments ?? []).length > 0)).toBe(true);
      const next = await send(says(user, familyLabel, { mention: true }));
      expect(next.map(shown).join(' ')).toContain(knowledge.questions.program.options[0].label.en);
      expect(next.every((reply) => !reply.suggestedActions)).toBe(true);
    });
  }

  it('in personal chat, a card submit with a value and no text answers the question', async () => {
    const user = client('teamsPersonal', 'en-US');
    await send(joins(user));
    await send(submits(user, { verb: 'start', topic: 'supportCase' }));
    const replies = await send(submits(user, { verb: 'answer', question: 'family', option: 'azure' }));
    expect(replies.map(shown).join(' ')).toContain(knowledge.questions.program.options[0].label.en);
    expectTeamsRenderable(replies);
  });

  it('a channel message not addressed to the bot does not disturb the next case', async () => {
    const channel = client('teamsChannel', 'en-US');
    await send(says(channel, 'good morning everyone', { mention: false }));
    const replies = await send(
      says(channel, knowledge.questions.family.options[0].label.en, { mention: true }),
    );
    const seen = replies.map(shown).join(' ');
    expect(seen).not.toContain(storageMessages.botUpdated.en);
    expect(seen).toContain(knowledge.questions.program.options[0].label.en);
  });
});
