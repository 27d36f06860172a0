import { describe, expect, it } from 'vitest';
import { getKnowledge } from '../src/knowledge/load';
import { FamilyId, Lang, ProgramId, QuestionId, TierId } from '../src/knowledge/schema';
import { askFor, nextQuestion, route, severityFor } from '../src/engine/route';
import { everyCombination, everyDecidedCase } from '../src/engine/space';
import { Answers, type NotEligible, type Outcome, type Route } from '../src/engine/types';

const knowledge = getKnowledge();

/** Follows the engine's questions, answering each from `wanted`, and records what it asked. */
function converse(wanted: Answers, prefilled: Answers = {}): { asked: QuestionId[]; outcome: Outcome } {
  const asked: QuestionId[] = [];
  let answers: Answers = prefilled;
  for (;;) {
    const outcome = route(answers, 'en', knowledge);
    if (outcome.kind !== 'ask') return { asked, outcome };
    const value = wanted[outcome.question];
    if (value === undefined)
      throw new Error(`engine asked ${outcome.question}, not given in ${JSON.stringify(wanted)}`);
    asked.push(outcome.question);
    answers = { ...answers, [outcome.question]: value };
  }
}

function routeOf(wanted: Answers): Route {
  const { outcome } = converse(wanted);
  if (outcome.kind !== 'route')
    throw new Error(`expected a route, got ${outcome.kind} ${JSON.stringify(outcome)}`);
  return outcome;
}

