// Back office scenarios, driven by cmd/guichet/browser_backoffice_test.go:
// an operator signs in with the banner's credentials, filters the journal,
// captures part of a Paybox Direct payment, cancels a Payline one, advances
// the Lyra shop's clock and refunds part of its payment; a merchant user
// sees its own shop only. A KWIXO payment is captured in part once its
// review allows it, and an S-money payment's callback is sent again.
// Every page is checked by axe-core.
//
//   node backoffice.mjs BASE USER PASSWORD MERCHANT_USER MERCHANT_PASSWORD KWIXO_REF SMONEY_REF [scenario…]

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { run, check, expectVisible, accessible, shot } from './harness.mjs';

const [base, user, password, merchant, merchantPassword, kwixoRef, smoneyRef, ...wanted] = process.argv.slice(2);
if (!smoneyRef) {
  console.error('usage: node backoffice.mjs BASE USER PASSWORD MERCHANT_USER MERCHANT_PASSWORD KWIXO_REF SMONEY_REF [scenario…]');
  process.exit(2);
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// audit runs guichet's own accessibility checks and axe-core on the page,
// and fails on any serious or critical violation. axe is evaluated through
// the browser's debugging protocol, which the page's Content-Security-
// Policy (no inline script) does not apply to.
async function audit(page, what, lang) {
  await accessible(page, what, lang);
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
  check(violations.length === 0, `${what}: axe-core: ${violations.join('; ')}`);
}

// rows returns the references the journal lists.
async function rows(page) {
  return page.locator('table.journal tbody tr td:nth-child(2) a').allTextContents();
}

async function open(page, reference) {
  await page.goto(`${base}/backoffice/?reference=${encodeURIComponent(reference)}`);
  await page.getByRole('link', { name: reference, exact: true }).click();
  await expectVisible(page.getByRole('heading', { level: 1, name: `Transaction ${reference}` }), `the page of ${reference}`);
}

// advance moves the clock of the shop of the transaction page shown, from
// that shop's page, and comes back.
async function advance(page, by) {
  const back = page.url().split('?')[0];
  await page.locator('.summary a').first().click();
  await page.getByLabel(/^Avancer de/).fill(by);
  await page.getByRole('button', { name: 'Avancer l’horloge' }).click();
  await expectVisible(page.getByRole('status').filter({ hasText: 'Tâches exécutées' }), 'the clock notice');
  await page.goto(back);
}

// lastOperation is the code of the last row of the operations table.
async function lastOperation(page) {
  return (await page.locator('table tbody tr').last().locator('td').nth(4).textContent()).trim();
}

async function signIn(page, name, pw) {
  await page.getByLabel(/^(Utilisateur|User)$/).fill(name);
  await page.getByLabel(/^(Mot de passe|Password)$/).fill(pw);
  await page.getByRole('button', { name: /^(Connexion|Sign in)$/ }).click();
}

// lyraPage is the address of the Lyra payment's page, which the merchant
// scenario tries to open by URL.
let lyraPage = '';

const scenarios = {
  async operator(page) {
    await page.goto(`${base}/backoffice/`);
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Connexion' }), 'the sign-in page');
    await audit(page, 'sign-in page', 'fr');
    await signIn(page, user, 'not the password');
    await expectVisible(page.getByRole('alert').filter({ hasText: 'incorrect' }), 'the wrong-password message');
    await signIn(page, user, password);
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Journal des transactions' }), 'the journal');
    const listed = await rows(page);
    for (const ref of ['bo-paybox', 'bo-payline', 'bo-lyra']) check(listed.includes(ref), `journal lacks ${ref}: ${listed}`);
    await audit(page, 'journal', 'fr');
    await shot(page, 'backoffice-journal');

    await page.getByLabel('Protocole').selectOption('lyra');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    const lyraOnly = await rows(page);
    check(lyraOnly.length === 1 && lyraOnly[0] === 'bo-lyra', `journal filtered on Lyra: ${lyraOnly}`);

    // Part of the Paybox payment is captured; more than what remains is
    // refused next to the form.
    await open(page, 'bo-paybox');
    await audit(page, 'transaction page', 'fr');
    await page.getByLabel('Montant (EUR)').first().fill('5,00');
    await page.getByRole('button', { name: 'Capturer' }).click();
    await expectVisible(page.getByRole('status').filter({ hasText: 'Capture effectuée' }), 'the capture notice');
    check((await page.locator('#status').textContent()) === 'Capturée', 'status after capture');
    await page.locator('#amount-capture').fill('50');
    await page.getByRole('button', { name: 'Capturer' }).click();
    await expectVisible(page.locator('#capture').getByRole('alert'), 'the refusal of a capture beyond what remains');
    await shot(page, 'backoffice-transaction');

    await open(page, 'bo-payline');
    await page.getByRole('button', { name: 'Annuler' }).click();
    await expectVisible(page.getByRole('status').filter({ hasText: 'Annulation effectuée' }), 'the cancellation notice');
    check((await page.locator('#status').textContent()) === 'Annulée', 'status after cancellation');

    // The Lyra payment is captured by the evening batch once its shop's
    // clock moves on; then part of it is refunded.
    await open(page, 'bo-lyra');
    lyraPage = page.url();
    await page.locator('.summary a').first().click();
    await audit(page, 'shop page', 'fr');
    await shot(page, 'backoffice-shop');
    await page.goto(lyraPage);
    await advance(page, '48h');
    await page.locator('#amount-refund').fill('1.00');
    await page.getByRole('button', { name: 'Rembourser' }).click();
    await expectVisible(page.getByRole('status').filter({ hasText: 'Remboursement effectué' }), 'the refund notice');
    const audited = await page.locator('#audit li').allTextContents();
    check(audited.some((l) => l.includes(`${user} — refund`)), `audit trail: ${audited}`);

    // KWIXO reviews the payment first: no capture until its scoring.
    await open(page, kwixoRef);
    check((await page.locator('#info').textContent()).includes('201 PAYMENT_OK'), 'the KWIXO state in the ? column');
    await expectVisible(page.locator('#capture').getByText('Impossible maintenant'), 'capture refused during the review');
    await advance(page, '10m');
    check((await page.locator('#info').textContent()).includes('301 SCORING_OK'), 'the KWIXO state after scoring');
    await page.locator('#amount-capture').fill('1.00');
    await page.getByRole('button', { name: 'Capturer' }).click();
    await expectVisible(page.getByRole('status').filter({ hasText: 'Capture effectuée' }), 'the KWIXO capture notice');
    check(await lastOperation(page) === '99999', `the KWIXO capture is pending: ${await lastOperation(page)}`);
    await advance(page, '2m');
    check(await lastOperation(page) === '00000', `the KWIXO capture is confirmed: ${await lastOperation(page)}`);

    // The journal's dispute link leads to the dispute's forms: opened,
    // then closed.
    await page.goto(`${base}/backoffice/?reference=${encodeURIComponent(kwixoRef)}`);
    await page.getByRole('link', { name: 'Litige KWIXO' }).click();
    await page.getByRole('button', { name: 'Ouvrir un litige' }).click();
    await expectVisible(page.getByRole('status').filter({ hasText: 'Litige mis à jour' }), 'the dispute notice');
    check((await page.locator('#info').textContent()).includes('600 MAKE_COMPLAINT'), 'the KWIXO state of an open dispute');
    await page.getByRole('button', { name: 'Clore le litige' }).click();
    check((await page.locator('#info').textContent()).includes('603 COMPLAINT_CLOSED'), 'the KWIXO state of a closed dispute');

    // The S-money payment's callback, sent again, then part of it
    // refunded once its funds are sent.
    await open(page, smoneyRef);
    await page.getByRole('button', { name: 'Renvoyer' }).first().click();
    await expectVisible(page.getByRole('status').filter({ hasText: 'Notification renvoyée' }), 'the resend notice');
    await advance(page, '48h');
    await page.locator('#amount-refund').fill('2,50');
    await page.getByRole('button', { name: 'Rembourser' }).click();
    await expectVisible(page.getByRole('status').filter({ hasText: 'Remboursement effectué' }), 'the S-money refund notice');
    return { url: page.url() };
  },

  async merchant(page) {
    check(lyraPage !== '', 'the operator scenario must run first');
    await page.goto(`${base}/backoffice/login?lang=en`);
    await audit(page, 'sign-in page (en)', 'en');
    await signIn(page, merchant, merchantPassword);
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Transaction journal' }), 'the journal');
    const listed = await rows(page);
    check(listed.includes('bo-paybox') && !listed.includes('bo-lyra') && !listed.includes('bo-payline'),
      `the merchant's journal: ${listed}`);
    await audit(page, 'journal (en)', 'en');
    const resp = await page.goto(lyraPage);
    check(resp.status() === 404, `another shop's transaction by URL: HTTP ${resp.status()}`);
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Not found' }), 'the not-found page');
    return { url: page.url() };
  },
};

await run(scenarios, wanted, { locale: 'fr-FR', pageErrors: true });
