// Paybox System's hosted pages in a real headless browser, as a merchant's
// buyer goes through them: the merchant's page, the choice of a card brand,
// the card form (with a typing mistake first), 3-D Secure on rang 43, the
// KWIXO login, the ticket page and the way back to the shop.
//
//   node e2e/paybox_system.mjs <merchantURL> [paid|3ds|kwixo|cancel ...]
//
// <merchantURL> is the merchant server that cmd/guichet/browser_test.go
// starts: /shop?rang=&ref= serves a signed Paybox form with a "Payer"
// button, /back/{ok,refused,cancelled} echo their query string in
// #result. Without scenario names every scenario runs.
//
// The browser is Debian's chromium (never a downloaded one). The script
// prints one "RESULT {json}" line (each scenario's reference and the URL the
// browser landed on), and exits 1 with the reason on the first failed check.
// Screenshots go to $GUICHET_E2E_SCREENSHOTS, or to a new directory under
// the system's temporary directory, and their paths are printed.

import { CheckError, TIMEOUT, cardFields, check, expectAttr, expectVisible, fillCard, run, runID, shot } from './harness.mjs';

const [merchantArg, ...wanted] = process.argv.slice(2);
if (!merchantArg) {
  console.error('usage: node paybox_system.mjs <merchantURL> [paid|3ds|kwixo|cancel ...]');
  process.exit(2);
}
const merchant = merchantArg.replace(/\/+$/, '');

// openShop opens the merchant's page and sends its form to the gateway.
async function openShop(page, rang, ref, extra = '') {
  await page.goto(`${merchant}/shop?rang=${rang}&ref=${encodeURIComponent(ref)}${extra}`);
  await page.getByRole('button', { name: 'Payer', exact: true }).click();
  await page.waitForURL((u) => u.pathname !== '/shop');
}

// chooseBrand checks the choice page and clicks a brand's button.
async function chooseBrand(page, brand, screenshot) {
  await expectVisible(page.getByRole('heading', { level: 1, name: 'Choisissez votre moyen de paiement' }), 'the choice page');
  await expectVisible(page.locator('.test-banner').getByText('***TEST***', { exact: true }), 'the ***TEST*** banner on the choice page');
  check((await page.title()).startsWith('***TEST*** '), `choice page title ${JSON.stringify(await page.title())} lacks ***TEST***`);
  const methods = page.locator('button[name="method"]');
  const values = await methods.evaluateAll((bs) => bs.map((b) => b.value));
  for (const v of ['CARTE:CB', 'CARTE:VISA', 'CARTE:EUROCARD_MASTERCARD']) {
    check(values.includes(v), `choice page: no ${v} button among ${JSON.stringify(values)}`);
  }
  for (const name of ['CB', 'Visa', 'Mastercard']) {
    await expectVisible(page.getByRole('button', { name, exact: true }), `a "${name}" button on the choice page`);
  }
  if (screenshot) await shot(page, screenshot);
  await page.getByRole('button', { name: brand, exact: true }).click();
  await expectVisible(page.getByRole('heading', { level: 1, name: 'Saisissez les informations de votre carte' }), `the card page after choosing ${brand}`);
}

// backToShop checks the ticket page and follows its "Retour boutique" link
// to the merchant page of the outcome.
async function backToShop(page, heading, path, code) {
  await expectVisible(page.getByRole('heading', { level: 1, name: heading, exact: true }), `a ticket page saying "${heading}"`);
  await page.getByRole('link', { name: 'Retour boutique', exact: true }).click();
  try {
    await page.waitForURL((u) => u.pathname === path, { timeout: TIMEOUT });
  } catch {
    throw new CheckError(`expected to land on ${path}, at ${page.url()}`);
  }
  const result = await page.locator('#result').textContent();
  check(result.includes(`Erreur=${code}`), `${path}: #result ${JSON.stringify(result)} lacks Erreur=${code}`);
  return page.url();
}

