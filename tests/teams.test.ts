import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { AppManifestUtils } from '@microsoft/app-manifest';
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
