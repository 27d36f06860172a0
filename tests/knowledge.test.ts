import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { z } from 'zod';
import {
  defaultKnowledgeFile,
  getKnowledge,
  KnowledgeError,
  loadKnowledge,
  maxChoiceLabelLength,
} from '../src/knowledge/load';
import { Knowledge } from '../src/knowledge/schema';

/** The knowledge file as written, before zod fills in defaults: what the broken-file tests edit. */
type KnowledgeInput = z.input<typeof Knowledge>;

const repoRoot = path.resolve(import.meta.dirname, '..');
const fixtures = path.join(import.meta.dirname, 'fixtures', 'knowledge');
const knowledge = loadKnowledge();
/** The shipped file as plain data, to walk every field (including ones the schema defaults). */
const raw: unknown = parse(readFileSync(defaultKnowledgeFile, 'utf8'));

const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();
const seedFile = path.resolve(repoRoot, knowledge.meta.seed);
const seedText = readFileSync(seedFile, 'utf8');
const seedLines = seedText.split('\n').map(normalise);
const seedFlat = normalise(seedText);

/** Every value under `key` anywhere in the data, with the path it was found at. */
function collect(node: unknown, key: string, at = ''): { at: string; value: unknown }[] {
  if (Array.isArray(node)) return node.flatMap((item, i) => collect(item, key, `${at}[${i}]`));
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([k, v]) => [
    ...(k === key ? [{ at: `${at}.${k}`, value: v }] : []),
    ...collect(v, key, `${at}.${k}`),
  ]);
}

/** Every object that looks like a Text ({ja, en} with string values), with its path. */
function texts(node: unknown, at = ''): { at: string; text: Record<string, unknown> }[] {
  if (Array.isArray(node)) return node.flatMap((item, i) => texts(item, `${at}[${i}]`));
  if (typeof node !== 'object' || node === null) return [];
  const record = node as Record<string, unknown>;
  const own = typeof record.ja === 'string' || typeof record.en === 'string' ? [{ at, text: record }] : [];
  return [...own, ...Object.entries(record).flatMap(([k, v]) => texts(v, `${at}.${k}`))];
}

const byId = <T extends { id: string }>(list: T[], id: string): T => {
  const found = list.find((entry) => entry.id === id);
  if (!found) throw new Error(`no entry with id "${id}"`);
  return found;
};

