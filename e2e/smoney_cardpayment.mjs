// The S-money front's hosted payment page in a real headless browser, as
// a merchant's payer goes through it: the merchant's page, whose server
// creates the card payment with POST payins/cardpayments and sends the
// payer to its Href; the choice of a brand, the card form (with a typing
// mistake first), the simulated 3-D Secure challenge and the redirection
// to urlReturn; a refused payment without 3-D Secure; a cancelled one.
//
//   node e2e/smoney_cardpayment.mjs <merchantURL> [paid|refused|cancel ...]
//
// <merchantURL> is the merchant server that
// cmd/guichet/browser_smoney_test.go starts: /shop?ref=&amount=&pref=&cards=
// serves an order page with a "Payer" button, whose server creates the
// payment and sends the payer to its Href; /return is its urlReturn, which
// echoes its query string in #result. Without scenario names every
// scenario runs.
//
// The browser is Debian's chromium (never a downloaded one). The script
// prints one "RESULT {json}" line (each scenario's OrderId, the payment's
// page as the browser reached it, and the URL the browser landed on), and
// exits 1 with the reason on the first failed check. Screenshots go to
// $GUICHET_E2E_SCREENSHOTS, or to a new directory under the system's
// temporary directory, and their paths are printed.

import { CheckError, TIMEOUT, accessible, cardFields, check, expectAttr, expectVisible, fillCard, run, runID, shot } from './harness.mjs';

const [merchantArg, ...wanted] = process.argv.slice(2);
if (!merchantArg) {
  console.error('usage: node smoney_cardpayment.mjs <merchantURL> [paid|refused|cancel ...]');
  process.exit(2);
}
const merchant = merchantArg.replace(/\/+$/, '');

// What the pages show of the payment: the sandbox application's name.
const MERCHANT = 'S-money sandbox';
// The pages' texts are French; amounts are written with a no-break space
// before the euro sign, which \s matches.
const CHOICE = 'Choisissez votre moyen de paiement';
const CARD = 'Saisissez les informations de votre carte';
const CHALLENGE = 'Votre banque vous demande de confirmer ce paiement';
const CANCEL = 'Annuler le paiement';

// expectPage waits for a page by its h1 and checks what every page of the
// sandbox application's payments shows: the ***TEST*** banner and title,
// the payment in the order summary.
async function expectPage(page, heading, ref, amount, what) {
  await expectVisible(page.getByRole('heading', { level: 1, name: heading, exact: true }), `${what} ("${heading}")`);
  await expectVisible(page.locator('.test-banner').getByText('***TEST***', { exact: true }), `the ***TEST*** banner on ${what}`);
  const title = await page.title();
  check(title.startsWith('***TEST*** '), `${what}: title ${JSON.stringify(title)} lacks ***TEST***`);
  check(title.endsWith(` – ${MERCHANT}`), `${what}: title ${JSON.stringify(title)} does not name ${MERCHANT}`);
  await accessible(page, what, 'fr');
  const summary = page.getByRole('region', { name: 'Votre commande', exact: true });
  await expectVisible(summary, `the order summary on ${what}`);
  const text = (await summary.textContent()).replace(/\s+/g, ' ');
  for (const want of [MERCHANT, amount, ref]) {
    check(text.includes(want), `${what}: the order summary ${JSON.stringify(text)} lacks ${JSON.stringify(want)}`);
  }
}

// openShop opens the merchant's page and clicks its "Payer" button, whose
// server creates the payment and sends the browser to its Href; it
// returns the page's URL.
async function openShop(page, ref, { amount, pref, cards }) {
  const q = new URLSearchParams({ ref, amount: String(amount), pref: String(pref), cards });
  await page.goto(`${merchant}/shop?${q}`);
  await page.getByRole('button', { name: 'Payer', exact: true }).click();
  try {
    await page.waitForURL((u) => u.pathname.startsWith('/api/sandbox/payment/'), { timeout: TIMEOUT });
  } catch {
    throw new CheckError(`expected the payment page under /api/sandbox/payment/, at ${page.url()}`);
  }
  return page.url();
}