const scenarios = {
  // Rang 32, no 3-D Secure: a mistyped number first, then a good card.
  async paid(page) {
    const ref = `e2e-paid-${runID}`;
    await openShop(page, '32', ref);
    await chooseBrand(page, 'CB', 'choice');
    let f = await cardFields(page, 'fr');
    await shot(page, 'card');

    await fillCard(f, '4012 0010 3714 1113', '12/30', '123');
    f = await cardFields(page, 'fr');
    await expectVisible(page.locator('#number-error'), 'an error next to the card number after a Luhn-invalid number');
    const err = (await page.locator('#number-error').textContent()).trim();
    check(err === 'Numéro de carte invalide.', `number error ${JSON.stringify(err)}`);
    await expectAttr(f.number, 'aria-invalid', 'true', 'card number after a Luhn-invalid number');
    const describedBy = (await f.number.getAttribute('aria-describedby')) || '';
    check(describedBy.split(/\s+/).includes('number-error'), `card number aria-describedby ${JSON.stringify(describedBy)} lacks number-error`);
    await expectVisible(page.getByRole('alert').getByRole('link', { name: 'Numéro de carte invalide.' }), 'the error summary linking to the number');
    check((await f.number.inputValue()) === '', 'the mistyped card number was written back into the page');
    check((await f.cvv.inputValue()) === '', 'the CVV was written back into the page');
    const expiry = await f.expiry.inputValue();
    check(expiry === '12/30', `the expiry after an error is ${JSON.stringify(expiry)}, want "12/30" typed again by the page`);
    const pay = (await page.getByRole('button', { name: /^Payer\b/ }).textContent()).trim();
    check(pay === 'Payer 12,50\u00a0€', `pay button ${JSON.stringify(pay)}, want "Payer 12,50 €"`);
    await shot(page, 'card-error');

    await fillCard(f, '4012001037141112', '12/30', '123');
    await expectVisible(page.getByText('Votre paiement a été accepté'), 'the accepted message');
    const url = await backToShop(page, 'Paiement accepté', '/back/ok', '00000');
    return { ref, url };
  },

  // Rang 43: the simulated 3-D Secure challenge, code 1234.
  async '3ds'(page) {
    const ref = `e2e-3ds-${runID}`;
    await openShop(page, '43', ref);
    await chooseBrand(page, 'Visa');
    const f = await cardFields(page, 'fr');
    await fillCard(f, '4012001037141112', '12/30', '123');
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Votre banque vous demande de confirmer ce paiement' }), 'the 3-D Secure challenge page');
    const otp = page.getByLabel('Code de confirmation', { exact: true });
    await expectVisible(otp, 'a "Code de confirmation" input');
    await expectAttr(otp, 'autocomplete', 'one-time-code', 'challenge code');
    await shot(page, 'challenge');
    await otp.fill('1234');
    await page.getByRole('button', { name: 'Valider', exact: true }).click();
    const url = await backToShop(page, 'Paiement accepté', '/back/ok', '00000');
    return { ref, url };
  },

  // Rang 32: KWIXO chosen on the choice page, the simulated KWIXO login,
  // and a pending payment.
  async kwixo(page) {
    const ref = `e2e-kwixo-${runID}`;
    await openShop(page, '32', ref, '&kwixo=1');
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Choisissez votre moyen de paiement' }), 'the choice page');
    for (const name of ['Kwixo comptant', 'Kwixo 1x à réception', 'Kwixo crédit']) {
      await expectVisible(page.getByRole('button', { name, exact: true }), `a "${name}" button on the choice page`);
    }
    await page.getByRole('button', { name: 'Kwixo 1x à réception', exact: true }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Connectez-vous à votre compte Kwixo' }), 'the KWIXO login');
    await expectVisible(page.getByText('Paiement à réception\u00a0: service facturé par Kwixo.'), 'who pays for receive-and-pay');
    const email = page.getByLabel('Adresse e-mail', { exact: true });
    const password = page.getByLabel('Mot de passe', { exact: true });
    await expectAttr(email, 'autocomplete', 'email', 'KWIXO e-mail');
    await expectAttr(password, 'autocomplete', 'current-password', 'KWIXO password');
    await shot(page, 'kwixo');
    await email.fill('marie.martin@example.com');
    await password.fill('secret');
    await page.getByRole('button', { name: 'Se connecter et payer', exact: true }).click();
    const url = await backToShop(page, 'Paiement en attente', '/back/pending', '99999');
    return { ref, url };
  },

  // Rang 32: the buyer gives up on the card page.
  async cancel(page) {
    const ref = `e2e-cancel-${runID}`;
    await openShop(page, '32', ref);
    await chooseBrand(page, 'CB');
    await cardFields(page, 'fr');
    await page.getByRole('button', { name: 'Annuler le paiement', exact: true }).click();
    const url = await backToShop(page, 'Paiement annulé', '/back/cancelled', '00001');
    return { ref, url };
  },
};

await run(scenarios, wanted, { locale: 'fr-FR', pageErrors: false });