describe('the shipped knowledge file', () => {
  it('validates, and getKnowledge() returns one cached copy', () => {
    expect(knowledge.plans).toHaveLength(8);
    expect(knowledge.portals).toHaveLength(6);
    expect(getKnowledge()).toBe(getKnowledge());
  });

  it('cites, for every entry, seed headings that exist in the seed, in order from the top', () => {
    expect(existsSync(seedFile), `seed not found at ${seedFile}`).toBe(true);
    const sources = collect(raw, 'source');
    expect(sources.length).toBeGreaterThan(150);
    const untraced = sources.flatMap(({ at, value }) => {
      let line = -1;
      return String(value)
        .split(' › ')
        .flatMap((part) => {
          line = seedLines.indexOf(normalise(part), line + 1);
          return line === -1 ? [`${at}: "${part}"`] : [];
        });
    });
    expect(untraced).toEqual([]);
  });

  it('has every text in both Japanese and English', () => {
    const found = texts(raw);
    expect(found.length).toBeGreaterThan(200);
    const incomplete = found
      .filter(
        ({ text }) =>
          !['ja', 'en'].every((lang) => typeof text[lang] === 'string' && String(text[lang]).trim()),
      )
      .map(({ at }) => at);
    expect(incomplete).toEqual([]);
  });

  it('gives every choice a short label and synonyms in both languages', () => {
    for (const [question, { options }] of Object.entries(knowledge.questions)) {
      for (const option of options) {
        for (const lang of ['ja', 'en'] as const) {
          const where = `${question}.${option.id}.${lang}`;
          expect([...option.label[lang]].length, where).toBeLessThanOrEqual(maxChoiceLabelLength);
          expect(option.synonyms[lang].length, where).toBeGreaterThan(0);
        }
      }
    }
    for (const entry of [...knowledge.knownErrors, ...knowledge.redirects, ...knowledge.facts]) {
      expect(entry.patterns.ja.length, entry.id).toBeGreaterThan(0);
      expect(entry.patterns.en.length, entry.id).toBeGreaterThan(0);
    }
  });

  it('recognises the synonyms the issue asks for', () => {
    const synonyms = (question: keyof Knowledge['questions'], id: string) => {
      const options: { id: string; synonyms: { ja: string[]; en: string[] } }[] =
        knowledge.questions[question].options;
      const option = byId(options, id);
      return [...option.synonyms.ja, ...option.synonyms.en].map((s) => s.toLowerCase());
    };
    const expectations: [keyof Knowledge['questions'], string, string[]][] = [
      [
        'family',
        'onPremises',
        [
          'オンプレミス',
          'on-prem',
          'on premises',
          'SQL Server',
          'Exchange Server',
          'SharePoint Server',
          'Windows Server',
          'System Center',
          'BizTalk',
        ],
      ],
      ['product', 'intune', ['Intune', 'インチューン']],
      ['program', 'cspDirect', ['CSP direct', 'direct CSP', 'CSP 直接', '直接']],
      ['program', 'indirectProvider', ['indirect provider', '間接プロバイダー', 'ディストリビューター']],
      ['program', 'indirectReseller', ['indirect reseller', '間接リセラー', 'リセラー']],
      ['program', 'advisor', ['advisor', 'アドバイザー']],
      ['tier', 'actionPack', ['Action Pack', 'アクション パック', 'MAPS']],
      ['tier', 'silver', ['Silver', 'シルバー']],
      ['tier', 'gold', ['Gold', 'ゴールド']],
      [
        'competency',
        'cloud',
        ['cloud competency', 'クラウド コンピテンシー', 'Cloud Platform', 'Cloud Productivity', 'Security'],
      ],
      ['signIn', 'msa', ['Microsoft account', 'MSA', 'Outlook.com', '個人用']],
      ['signIn', 'aad', ['Azure AD', 'AAD', 'work account', '職場']],
    ];
    for (const [question, id, words] of expectations) {
      for (const word of words)
        expect(synonyms(question, id), `${question}.${id}`).toContain(word.toLowerCase());
    }
  });

  it('keeps Microsoft English UI names in the English text', () => {
    const english = texts(raw)
      .map(({ text }) => String(text.en))
      .join('\n');
    for (const name of [
      'Help + support',
      'Support plans',
      'Link support benefits',
      'Need help?',
      'View solutions',
      'Run diagnostics',
      'Review + create',
      'All support requests',
      'Add contract',
      'Buy now',
      'Service management',
      'Cloud Solution Provider',
      'Partner Center',
      'Business support portal',
      'Unavailable support plans',
      'Select a support plan',
      'Create a support request',
    ]) {
      expect(english, name).toContain(name);
    }
  });

  it('invents no URL: every link traces to the seed', () => {
    const urls = [...knowledge.links.map((l) => l.url), ...knowledge.portals.flatMap((p) => p.url ?? [])];
    for (const url of urls) {
      const asInSeed = url.replace('{locale}', 'ja-jp').replace(/^https:\/\//, '');
      expect(seedFlat, url).toContain(asInSeed);
    }
  });

  it('invents no number: every number in the Japanese text appears in the seed', () => {
    const numbers = new Set(texts(raw).flatMap(({ text }) => String(text.ja).match(/\d+/g) ?? []));
    const unknown = [...numbers].filter((n) => !seedText.includes(n));
    expect(unknown).toEqual([]);
  });
});

describe('key facts, checked against the seed', () => {
  it('has the benefit table: 10/15/20 on-premises incidents; Signature none / unlimited or 5 / unlimited or 10', () => {
    expect(knowledge.benefits.onPremisesIncidents).toEqual({ actionPack: 10, silver: 15, gold: 20 });
    expect(knowledge.benefits.signatureCloudSupport).toEqual({
      actionPack: null,
      silver: { cloud: 'unlimited', other: 5 },
      gold: { cloud: 'unlimited', other: 10 },
    });
    for (const n of [
      '10 インシデント',
      '15 インシデント',
      '20 インシデント',
      'その他すべてのコンピテンシー: 5 インシデント',
      'その他すべてのコンピテンシー: 10 インシデント',
    ]) {
      expect(seedFlat).toContain(n);
    }
  });

  it('lists seven cloud competencies, Cloud CRM retired on 2019-10-01', () => {
    const competencies = knowledge.benefits.cloudCompetencies;
    expect(competencies.map((c) => c.name.en)).toEqual([
      'Security',
      'Cloud Business Applications',
      'Cloud Customer Relationship Management (Cloud CRM)',
      'Cloud Platform',
      'Cloud Productivity',
      'Enterprise Mobility Management',
      'Small and Midmarket Cloud Solutions',
    ]);
    for (const c of competencies) expect(seedFlat).toContain(c.name.ja);
    expect(competencies.filter((c) => c.retiredOn)).toEqual([
      expect.objectContaining({
        retiredOn: '2019-10-01',
        name: expect.objectContaining({ ja: 'クラウド顧客関係管理' }),
      }),
    ]);
    expect(seedFlat).toContain('2019 年 10 月 1 日より廃止');
  });

  it('cites KB 2904733, 4023619, 4032154 and 4490370, each present in the seed', () => {
    expect(knowledge.kbs.map((kb) => kb.id).sort()).toEqual(['2904733', '4023619', '4032154', '4490370']);
    for (const kb of knowledge.kbs) expect(seedText).toContain(kb.id);
  });

  it('says when IDs are needed and when not, plainly', () => {
    const required = Object.fromEntries(knowledge.plans.map((p) => [p.id, p.idsRequired]));
    expect(required).toEqual({
      cloudSolutionProvider: false,
      signatureCloudSupport: true,
      advancedSupportForPartners: true,
      premierSupportForPartners: true,
      microsoft365NoContract: false,
      professionalNoCharge: false,
      partnerSupportCoreBenefit: true,
      payPerIncident: false,
    });
    // Tailored texts: every alternative says it.
    const alternatives = (ids: (typeof knowledge.plans)[number]['ids']) => (Array.isArray(ids) ? ids : [ids]);
    for (const plan of knowledge.plans.filter((p) => !p.idsRequired)) {
      for (const ids of alternatives(plan.ids)) {
        expect(ids.en, plan.id).toMatch(/^No access ID or contract ID is needed/);
        expect(ids.ja, plan.id).toMatch(/^アクセス ID と契約 ID は必要ありません/);
      }
    }
    for (const id of ['advancedSupportForPartners', 'premierSupportForPartners']) {
      for (const ids of alternatives(byId(knowledge.plans, id).ids)) {
        expect(ids.ja).toContain('各ユーザーが独自のユーザー固有のアクセス ID を必要とします');
      }
    }
  });

  it('quotes the known errors as the seed does, and recognises them when pasted', () => {
    expect(knowledge.knownErrors.map((e) => e.id)).toEqual([
      'accessIdAlreadyAssociated',
      'supportPlanAlreadyMapped',
      'code8',
      'contractNotShown',
      'wrongCurrency',
      'payPerIncidentWithWorkAccount',
    ]);
    const english: Record<string, string> = {
      accessIdAlreadyAssociated:
        'This access ID is already associated with an account. Please contact your Technical Account Manager to get a new access ID.',
      supportPlanAlreadyMapped: 'The support plan details provided are already mapped to the logged in user.',
      code8: 'Support plan is not available for the specified product (Code:8)',
    };
    for (const [id, message] of Object.entries(english)) {
      const error = byId(knowledge.knownErrors, id);
      expect(error.message.en).toBe(message);
      expect(seedFlat).toContain(normalise(error.message.ja));
    }
    for (const error of knowledge.knownErrors) {
      for (const lang of ['ja', 'en'] as const) {
        const pasted = error.message[lang].toLowerCase();
        expect(
          error.patterns[lang].some((p) => pasted.includes(p.toLowerCase())),
          `${error.id}.${lang}`,
        ).toBe(true);
      }
    }
    expect(byId(knowledge.knownErrors, 'code8').patterns.en).toEqual(
      expect.arrayContaining(['Code:8', 'code 8']),
    );
    expect(byId(knowledge.knownErrors, 'contractNotShown').links).toContain('4023619');
    // What to do apart from why it happens: the seed's list of reasons a contract is not shown are causes.
    const contractNotShown = byId(knowledge.knownErrors, 'contractNotShown');
    expect(contractNotShown.causes.map((cause) => cause.en)).toContainEqual(
      expect.stringContaining('expired (after 13 months)'),
    );
    expect(contractNotShown.fix.map((fix) => fix.en).join(' ')).not.toContain('13 months');
    // The wrong currency and pay per incident with a work account, with the seed's fixes.
    expect(byId(knowledge.knownErrors, 'wrongCurrency').fix[0].ja).toBe(
      'ページの最後までスクロールし、別の国/地域を選択してロケールを確認します。',
    );
    expect(seedFlat).toContain(byId(knowledge.knownErrors, 'wrongCurrency').fix[0].ja);
    expect(seedFlat).toContain(byId(knowledge.knownErrors, 'payPerIncidentWithWorkAccount').message.ja);
  });

  it('explains the options a partner may ask about at a question ("what is PSfP?"), from the seed', () => {
    const explained = (question: keyof typeof knowledge.questions) =>
      (knowledge.questions[question].options as { id: string; explain?: unknown }[])
        .filter((option) => option.explain)
        .map((option) => option.id);
    expect(explained('purchasedPlan')).toEqual(['asfp', 'psfp']);
    expect(explained('program')).toEqual(['cspDirect', 'indirectProvider', 'indirectReseller', 'advisor']);
    for (const question of ['tier', 'competency', 'version', 'signIn'] as const) {
      expect(explained(question)).toEqual(knowledge.questions[question].options.map((option) => option.id));
    }
    expect(byId(knowledge.questions.tier.options, 'actionPack').explain?.en).toContain(
      'no Signature Cloud Support',
    );
  });

  it('marks each correction of the seed with the seed words it departs from, found verbatim in the seed', () => {
    const corrections = collect(raw, 'correction');
    // The Signature "20 pack" (twice), the advisor's partner-level DAP, N-2 and the 5-pack's "一地域".
    expect(corrections.length).toBeGreaterThanOrEqual(5);
    for (const { at, value } of corrections) {
      const { seedSays } = value as { seedSays: string };
      expect(seedFlat, at).toContain(normalise(seedSays));
    }
    expect(corrections.map(({ value }) => (value as { seedSays: string }).seedSays)).toContainEqual(
      expect.stringContaining('署名 20 pack'),
    );
  });

  it('steps the on-premises request through the business support portal in the seed order', () => {
    expect(knowledge.stepGroups.onPremisesRequest.map((s) => s.id)).toEqual([
      'onPremSignIn',
      'onPremSignInMsa',
      'onPremProductSelection',
      'onPremProblemDetails',
      'onPremSupportPlan',
      'onPremSelectSupportPlan',
      'onPremUnavailablePlans',
      'onPremAddContract',
      'onPremBuyNow',
      'onPremCreditCard',
      'onPremPurchase',
      'onPremSeverity',
      'onPremContacts',
      'onPremReview',
      'onPremChange',
      'onPremSubmit',
      'onPremViewRequests',
      'onPremOpenTitle',
      'onPremManageRequest',
    ]);
  });

  it('links support benefits in Azure only when the plan needs IDs, before the issue type', () => {
    const azure = knowledge.stepGroups.azureRequest;
    const linking = azure.filter((s) => s.when.idsRequired === true).map((s) => s.id);
    expect(linking).toEqual(['azureLinkSupportBenefits', 'azureContractLinked', 'azureCreateFromLink']);
    // The IDs entered: the MPN benefit's (KB 2904733), or an ASfP / PSfP user's own.
    expect(byId(azure, 'azureEnterIds').when.plans).toEqual(['signatureCloudSupport']);
    expect(byId(azure, 'azureEnterUserSpecificId').when.plans).toEqual([
      'advancedSupportForPartners',
      'premierSupportForPartners',
    ]);
    const position = (id: string) => azure.findIndex((s) => s.id === id);
    expect(position('azureCreateFromLink')).toBeLessThan(position('azureIssueType'));
    expect(position('azureReviewCreate')).toBeLessThan(position('azureAllSupportRequests'));
  });

  it('has the severity criteria verbatim from the seed', () => {
    expect(knowledge.severity.levels.map((l) => l.id)).toEqual(['A', 'B', 'C']);
    for (const level of knowledge.severity.levels) expect(seedFlat).toContain(level.criteria.ja);
  });

  it('refuses Signature Cloud Support to Action Pack, with what to do instead', () => {
    const entry = byId(knowledge.notEligible, 'signatureNotForActionPack');
    expect(entry.instead.length).toBeGreaterThanOrEqual(2);
    expect(knowledge.benefits.signatureCloudSupport.actionPack).toBeNull();
  });
});

describe('a broken knowledge file', () => {
  const workDir = mkdtempSync(path.join(tmpdir(), 'knowledge-'));
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  /** Writes a copy of the shipped file, changed by `mutate`, as routing.yaml and loads it. */
  function loadBroken(mutate: (data: KnowledgeInput) => void): KnowledgeError {
    const data = parse(readFileSync(defaultKnowledgeFile, 'utf8')) as KnowledgeInput;
    mutate(data);
    const file = path.join(workDir, 'routing.yaml');
    writeFileSync(file, stringify(data));
    return refusal(file);
  }

  function refusal(file: string): KnowledgeError {
    try {
      loadKnowledge(file);
    } catch (error) {
      expect(error).toBeInstanceOf(KnowledgeError);
      return error as KnowledgeError;
    }
    throw new Error(`${file} was accepted`);
  }

  const indexOf = (list: { id: string }[], id: string) => list.findIndex((entry) => entry.id === id);

  it('names the entry and field when a text lacks English', () => {
    const error = loadBroken((data) => {
      Reflect.deleteProperty(data.knownErrors[indexOf(data.knownErrors, 'code8')].fix[0], 'en');
    });
    expect(error.message).toMatch(/^routing\.yaml: knownErrors\[2\] \(id "code8"\) › fix\.0\.en: /);
  });

  it('names the entry and field of an unknown link id', () => {
    const error = loadBroken((data) => {
      data.caveats[indexOf(data.caveats, 'latestTwoVersionsOnly')].links?.push('kb9999999');
    });
    const at = indexOf(knowledge.caveats, 'latestTwoVersionsOnly');
    expect(error.message).toContain(
      `routing.yaml: caveats[${at}] (id "latestTwoVersionsOnly") › links.2: unknown link id "kb9999999"`,
    );
  });

  it('names the step and field of a bad enum value in `when`', () => {
    const error = loadBroken((data) => {
      const step = data.stepGroups.azureRequest[indexOf(data.stepGroups.azureRequest, 'azurePlanSignature')];
      step.when = Object.assign({}, step.when, { plans: ['signature'] });
    });
    const at = indexOf(knowledge.stepGroups.azureRequest, 'azurePlanSignature');
    expect(error.message).toContain(
      `routing.yaml: stepGroups.azureRequest[${at}] (id "azurePlanSignature") › when.plans.0: `,
    );
  });

  it('names a duplicate id', () => {
    const error = loadBroken((data) => {
      data.facts.push({ ...data.facts[0] });
    });
    const at = knowledge.facts.length;
    expect(error.message).toContain(
      `routing.yaml: facts[${at}] (id "${knowledge.facts[0].id}") › id: duplicate id`,
    );
  });

  it('names a duplicate step id across step groups', () => {
    const error = loadBroken((data) => {
      data.stepGroups.microsoft365Request[0].id = 'findCustomer';
    });
    expect(error.message).toContain(
      'routing.yaml: stepGroups.microsoft365Request[0] (id "findCustomer") › id: duplicate id',
    );
  });

  it('lists every problem, not only the first', () => {
    const error = loadBroken((data) => {
      Reflect.deleteProperty(data.meta.title, 'en');
      Reflect.deleteProperty(data.plans[1].name, 'ja');
      data.severity.levels[1].criteria.en = '  ';
    });
    expect(error.problems).toHaveLength(3);
    expect(error.problems[0]).toMatch(/^routing\.yaml: meta › title\.en: /);
    expect(error.problems[1]).toMatch(
      /^routing\.yaml: plans\[1\] \(id "signatureCloudSupport"\) › name\.ja: /,
    );
    expect(error.problems[2]).toMatch(/^routing\.yaml: severity\.levels\[1\] \(id "B"\) › criteria\.en: /);
  });

  it('refuses an incomplete answer space, a too-long choice label and a Dynamics app without portal', () => {
    const error = loadBroken((data) => {
      data.questions.tier.options = data.questions.tier.options.filter((o) => o.id !== 'gold');
      data.questions.program.options[0].label.en = 'Cloud Solution Provider (direct)';
      Reflect.deleteProperty(
        data.questions.product.options[indexOf(data.questions.product.options, 'flow')],
        'portal',
      );
      data.families[0].stepGroups.push('azureMagic');
    });
    expect(error.message).toContain('routing.yaml: questions › tier.options: missing option "gold"');
    expect(error.message).toContain(
      'routing.yaml: questions.program.options[0] (id "cspDirect") › label.en: choice label has 32 characters',
    );
    expect(error.message).toMatch(
      /questions\.product\.options\[\d+\] \(id "flow"\) › portal: a Dynamics 365 product must name its portal/,
    );
    expect(error.message).toContain(
      'routing.yaml: families[0] (id "azure") › stepGroups.3: unknown step group "azureMagic"',
    );
  });

  it('refuses a product family the engine has no rule for, instead of routing it like Azure', () => {
    // The engine's family rules are a Record over FamilyId (a family without a rule does not compile); a family
    // only the knowledge file names stops the bot at start-up.
    const error = loadBroken((data) => {
      const azure = data.questions.family.options[indexOf(data.questions.family.options, 'azure')];
      data.questions.family.options.push({ ...azure, id: 'powerBi' as never });
      data.families.push({ ...data.families[indexOf(data.families, 'azure')], id: 'powerBi' as never });
    });
    expect(error.message).toMatch(/questions\.family\.options\[\d+\] \(id "powerBi"\) › id: Invalid option/);
    expect(error.message).toMatch(/families\[\d+\] \(id "powerBi"\) › id: Invalid option/);
  });

  it('refuses a missing plan and a step group no family uses', () => {
    const error = loadBroken((data) => {
      data.plans = data.plans.filter((p) => p.id !== 'payPerIncident');
      data.stepGroups.unused = [{ ...data.stepGroups.openCustomer[0], id: 'lonelyStep' }];
    });
    expect(error.message).toContain('routing.yaml: plans: missing plan "payPerIncident"');
    expect(error.message).toContain(
      'routing.yaml: stepGroups › unused: step group is not used by any family',
    );
  });

  it('gives the line of a YAML syntax error', () => {
    const error = refusal(path.join(fixtures, 'syntax-error.yaml'));
    expect(error.message).toMatch(/^syntax-error\.yaml: line \d+, column \d+: YAML syntax error: /);
  });

  it('gives the line of a duplicate YAML key', () => {
    const error = refusal(path.join(fixtures, 'duplicate-key.yaml'));
    expect(error.message).toBe(
      'duplicate-key.yaml: line 5, column 3: YAML syntax error: Map keys must be unique',
    );
  });

  it('refuses a file of the wrong shape', () => {
    const error = refusal(path.join(fixtures, 'wrong-shape.yaml'));
    expect(error.message).toMatch(/^wrong-shape\.yaml: \(top level\): /);
  });

  it('names a file that does not exist', () => {
    const error = refusal(path.join(fixtures, 'no-such-file.yaml'));
    expect(error.message).toMatch(/^no-such-file\.yaml: cannot be read/);
  });
});