// expectPayButton checks that the card form's button names the amount.
async function expectPayButton(page, amount) {
  const pay = (await page.getByRole('button', { name: /^Payer\b/ }).textContent()).replace(/\s+/g, ' ').trim();
  check(pay === `Payer ${amount}`, `pay button ${JSON.stringify(pay)}, want "Payer ${amount}"`);
}

// backToShop waits for the redirection to urlReturn and checks its query:
// the OrderId, Type 1 (a card payment) and the Result.
async function backToShop(page, ref, result) {
  try {
    await page.waitForURL((u) => u.pathname === '/return', { timeout: TIMEOUT });
  } catch {
    throw new CheckError(`expected to land on urlReturn, at ${page.url()}`);
  }
  await expectVisible(page.getByRole('heading', { level: 1, name: 'Retour du paiement', exact: true }), "the merchant's return page");
  const want = `Id=${encodeURIComponent(ref)}&Type=1&Result=${result}`;
  const got = new URL(page.url()).search.slice(1);
  check(got === want, `urlReturn's query ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  const echoed = (await page.locator('#result').textContent()).trim();
  check(echoed === want, `/return: #result ${JSON.stringify(echoed)}, want ${JSON.stringify(want)}`);
  return page.url();
}

// revisit opens a payment's page again once it has ended: the payer is
// sent back to urlReturn with the same Result, and no form is offered.
async function revisit(page, href, ref, result) {
  await page.goto(href);
  const url = await backToShop(page, ref, result);
  check(await page.getByLabel('Numéro de carte', { exact: true }).count() === 0, "an ended payment's page offers the card form");
  return url;
}

const scenarios = {
  // A payment with a challenge (preference 0): Visa chosen between CB and
  // Visa, a Luhn-invalid number first, then the test card through the
  // 3-D Secure challenge, back to urlReturn with Result=1.
  async paid(page) {
    const ref = `e2e-smoney-paid-${runID}`;
    const amount = '15,00 €';
    const href = await openShop(page, ref, { amount: 1500, pref: 0, cards: 'CB;VISA' });

    await expectPage(page, CHOICE, ref, amount, 'the choice page');
    const values = await page.locator('button[name="method"]').evaluateAll((bs) => bs.map((b) => b.value));
    check(JSON.stringify(values) === JSON.stringify(['CB', 'VISA']), `choice page: method buttons ${JSON.stringify(values)}, want CB and VISA`);
    for (const name of ['CB', 'Visa']) {
      await expectVisible(page.getByRole('button', { name, exact: true }), `a "${name}" button on the choice page`);
    }
    await expectVisible(page.getByRole('group', { name: 'Moyens de paiement acceptés' }), 'the methods grouped under their legend');
    await expectVisible(page.getByRole('button', { name: CANCEL, exact: true }), 'a cancel button on the choice page');
    await shot(page, 'smoney-choice');
    await page.getByRole('button', { name: 'Visa', exact: true }).click();

    await expectPage(page, CARD, ref, amount, 'the card page');
    await expectVisible(page.getByText(/^Carte\s:\sVisa$/), 'the chosen brand on the card page');
    let f = await cardFields(page, 'fr');
    await expectPayButton(page, amount);
    await expectVisible(page.getByRole('button', { name: CANCEL, exact: true }), 'a cancel button on the card page');
    await shot(page, 'smoney-card');

    await fillCard(f, '4970 1011 2233 4456', '12/30', '123', 'Jean Dupont');
    await expectPage(page, CARD, ref, amount, 'the card page after a Luhn-invalid number');
    f = await cardFields(page, 'fr');
    await expectVisible(page.getByText(/^Carte\s:\sVisa$/), 'the chosen brand kept after the error');
    await expectVisible(page.locator('#number-error'), 'an error next to the card number after a Luhn-invalid number');
    const err = (await page.locator('#number-error').textContent()).trim();
    check(err === 'Numéro de carte invalide.', `number error ${JSON.stringify(err)}`);
    await expectAttr(f.number, 'aria-invalid', 'true', 'card number after a Luhn-invalid number');
    const describedBy = (await f.number.getAttribute('aria-describedby')) || '';
    check(describedBy.split(/\s+/).includes('number-error'), `card number aria-describedby ${JSON.stringify(describedBy)} lacks number-error`);
    check(/^\*\*\*TEST\*\*\* Erreur\s: /.test(await page.title()), `the title ${JSON.stringify(await page.title())} does not announce the error`);
    await expectVisible(page.getByRole('alert').getByRole('link', { name: 'Numéro de carte invalide.' }), 'the error summary linking to the number');
    check((await f.number.inputValue()) === '', 'the mistyped card number was written back into the page');
    check((await f.cvv.inputValue()) === '', 'the security code was written back into the page');
    const expiry = await f.expiry.inputValue();
    check(expiry === '12/30', `the expiry after an error is ${JSON.stringify(expiry)}, want "12/30" kept`);
    const holder = await f.holder.inputValue();
    check(holder === 'Jean Dupont', `the holder after an error is ${JSON.stringify(holder)}, want "Jean Dupont" kept`);
    await shot(page, 'smoney-card-error');

    await fillCard(f, '4970101122334455', '12/30', '123');
    await expectPage(page, CHALLENGE, ref, amount, 'the 3-D Secure challenge page');
    const otp = page.getByLabel('Code de confirmation', { exact: true });
    await expectVisible(otp, 'a "Code de confirmation" input');
    await expectAttr(otp, 'autocomplete', 'one-time-code', 'challenge code');
    await expectVisible(page.getByText(/^Environnement de test : le code est 1234\.$/), "the challenge's TEST hint");
    await shot(page, 'smoney-challenge');
    await otp.fill('1234');
    await page.getByRole('button', { name: 'Valider', exact: true }).click();

    const url = await backToShop(page, ref, 1);
    await shot(page, 'smoney-return');

    // The page of a paid payment takes no second payment.
    await revisit(page, href, ref, 1);
    return { ref, href, url };
  },

  // An amount of 40.02 EUR is refused with ExecCode 4002; with preference
  // 3 there is no 3-D Secure. The payment offers CB alone, so the page is
  // the card form straight away.
  async refused(page) {
    const ref = `e2e-smoney-refused-${runID}`;
    const amount = '40,02 €';
    const href = await openShop(page, ref, { amount: 4002, pref: 3, cards: 'CB' });

    await expectPage(page, CARD, ref, amount, 'the card page of a payment offering CB alone');
    await expectVisible(page.getByText(/^Carte\s:\sCB$/), 'the only brand on the card page');
    check(await page.locator('button[name="method"]').count() === 0, 'a payment offering one brand shows a choice');
    const f = await cardFields(page, 'fr');
    await expectPayButton(page, amount);
    await fillCard(f, '4970101122334455', '12/30', '123', 'Jean Dupont');

    // No challenge: straight back to urlReturn, not paid.
    const url = await backToShop(page, ref, 0);
    return { ref, href, url };
  },

  // The payer cancels on the choice page: back to urlReturn, not paid.
  async cancel(page) {
    const ref = `e2e-smoney-cancel-${runID}`;
    const amount = '12,34 €';
    const href = await openShop(page, ref, { amount: 1234, pref: 0, cards: 'CB;VISA' });
    await expectPage(page, CHOICE, ref, amount, 'the choice page');
    await page.getByRole('button', { name: CANCEL, exact: true }).click();
    const url = await backToShop(page, ref, 0);

    // The cancelled payment takes no payment afterwards.
    await revisit(page, href, ref, 0);
    return { ref, href, url };
  },
};

await run(scenarios, wanted, { locale: 'fr-FR', pageErrors: true });
