import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { formatMatrix, resolveFlag } from '../src/cli/route';
import { everyDecidedCase } from '../src/engine/space';
import { getKnowledge } from '../src/knowledge/load';
import { QuestionId } from '../src/knowledge/schema';

const knowledge = getKnowledge();
const run = (...args: string[]) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/route.ts', ...args], {
    encoding: 'utf8',
  });

describe('trainer CLI', () => {
  it('prints the route for given answers, in Japanese', async () => {
    const { stdout } = await run(
      '--product',
      'azure',
      '--program',
      'cspDirect',
      '--purchasedPlan',
      'none',
      '--lang',
      'ja',
    );
    expect(stdout).toContain('route: azure/cloudSolutionProvider');
    expect(stdout).toContain('## 手順');
    expect(stdout).toContain('アクセス ID と契約 ID は必要ありません');
  });

  it('prints the question still needed when answers are missing', async () => {
    const { stdout } = await run('--product', 'SQL Server', '--tier', 'gold');
    expect(stdout).toContain('--version');
  });

  it('refuses an unknown answer with the options it knows', async () => {
    await expect(run('--program', 'reseller-of-resellers')).rejects.toMatchObject({
      stderr: expect.stringContaining('cspDirect, indirectProvider, indirectReseller, advisor'),
    });
  });

  it('says which flags exist and the values each takes with --help', async () => {
    const { stdout } = await run('--help');
    for (const question of QuestionId.options) expect(stdout).toContain(`--${question} <value>`);
    for (const flag of ['--productName', '--lang ja|en', '--matrix', '--help'])
      expect(stdout).toContain(flag);
    expect(stdout).toMatch(/--purchasedPlan <value>\n\s+none\s+Neither\n\s+asfp\s/);
    expect(stdout).toMatch(/^\s+onPremises\s+On-premises product$/m);
    expect(stdout).not.toContain('Unknown option');
  });

  it('says the product as the partner named it on the route', async () => {
    const { stdout } = await run(
      '--product',
      'SQL Server',
      '--productName',
      'SQL Server 2012',
      '--version',
      'current',
      '--tier',
      'gold',
    );
    expect(stdout).toContain('# SQL Server 2012 · Gold competency');
    expect(stdout).toContain('select the product and version (SQL Server 2012)');
  });

  it('takes ids, labels and synonyms in either language', () => {
    expect(resolveFlag('program', 'CSP direct', knowledge)).toBe('cspDirect');
    expect(resolveFlag('program', 'アドバイザー', knowledge)).toBe('advisor');
    expect(resolveFlag('tier', 'gold', knowledge)).toBe('gold');
  });

  it('prints the whole matrix: one row per decided path, in both languages', () => {
    for (const lang of ['ja', 'en'] as const) {
      const rows = formatMatrix(lang, knowledge)
        .split('\n')
        .filter((line) => line.startsWith('| family='));
      expect(rows).toHaveLength(everyDecidedCase(lang, knowledge).length);
      expect(rows.some((row) => row.includes('signatureNotForActionPack'))).toBe(true);
    }
  });
});