describe('the whole answer space', () => {
  it('every combination of answers yields a route, a clear "not eligible", or one more question that is still open', () => {
    let count = 0;
    const kinds = new Set<string>();
    for (const answers of everyCombination()) {
      const question = nextQuestion(answers, knowledge);
      // what the case dialog asks: the same question, described only while one is open
      expect(askFor(answers, 'en', knowledge)?.question).toBe(question);
      count++;
      if (question === undefined) {
        const outcome = route(answers, 'en', knowledge);
        expect(outcome.kind).not.toBe('ask');
        kinds.add(outcome.kind);
        continue;
      }
      // The engine never asks again for an answer it was given and can use.
      const given = answers[question];
      if (given !== undefined) {
        expect(question).toBe('product');
        const product = knowledge.questions.product.options.find((option) => option.id === given);
        expect(product?.family).not.toBe(answers.family ?? product?.family);
      }
    }
    // family 6 × product 17 × program 5 × purchased plan 4 × tier 4 × competency 3 × version 3 × sign-in 3
    expect(count).toBe(220_320);
    expect(kinds).toEqual(new Set(['route', 'notEligible']));
  }, 120_000);

  it('from any partial answers, answering what the engine asks ends in a decision within eight questions', () => {
    for (const start of everyCombination()) {
      let answers = start;
      let turns = 0;
      for (let outcome = route(answers, 'en', knowledge); outcome.kind === 'ask'; turns++) {
        expect(turns).toBeLessThan(8);
        expect(outcome.choices.length).toBeGreaterThanOrEqual(2);
        answers = { ...answers, [outcome.question]: outcome.choices[0].id };
        outcome = route(answers, 'en', knowledge);
      }
    }
  }, 120_000);

  for (const lang of Lang.options) {
    describe(`every decided case, in ${lang}`, () => {
      const cases = everyDecidedCase(lang, knowledge);
      const japanese = /[\u3040-\u30ff\u4e00-\u9fff]/;

      it('covers every family, program, tier and plan', () => {
        const routes = cases.map((c) => c.outcome).filter((o): o is Route => o.kind === 'route');
        expect(new Set(routes.map((r) => r.family.id))).toEqual(new Set(FamilyId.options));
        expect(new Set(routes.map((r) => r.plan.id))).toEqual(
          new Set(knowledge.plans.map((plan) => plan.id)),
        );
        expect(new Set(cases.map((c) => c.answers.program).filter(Boolean))).toEqual(
          new Set(ProgramId.options),
        );
        expect(new Set(cases.map((c) => c.answers.tier).filter(Boolean))).toEqual(new Set(TierId.options));
      });

      it('reaches every not-eligible entry of the knowledge file (none is dead)', () => {
        const reached = new Set(
          cases.map((c) => c.outcome).flatMap((o) => (o.kind === 'notEligible' ? [o.id] : [])),
        );
        expect([...reached].sort()).toEqual(knowledge.notEligible.map((entry) => entry.id).sort());
      });

      it('names every answer the outcome rests on in its summary, an assumed "no ASfP or PSfP" included', () => {
        const said = (slot: 'program' | 'purchasedPlan' | 'tier', id: string) => {
          const option = knowledge.questions[slot].options.find((entry) => entry.id === id)!;
          return ('summaryLabel' in option && option.summaryLabel ? option.summaryLabel : option.label)[lang];
        };
        const noPlan = knowledge.questions.purchasedPlan.options.find((option) => option.id === 'none');
        expect(noPlan?.summaryLabel?.[lang]).toMatch(/ASfP.*PSfP/);
        let withoutPlan = 0;
        for (const { outcome } of cases) {
          const answersLine = outcome.kind === 'route' ? outcome.answersSummary : outcome.summary;
          if (outcome.kind === 'route') {
            expect(outcome.summary).toBe(`${outcome.answersSummary} → ${outcome.plan.name}`);
            expect(outcome.answersSummary).not.toContain('→');
          }
          const parts = answersLine.split(' · ');
          for (const slot of ['program', 'purchasedPlan', 'tier'] as const) {
            const id = outcome.answers[slot];
            if (id) expect(parts).toContain(said(slot, id));
          }
          if (outcome.answers.purchasedPlan === 'none') withoutPlan++;
        }
        expect(withoutPlan).toBeGreaterThan(0);
      });

      it.each(cases.map((c) => [JSON.stringify(c.answers), c] as const))(
        '%s says everything a partner needs',
        (_, c) => {
          const { outcome } = c;
          const text = JSON.stringify(outcome);
          expect(text).not.toContain('{locale}');
          expect(text).not.toContain('{count}');
          expect(outcome.sources.length).toBeGreaterThan(0);
          if (outcome.kind === 'notEligible') {
            expect(outcome.reason).not.toBe('');
            expect(outcome.instead.length).toBeGreaterThan(0);
            return;
          }
          expect(outcome.steps.length).toBeGreaterThanOrEqual(3);
          expect(outcome.entitlement).not.toBe('');
          expect(outcome.ids.text).not.toBe('');
          expect(outcome.severity.levels.map((level) => level.id)).toEqual(['A', 'B', 'C']);
          for (const link of [...outcome.kbs, ...outcome.links]) {
            expect(link.url).toMatch(/^https:\/\//);
            if (link.url.includes('support.microsoft.com') || link.url.includes('partner.microsoft.com/')) {
              expect(link.url).not.toMatch(lang === 'ja' ? /en-us/ : /ja-jp/);
            }
          }
          // Japanese cards speak Japanese; English cards do not fall back to Japanese text.
          for (const step of outcome.steps) expect(japanese.test(step.text)).toBe(lang === 'ja');
          // The route's own answers lead straight back to it.
          expect(route(c.answers, lang, knowledge)).toEqual(outcome);
        },
      );
    });
  }
});

describe('routes checked line by line against the seed', () => {
  it('on-premises, current version: no program question, the core benefit with its own pack and IDs once', () => {
    for (const [tier, incidents, pack] of [
      ['actionPack', 10, 'Partner Support MAPS 10pack'],
      ['silver', 15, 'Partner Support Silver 15pack'],
      ['gold', 20, 'Partner Support Gold 20pack'],
    ] as const) {
      const { asked, outcome } = converse({ family: 'onPremises', tier, version: 'current' });
      // The version first: the tier matters only for the latest two versions.
      expect(asked).toEqual(['family', 'version', 'tier']);
      const r = outcome as Route;
      expect(r.id).toBe('onPremises/partnerSupportCoreBenefit');
      expect(r.portal.id).toBe('businessSupportPortal');
      expect(r.entitlement).toContain(String(incidents));
      expect(r.plan.name).toContain(pack);
      expect(r.ids.text).toContain(pack);
      // Action Pack has no Signature; competency partners learn which IDs by contract date, in one sentence.
      const signatureLines = [r.ids.text, ...r.caveats.map((c) => c.text)].filter((t) => /Signature/.test(t));
      if (tier === 'actionPack') expect(signatureLines).toEqual([]);
      else
        expect(r.ids.text).toMatch(
          /May 2019 or later, the same access ID[^.]*; for an earlier contract[^.]*\./,
        );
      expect(r.ids.required).toBe(true);
      expect(r.kbs.map((kb) => kb.id)).toContain('2904733');
      expect(r.knownErrors.map((e) => e.id)).toEqual(
        expect.arrayContaining(['code8', 'contractNotShown', 'supportPlanAlreadyMapped']),
      );
    }
  });

  it('on-premises, older version: pay-per-incident whatever the tier (not asked), which needs a Microsoft account', () => {
    const aad = converse({ family: 'onPremises', version: 'older', signIn: 'aad' });
    expect(aad.asked).toEqual(['family', 'version', 'signIn']);
    const r = aad.outcome as Route;
    expect(r.id).toBe('onPremises/payPerIncident');
    expect(r.kbs.map((kb) => kb.id)).toEqual(expect.arrayContaining(['4032154', '4490370']));
    const msa = routeOf({ family: 'onPremises', version: 'older', signIn: 'msa' });
    // The AAD sign-in is told first that its work account cannot buy: switch to a Microsoft account.
    expect(r.steps[0].text).toMatch(/^Pay per incident is currently not available with an AAD sign-in/);
    expect(msa.steps[0].text).not.toContain('AAD');
    // No IDs: nobody is told that "any user with the access ID and contract ID" can file.
    expect(JSON.stringify(r)).not.toContain('any user with the access ID');
    expect(r.knownErrors.map((e) => e.id)).toEqual(
      expect.arrayContaining(['wrongCurrency', 'payPerIncidentWithWorkAccount']),
    );
  });

  it('Azure for a CSP partner: the Cloud Solution Provider plan, no IDs, and no tier question', () => {
    for (const program of ['cspDirect', 'indirectProvider', 'indirectReseller'] as const) {
      const { asked, outcome } = converse({ family: 'azure', program, purchasedPlan: 'none' });
      expect(asked).toEqual(['family', 'program', 'purchasedPlan']);
      const r = outcome as Route;
      expect(r.id).toBe('azure/cloudSolutionProvider');
      expect(r.ids.required).toBe(false);
      expect(r.portal.id).toBe('azurePortal');
    }
  });

  it('Azure for an advisor: Signature Cloud Support, unlimited for a cloud competency, else 5 or 10', () => {
    const azure = { family: 'azure', program: 'advisor', purchasedPlan: 'none' } as const;
    const unlimited = routeOf({ ...azure, tier: 'gold', competency: 'cloud' });
    expect(unlimited.id).toBe('azure/signatureCloudSupport');
    expect(unlimited.ids.required).toBe(true);
    expect(unlimited.entitlement).toBe(knowledge.entitlements.unlimited.en);
    expect(routeOf({ ...azure, tier: 'silver', competency: 'cloud' }).entitlement).toBe(
      knowledge.entitlements.unlimited.en,
    );
    const fivePack = routeOf({ ...azure, tier: 'silver', competency: 'other' });
    expect(fivePack.entitlement).toContain('5');
    // The plan step names the partner's own plan only.
    const planStep = (r: Route) => r.steps.find((step) => step.id === 'azurePlanSignature')?.text;
    expect(planStep(unlimited)).toMatch(/select Partner Signature unlimited\.$/);
    expect(planStep(fivePack)).toMatch(/select Signature 5pack\.$/);
    expect(planStep(routeOf({ ...azure, tier: 'gold', competency: 'other' }))).toMatch(
      /select Signature 10pack\.$/,
    );
    expect(unlimited.plan.name).toBe('Signature Cloud Support (SCS) — Partner Signature unlimited');
    // Only partners on a 5 or 10 pack are told to compare support plans.
    expect(fivePack.caveats.map((c) => c.id)).toContain('signatureTenOrFivePack');
    expect(unlimited.caveats.map((c) => c.id)).not.toContain('signatureTenOrFivePack');
    expect(routeOf({ ...azure, tier: 'gold', competency: 'other' }).entitlement).toContain('10');
  });

  it('Action Pack has no Signature Cloud Support: not eligible, with what to do instead', () => {
    for (const family of ['azure', 'dynamics365'] as const) {
      const { outcome } = converse({
        family,
        product: 'businessCentral',
        program: 'advisor',
        purchasedPlan: 'none',
        tier: 'actionPack',
      });
      expect(outcome.kind).toBe('notEligible');
      expect(outcome.kind === 'notEligible' && outcome.id).toBe('signatureNotForActionPack');
    }
  });

  it('a bought ASfP or PSfP is the plan to pick, with access IDs, whatever the tier', () => {
    expect(routeOf({ family: 'azure', program: 'cspDirect', purchasedPlan: 'asfp' }).id).toBe(
      'azure/advancedSupportForPartners',
    );
    const premier = routeOf({
      family: 'dynamics365',
      product: 'powerApps',
      program: 'advisor',
      purchasedPlan: 'psfp',
    });
    expect(premier.id).toBe('dynamics365/premierSupportForPartners');
    expect(premier.ids.required).toBe(true);
  });

  it('Dynamics 365 opens Lifecycle Services or the Power Platform depending on the app', () => {
    const base = {
      family: 'dynamics365',
      program: 'cspDirect',
      purchasedPlan: 'none',
      tier: 'gold',
      competency: 'cloud',
    } as const;
    for (const product of ['d365FinanceOperations', 'd365Retail', 'd365Talent'] as const) {
      expect(routeOf({ ...base, product }).portal.id).toBe('lifecycleServices');
    }
    for (const product of [
      'd365CustomerEngagement',
      'businessCentral',
      'powerApps',
      'flow',
      'mixedReality',
      'ai',
    ] as const) {
      expect(routeOf({ ...base, product }).portal.id).toBe('powerPlatform');
    }
    // Dynamics 365 needs a support contract even for CSP partners.
    expect(routeOf({ ...base, product: 'flow' }).id).toBe('dynamics365/signatureCloudSupport');
  });

  it('Microsoft 365 and Cloud App Security need no contract: only product and program are asked', () => {
    const m365 = converse({ program: 'advisor' }, { product: 'intune' });
    expect(m365.asked).toEqual(['program']);
    const r = m365.outcome as Route;
    expect(r.id).toBe('microsoft365/microsoft365NoContract');
    expect(r.ids.required).toBe(false);
    expect(r.product?.id).toBe('intune');
    const cas = converse({ family: 'cloudAppSecurity', program: 'indirectReseller' });
    expect(cas.asked).toEqual(['family', 'program']);
    expect((cas.outcome as Route).id).toBe('cloudAppSecurity/professionalNoCharge');
  });

  it('delegated admin steps differ by program', () => {
    const stepsFor = (program: Answers['program']) =>
      routeOf({ family: 'microsoft365', product: 'office365', program }).steps.map((step) => step.id);
    expect(stepsFor('advisor')).not.toEqual(stepsFor('cspDirect'));
    expect(stepsFor('indirectReseller')).not.toEqual(stepsFor('cspDirect'));
  });

  it('a product from another family than the one chosen is not trusted', () => {
    expect(nextQuestion({ family: 'dynamics365', product: 'intune' }, knowledge)).toBe('product');
  });

  it('is pure: the same answers give the same route, and the answers are not changed', () => {
    const answers: Answers = {
      family: 'azure',
      program: 'advisor',
      purchasedPlan: 'none',
      tier: 'gold',
      competency: 'other',
    };
    const copy = structuredClone(answers);
    expect(route(answers, 'ja', knowledge)).toEqual(route(answers, 'ja', knowledge));
    expect(answers).toEqual(copy);
  });
});

describe('tailored to the partner: each card names their own plan, pack, program and portal', () => {
  it('ASfP and PSfP: the plan they bought, their user-specific access ID from their TAM, no MPN benefit activation', () => {
    for (const [purchasedPlan, own, other] of [
      ['asfp', 'Advanced Support for Partners (ASfP)', /PSfP|Premier/],
      ['psfp', 'Premier Support for Partners (PSfP)', /ASfP|Advanced Support/],
    ] as const) {
      for (const family of ['azure', 'dynamics365'] as const) {
        const r = routeOf({ family, product: 'powerApps', program: 'advisor', purchasedPlan });
        const text = JSON.stringify(r);
        expect(text).toContain(own);
        expect(text).not.toMatch(other);
        expect(r.ids.text).toContain('Technical Account Manager');
        // No MPN benefit activation: no global admin / MPN admin, no KB 2904733.
        expect(text).not.toMatch(/MPN admin|2904733/);
        // Dynamics 365: no "competency partners must use Signature Cloud Support".
        expect(text).not.toContain('Signature');
        const alreadyAssociated = r.knownErrors.find((e) => e.id === 'accessIdAlreadyAssociated');
        expect(alreadyAssociated?.fix).toEqual([expect.stringContaining('user-specific access ID')]);
      }
    }
    const signature = routeOf({
      family: 'azure',
      program: 'advisor',
      purchasedPlan: 'none',
      tier: 'gold',
      competency: 'cloud',
    });
    expect(signature.knownErrors.find((e) => e.id === 'accessIdAlreadyAssociated')?.fix).toEqual([
      expect.stringContaining('shared access ID'),
    ]);
  });

  it('CSP routes address the partner by their program and never add "unless they bought ASfP or Premier"', () => {
    for (const [program, addressed] of [
      ['cspDirect', 'As a partner in the Cloud Solution Provider program (CSP)'],
      ['indirectProvider', 'As an indirect provider in the Cloud Solution Provider program (CSP)'],
      ['indirectReseller', 'As an indirect reseller in the Cloud Solution Provider program (CSP)'],
    ] as const) {
      const r = routeOf({ family: 'azure', program, purchasedPlan: 'none' });
      expect(r.ids.text).toContain(addressed);
      // The summary lines repeat the partner's own answer ("No ASfP or PSfP"); the rest of the card never adds it.
      const { summary, answersSummary, ...said } = r;
      expect(answersSummary).toContain('No ASfP or PSfP');
      expect(summary).toContain(answersSummary);
      expect(JSON.stringify(said)).not.toMatch(
        /unless|ASfP|Premier|Partners in the CSP program and indirect providers/,
      );
    }
  });

  it('Action Pack not eligible for Dynamics 365 is not sent to the Azure support plans', () => {
    const answers = { program: 'advisor', purchasedPlan: 'none', tier: 'actionPack' } as const;
    const dynamics = converse({ family: 'dynamics365', product: 'flow', ...answers }).outcome;
    const azure = converse({ family: 'azure', ...answers }).outcome;
    expect(dynamics.kind === 'notEligible' && dynamics.instead.join(' ')).not.toContain('Azure');
    expect(azure.kind === 'notEligible' && azure.instead.join(' ')).toContain('Azure support plans');
  });

  it('names the Microsoft 365 product and the Dynamics 365 app chosen, and the product the partner typed', () => {
    // The product is not asked for Microsoft 365; when the partner names it, the card follows.
    const intune = route({ product: 'intune', program: 'advisor' }, 'en', knowledge) as Route;
    expect(intune.steps.map((step) => step.text)).toContain('Select Microsoft Intune.');
    expect(intune.steps.map((step) => step.text).join(' ')).not.toContain('Enterprise Mobility Suite');
    expect(intune.ids.text).toMatch(/requests such as Microsoft Intune\.$/);
    const retail = routeOf({
      family: 'dynamics365',
      product: 'd365Retail',
      program: 'advisor',
      purchasedPlan: 'asfp',
    });
    expect(retail.steps.map((step) => step.text)).toContain(
      'Select "Retail": the Dynamics Lifecycle Services portal opens.',
    );
    expect(retail.steps.map((step) => step.text).join(' ')).not.toContain('Power Platform');

    const typed = route(
      { family: 'onPremises', productName: 'SQL Server 2012', version: 'current', tier: 'gold' },
      'en',
      knowledge,
    ) as Route;
    expect(typed.product).toEqual({ id: 'onPremises', name: 'SQL Server 2012' });
    expect(typed.answers.productName).toBe('SQL Server 2012');
    expect(typed.summary).toMatch(/^SQL Server 2012 · /);
    expect(typed.steps.map((step) => step.text)).toContainEqual(
      expect.stringContaining('select the product and version (SQL Server 2012)'),
    );
    // Without a typed name, the card keeps the generic wording and no placeholder.
    expect(JSON.stringify(routeOf({ family: 'onPremises', version: 'current', tier: 'gold' }))).not.toContain(
      '{product}',
    );
  });

  it('takes a typed product name only when it reads as a product name, since the card shows it as is', () => {
    for (const name of [
      'SQL Server 2012',
      'Exchange 2019',
      'Dynamics 365 Sales',
      'SharePoint Server 2016 (SP1)',
    ]) {
      expect(Answers.safeParse({ productName: name }).success, name).toBe(true);
    }
    for (const name of ['[click](https://evil.example)', '<b>SQL</b>', '**Exchange**', 'x'.repeat(61), ' ']) {
      expect(Answers.safeParse({ productName: name }).success, name).toBe(false);
    }
  });

  it('the Azure route says a Microsoft engineer contacts the partner after submission', () => {
    const r = routeOf({ family: 'azure', program: 'cspDirect', purchasedPlan: 'none' });
    const ids = r.steps.map((step) => step.id);
    expect(ids.indexOf('azureEngineerContacts')).toBe(ids.indexOf('azureReviewCreate') + 1);
  });

  it('browser country and business hours by country only on business support portal routes', () => {
    const cloud = routeOf({ family: 'azure', program: 'cspDirect', purchasedPlan: 'none' });
    expect(cloud.browserCountryNote).toBeUndefined();
    expect(cloud.severity.businessHoursNote).toBeUndefined();
    const onPremises = routeOf({ family: 'onPremises', version: 'older', signIn: 'msa' });
    expect(onPremises.browserCountryNote).toContain("browser's country");
    expect(onPremises.severity.businessHoursNote).toContain("browser's country");
  });
});

/**
 * Names of tiers, packs, competencies, plans, programs and portals, each with the cases it belongs to.
 * A card may name only its own (the summary of the partner's answers is left out of the check).
 */
interface Mention {
  what: string;
  pattern: RegExp;
  owns: (c: Answers & { plan?: string; portal?: string; outcome: string }) => boolean;
}
const CSP_PROGRAMS = ['cspDirect', 'indirectProvider', 'indirectReseller'];
const MENTIONS: Mention[] = [
  {
    what: 'tier Action Pack',
    pattern: /Action Pack|アクション パック|\bMAPS\b/,
    owns: (c) => c.tier === 'actionPack',
  },
  { what: 'tier Silver', pattern: /\bSilver\b|シルバー/, owns: (c) => c.tier === 'silver' },
  { what: 'tier Gold', pattern: /\bGold\b|ゴールド/, owns: (c) => c.tier === 'gold' },
  {
    what: 'pack 20pack',
    pattern: /20 ?pack/i,
    owns: (c) => c.plan === 'partnerSupportCoreBenefit' && c.tier === 'gold',
  },
  {
    what: 'pack 15pack',
    pattern: /15 ?pack/i,
    owns: (c) => c.plan === 'partnerSupportCoreBenefit' && c.tier === 'silver',
  },
  {
    what: 'pack 10pack',
    pattern: /(?<![\d-])10 ?pack/i,
    owns: (c) =>
      (c.plan === 'partnerSupportCoreBenefit' && c.tier === 'actionPack') ||
      (c.plan === 'signatureCloudSupport' && c.tier === 'gold' && c.competency === 'other'),
  },
  {
    // "5pack" is a Signature benefit; a "5-pack" of bought incidents is pay per incident's.
    what: 'pack 5pack',
    pattern: /(?<![\d-])5 ?pack/i,
    owns: (c) => c.plan === 'signatureCloudSupport' && c.tier === 'silver' && c.competency === 'other',
  },
  {
    what: 'unlimited Signature',
    pattern: /unlimited|無制限/i,
    owns: (c) => c.plan === 'signatureCloudSupport' && c.competency === 'cloud',
  },
  {
    what: 'cloud competency',
    pattern: /(?<!non-)cloud competency|(?<!非)クラウド コンピテンシー/i,
    owns: (c) => c.competency === 'cloud',
  },
  {
    what: 'other competency',
    pattern: /non-cloud|other competenc|非クラウド|その他すべてのコンピテンシー/i,
    owns: (c) => c.competency === 'other',
  },
  {
    what: 'competency partner',
    pattern: /competency partner|コンピテンシー パートナー/i,
    owns: (c) => c.tier === 'silver' || c.tier === 'gold',
  },
  {
    what: 'plan Signature',
    pattern: /Signature|署名|シグネチャ/,
    owns: (c) =>
      c.plan === 'signatureCloudSupport' ||
      (c.plan === 'partnerSupportCoreBenefit' && (c.tier === 'silver' || c.tier === 'gold')) ||
      c.outcome === 'signatureNotForActionPack',
  },
  {
    what: 'plan ASfP',
    pattern: /ASfP|Advanced Support|高度なサポート|アドバンスド/,
    owns: (c) => c.plan === 'advancedSupportForPartners',
  },
  {
    what: 'plan PSfP',
    pattern: /PSfP|Premier|プレミア/,
    owns: (c) => c.plan === 'premierSupportForPartners',
  },
  {
    what: 'plan core benefit',
    pattern: /core benefit|コア特典|Partner Support (Gold|Silver|MAPS)/,
    owns: (c) => c.plan === 'partnerSupportCoreBenefit',
  },
  {
    what: 'plan pay per incident',
    pattern: /pay per incident|\bPPI\b|インシデントごとの支払い|インシデント単位|インシデントあたりの支払い/i,
    owns: (c) => c.plan === 'payPerIncident',
  },
  {
    what: 'plan Professional no-charge',
    pattern: /Professional no-charge|プロフェッショナル無償/i,
    owns: (c) => c.plan === 'professionalNoCharge',
  },
  {
    what: 'plan Azure support plans',
    pattern: /Azure support plans|Azure サポート プラン/i,
    owns: (c) => c.family === 'azure',
  },
  {
    what: 'program CSP',
    pattern: /\bCSP\b|Cloud Solution Provider|クラウド ソリューション プロバイダー/i,
    owns: (c) => CSP_PROGRAMS.includes(c.program ?? ''),
  },
  {
    // An indirect reseller works through its indirect provider.
    what: 'program indirect provider',
    pattern: /indirect provider|間接プロバイダー/i,
    owns: (c) => c.program === 'indirectProvider' || c.program === 'indirectReseller',
  },
  {
    what: 'program indirect reseller',
    pattern: /indirect reseller|間接リセラー/i,
    owns: (c) => c.program === 'indirectReseller',
  },
  { what: 'program advisor', pattern: /advisor|アドバイザー/i, owns: (c) => c.program === 'advisor' },
  {
    what: 'portal Azure portal',
    pattern: /Azure portal|Azure ポータル/i,
    owns: (c) => c.portal === 'azurePortal',
  },
  {
    what: 'portal Microsoft 365 admin center',
    pattern: /Microsoft 365 admin center|Microsoft 365 管理センター/i,
    owns: (c) => c.portal === 'microsoft365AdminCenter',
  },
  {
    what: 'portal Lifecycle Services',
    pattern: /Lifecycle Services|ライフサイクル サービス/i,
    owns: (c) => c.portal === 'lifecycleServices',
  },
  { what: 'portal Power Platform', pattern: /Power Platform/i, owns: (c) => c.portal === 'powerPlatform' },
  {
    what: 'portal business support workflow',
    pattern: /business support workflow|ビジネス ワークフローのサポート/i,
    owns: (c) => c.portal === 'businessSupportWorkflow',
  },
  {
    what: 'portal business support portal',
    pattern: /business support portal|ビジネス サポート ポータル|supportforbusiness/i,
    owns: (c) => c.portal === 'businessSupportPortal',
  },
  {
    // The seed gives these for the business support portal (on-premises) only.
    what: 'business support portal guidance',
    pattern:
      /browser'?s? country|ブラウザの国|scroll to the (bottom|end) of the page|ページの最後までスクロール|business hours are based|営業時間はブラウザ/i,
    owns: (c) => c.portal === 'businessSupportPortal',
  },
];

/** Everything a route or not-eligible card says, except the summary of the partner's answers. */
function saidOnCard(outcome: Route | NotEligible): string[] {
  const links = (list: { name: string }[]) => list.map((link) => link.name);
  if (outcome.kind === 'notEligible') return [outcome.reason, ...outcome.instead, ...links(outcome.links)];
  return [
    outcome.plan.name,
    outcome.entitlement,
    outcome.portal.name,
    outcome.ids.text,
    ...outcome.steps.map((step) => step.text),
    ...outcome.caveats.map((caveat) => caveat.text),
    ...outcome.severity.levels.map((level) => level.criteria),
    outcome.severity.businessHoursNote ?? '',
    outcome.browserCountryNote ?? '',
    ...outcome.knownErrors.flatMap((error) => [error.title, error.message, ...error.fix, ...error.causes]),
    ...links([...outcome.kbs, ...outcome.links, ...outcome.steps.flatMap((step) => step.links)]),
  ];
}

describe('no card mentions another case than its own', () => {
  for (const lang of Lang.options) {
    it(`over every decided path in ${lang}: no other tier, pack, competency, plan, program or portal`, () => {
      const foreign: string[] = [];
      const mentioned = new Set<string>();
      for (const { answers, outcome } of everyDecidedCase(lang, knowledge)) {
        const context = {
          ...outcome.answers,
          outcome: outcome.id,
          ...(outcome.kind === 'route' && { plan: outcome.plan.id, portal: outcome.portal.id }),
        };
        for (const line of saidOnCard(outcome)) {
          for (const mention of MENTIONS) {
            if (!mention.pattern.test(line)) continue;
            mentioned.add(mention.what);
            if (!mention.owns(context))
              foreign.push(`${JSON.stringify(answers)} → ${outcome.id}: ${mention.what} in "${line}"`);
          }
        }
      }
      expect(foreign).toEqual([]);
      // The check can fail: each name is said on the cards it belongs to.
      expect([...mentioned].sort()).toEqual(MENTIONS.map((mention) => mention.what).sort());
    });
  }
});

describe('severity', () => {
  it.each([
    [{ ready24x7: true, businessDown: true }, 'A'],
    [{ ready24x7: true, businessDown: false, companyWideStop: true }, 'B'],
    [{ ready24x7: false, businessDown: true, companyWideStop: true }, 'B'],
    [{ ready24x7: false, companyWideStop: false }, 'C'],
    [{ ready24x7: true, businessDown: false, companyWideStop: false }, 'C'],
  ] as const)('%o → %s', (situation, expected) => {
    expect(severityFor(situation)).toBe(expected);
  });
});
