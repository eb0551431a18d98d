// Lyra's embedded form against guichet in a real headless browser: pages
// with the markup of Lyra's public examples, whose static host is guichet,
// load guichet's kr-payment-form.min.js, and a buyer pays with Lyra's test
// cards.
//
//   node e2e/lyra_embedded.mjs <merchantURL> <guichetURL> [paid|3ds|retry|refused|installments|register|oneclick|spa|sameorigin|onsubmit ...]
//
// <merchantURL> is the merchant server that cmd/guichet/browser_lyra_test.go
// starts: /pay/{page}?ref= creates a payment on guichet and serves the
// page, /paid and /refused are its kr-post-url-success and
// kr-post-url-refused, which say whether the signature is valid.
// <guichetURL> is guichet, the pages' static host. Without scenario names every scenario runs (oneclick
// needs register before it).
//
// The browser is Debian's chromium (never a downloaded one). The script
// prints one "RESULT {json}" line (each scenario's order reference and the
// URL the browser landed on, and for onsubmit the argument KR.onSubmit got),
// and exits 1 with the reason on the first failed check. Screenshots go to
// $GUICHET_E2E_SCREENSHOTS, or to a new directory under the system's
// temporary directory, and their paths are printed.

import { CheckError, TIMEOUT, check, expectAttr, expectVisible, run, runID, shot } from './harness.mjs';

const [merchantArg, guichetArg, ...wanted] = process.argv.slice(2);
if (!merchantArg || !guichetArg) {
  console.error('usage: node lyra_embedded.mjs <merchantURL> <guichetURL> [paid|3ds|retry|refused|installments|register|oneclick|spa|sameorigin|onsubmit ...]');
  process.exit(2);
}
const merchant = merchantArg.replace(/\/+$/, '');
const guichet = guichetArg.replace(/\/+$/, '');

async function expectText(locator, want, what) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout: TIMEOUT });
    const deadline = Date.now() + TIMEOUT;
    for (;;) {
      const text = (await locator.first().textContent()).trim();
      if (want instanceof RegExp ? want.test(text) : text === want) return text;
      if (Date.now() > deadline) throw new CheckError(`${what}: ${JSON.stringify(text)}, want ${want}`);
      await locator.page().waitForTimeout(50);
    }
  } catch (e) {
    if (e instanceof CheckError) throw e;
    throw new CheckError(`expected ${what}`);
  }
}

// openPage opens a merchant page (a path of the merchant's server, or a
// whole URL) and waits for guichet's form (the one under scope) to be
// ready: its pay button enabled and labelled with the amount.
async function openPage(page, target, payLabel, scope = 'body') {
  await page.goto(target.startsWith('/') ? `${merchant}${target}` : target);
  const button = page.locator(`${scope} .kr-payment-button`);
  await expectText(button, payLabel, 'the pay button');
  try {
    await page.waitForFunction((sel) => !document.querySelector(sel).disabled, `${scope} .kr-payment-button`, { timeout: TIMEOUT });
  } catch {
    throw new CheckError('the pay button stayed disabled');
  }
  return button;
}

const FRENCH = { number: 'Numéro de carte', expiry: "Date d'expiration", cvv: 'Code de sécurité' };

// cardFields finds the card inputs by their labels (under scope, a page or
// a locator), and checks what lets a browser or a password manager fill
// them.
async function cardFields(scope, labels = FRENCH) {
  const f = {
    number: scope.getByLabel(labels.number, { exact: true }),
    expiry: scope.getByLabel(labels.expiry, { exact: true }),
    cvv: scope.getByLabel(labels.cvv, { exact: true }),
  };
  await expectVisible(f.number, `a "${labels.number}" input`);
  await expectAttr(f.number, 'autocomplete', 'cc-number', 'card number');
  await expectAttr(f.expiry, 'autocomplete', 'cc-exp', 'expiry');
  await expectAttr(f.cvv, 'autocomplete', 'cc-csc', 'security code');
  for (const [k, input] of Object.entries(f)) {
    // A merchant's form around the container must never receive the card.
    check((await input.getAttribute('name')) === null, `the ${k} input has a name, and would be posted with a merchant's form`);
  }
  return f;
}

async function fillCard(f, number, expiry, cvv) {
  await f.number.fill(number);
  await f.expiry.fill(expiry);
  await f.cvv.fill(cvv);
}

// landOn waits for the merchant's page the browser was sent to.
async function landOn(page, path, heading) {
  try {
    await page.waitForURL((u) => u.pathname === path, { timeout: TIMEOUT });
  } catch {
    throw new CheckError(`expected to land on ${path}, at ${page.url()}`);
  }
  await expectVisible(page.getByRole('heading', { level: 1, name: heading, exact: true }), `the merchant's "${heading}" page`);
  const result = await page.locator('#result').textContent();
  check(result.includes('signature valide'), `${path}: the merchant says ${JSON.stringify(result)}`);
  return page.url();
}

const registered = {};

const scenarios = {
  // The minimal embedded form, paid with the accepted test card.
  async paid(page) {
    const ref = `e2e-lyra-paid-${runID}`;
    const button = await openPage(page, `/pay/embedded?ref=${ref}`, 'Payer 2,50\u00a0€');
    const f = await cardFields(page);
    await expectVisible(page.locator('.kr-guichet-test'), 'the TEST badge');
    await shot(page, 'lyra-embedded');
    await fillCard(f, '4970100000000055', '12/30', '123');
    const shown = await f.number.inputValue();
    check(shown === '4970 1000 0000 0055', `card number shown as ${JSON.stringify(shown)}`);
    await button.click();
    const url = await landOn(page, '/paid', 'Paiement accepté');
    return { ref, url };
  },

  // 3-D Secure: the simulated issuer's challenge in the page, cancelled
  // first (a failed authentication the buyer may retry), then answered with
  // the code its TEST hint gives.
  async '3ds'(page) {
    const ref = `e2e-lyra-3ds-${runID}`;
    const button = await openPage(page, `/pay/embedded?ref=${ref}`, 'Payer 2,50\u00a0€');
    const f = await cardFields(page);
    await fillCard(f, '4970110000001003', '12/30', '123');
    await button.click();
    const dialog = page.getByRole('dialog', { name: 'Authentification 3-D Secure' });
    await expectVisible(dialog, 'the 3-D Secure dialog');
    await dialog.getByRole('button', { name: 'Annuler', exact: true }).click();
    await expectText(page.locator('.kr-form-error'), /^L'authentification 3-D Secure a échoué\. \(AUTH_199 · 05\)$/,
      'the failed authentication on the form');
    check(await dialog.count() === 0, 'the 3-D Secure dialog stayed after Annuler');

    await f.cvv.fill('123');
    await button.click();
    await expectVisible(dialog, 'the 3-D Secure dialog, again');
    await expectVisible(dialog.getByText('Your bank asks you to confirm this payment with the code it sent you.'), "the issuer's message");
    const hint = (await dialog.locator('.kr-3ds-test-hint').textContent()).trim();
    const code = /(\d{4,})/.exec(hint);
    check(code, `no code in the TEST hint ${JSON.stringify(hint)}`);
    const otp = dialog.getByLabel('Code de confirmation', { exact: true });
    await expectAttr(otp, 'autocomplete', 'one-time-code', 'challenge code');
    check(await otp.evaluate((el) => el === document.activeElement), 'the code input does not have the focus');
    await shot(page, 'lyra-3ds');
    await otp.fill(code[1]);
    await dialog.getByRole('button', { name: 'Valider', exact: true }).click();
    const url = await landOn(page, '/paid', 'Paiement accepté');
    return { ref, url };
  },

  // A mistyped number, then a refusal the buyer sees on the form (and the
  // page's KR.onError gets), then a retry with a good card.
  async retry(page) {
    const ref = `e2e-lyra-retry-${runID}`;
    const button = await openPage(page, `/pay/onerror?ref=${ref}`, 'Payer 2,50\u00a0€');
    const f = await cardFields(page);
    const error = page.locator('.kr-form-error');
    const custom = page.locator('#customerror');

    await fillCard(f, '4970100000000056', '12/30', '123');
    await button.click();
    await expectText(error, /Numéro de carte invalide\..*CLIENT_301/, 'the error of a Luhn-invalid number');
    await expectText(custom, 'CLIENT_301: Numéro de carte invalide.', "KR.onError's report of the number");
    await expectAttr(f.number, 'aria-invalid', 'true', 'card number after a Luhn-invalid number');

    await fillCard(f, '4970100000000113', '12/30', '123');
    await button.click();
    await expectText(error, /^Paiement refusé\. \(ACQ_001 · 51\)$/, 'the refusal on the form');
    await expectText(custom, 'ACQ_001: Paiement refusé.', "KR.onError's report of the refusal");
    check(new URL(page.url()).pathname === '/pay/onerror', `the refusal left the page for ${page.url()}`);
    check((await f.cvv.inputValue()) === '', 'the security code was kept after the refusal');
    await shot(page, 'lyra-refused');

    await f.number.fill('4970100000000055');
    await f.cvv.fill('123');
    await button.click();
    const url = await landOn(page, '/paid', 'Paiement accepté');
    return { ref, url };
  },

  // No attempt left after a refusal: the buyer is sent to
  // kr-post-url-refused.
  async refused(page) {
    const ref = `e2e-lyra-refused-${runID}`;
    const button = await openPage(page, `/pay/noretry?ref=${ref}`, 'Payer 2,50\u00a0€');
    const f = await cardFields(page);
    await fillCard(f, '4970100000000113', '12/30', '123');
    await button.click();
    const url = await landOn(page, '/refused', 'Paiement refusé');
    return { ref, url };
  },

  // The smart form (in English, as the example page asks) with two
  // schedules: pay-now is offered by default, hidden by KR.setFormConfig,
  // and the buyer pays in three.
  async installments(page) {
    const other = `e2e-lyra-plan-${runID}`;
    await openPage(page, `/pay/installments?ref=${other}`, 'Pay €100.00');
    const plan = page.getByLabel('Payment plan', { exact: true });
    let options = await plan.locator('option').allTextContents();
    check(JSON.stringify(options) === JSON.stringify(['Pay in full (€100.00)', 'Pay in 2 installments (first payment: €50.00)',
      'Pay in 3 installments (first payment: €50.00)']), `default choices ${JSON.stringify(options)}`);

    const ref = `e2e-lyra-installments-${runID}`;
    const button = await openPage(page, `/pay/installments?ref=${ref}&paynow=0`, 'Pay €50.00');
    options = await plan.locator('option').allTextContents();
    check(JSON.stringify(options) === JSON.stringify(['Pay in 2 installments (first payment: €50.00)',
      'Pay in 3 installments (first payment: €50.00)']), `choices without pay-now ${JSON.stringify(options)}`);
    await plan.selectOption({ label: 'Pay in 3 installments (first payment: €50.00)' });
    const schedule = await page.locator('.kr-guichet-schedule li').allTextContents();
    check(schedule.length === 3 && /€50\.00$/.test(schedule[0]) && /€25\.00$/.test(schedule[2]), `schedule ${JSON.stringify(schedule)}`);
    const f = await cardFields(page, { number: 'Card number', expiry: 'Expiry date', cvv: 'Security code' });
    await fillCard(f, '4970100000000055', '12/30', '123');
    await shot(page, 'lyra-installments');
    await button.click();
    const url = await landOn(page, '/paid', 'Paiement accepté');
    return { ref, url, other };
  },

  // ASK_REGISTER_PAY: the save-card box is unticked; the buyer ticks it.
  async register(page) {
    const ref = `e2e-lyra-register-${runID}`;
    const button = await openPage(page, `/pay/askregister?ref=${ref}`, 'Payer 2,50\u00a0€');
    const f = await cardFields(page);
    const save = page.getByLabel('Enregistrer ma carte pour mes prochains achats', { exact: true });
    await expectVisible(save, 'the save-card box');
    check(!(await save.isChecked()), 'the save-card box is ticked by default');
    await save.check();
    await fillCard(f, '4970100000000055', '12/30', '123');
    await button.click();
    const url = await landOn(page, '/paid', 'Paiement accepté');
    registered.ref = ref;
    return { ref, url };
  },

  // One-click with the card register saved: shown masked, security code
  // only.
  async oneclick(page) {
    check(registered.ref, 'oneclick needs the register scenario before it');
    const ref = `e2e-lyra-oneclick-${runID}`;
    const button = await openPage(page, `/pay/oneclick?ref=${ref}&from=${registered.ref}`, 'Payer 15,00\u00a0€');
    const f = await cardFields(page);
    check(await f.number.evaluate((el) => el.readOnly), 'the stored card number is editable');
    const pan = await f.number.inputValue();
    check(pan === '4970 10XX XXXX 0055', `stored card shown as ${JSON.stringify(pan)}`);
    check((await f.expiry.inputValue()) === '12/30', 'the stored expiry is not shown');
    await shot(page, 'lyra-oneclick');
    await f.cvv.fill('123');
    await button.click();
    const url = await landOn(page, '/paid', 'Paiement accepté');
    return { ref, url };
  },

  // A single-page application: the script loaded in SPA mode, the
  // formToken given by KR.setFormConfig, two forms added with KR.addForm,
  // the second one shown with KR.showForm.
  async spa(page) {
    const ref = `e2e-lyra-spa-${runID}`;
    const button = await openPage(page, `/pay/spa?ref=${ref}`, 'Payer 2,50\u00a0€', '#myPaymentForm');
    const shown = await page.evaluate(() => document.body.dataset.formId);
    check(shown && shown === await page.locator('#myPaymentForm .kr-embedded').getAttribute('kr-form-id'),
      `KR.addForm's formId ${JSON.stringify(shown)} is not the shown form's`);
    check(!(await page.locator('#otherPaymentForm .kr-embedded').isVisible()), 'the form not shown with KR.showForm is visible');
    const f = await cardFields(page.locator('#myPaymentForm'));
    await fillCard(f, '4970100000000055', '12/30', '123');
    await button.click();
    const url = await landOn(page, '/paid', 'Paiement accepté');
    return { ref, url };
  },

  // A page of guichet's own origin (the browser is given the merchant's
  // page at a URL of guichet): the script calls the form endpoints
  // directly, without its bridge.
  async sameorigin(page) {
    const ref = `e2e-lyra-sameorigin-${runID}`;
    const resp = await page.request.get(`${merchant}/pay/embedded?ref=${ref}&absolute=1`);
    check(resp.ok(), `the merchant's page: HTTP ${resp.status()}`);
    const html = await resp.text();
    const at = `${guichet}/e2e-shop-${runID}`;
    await page.route(at, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }));
    const bridged = [];
    page.on('request', (r) => {
      if (r.url().includes('kr-bridge.html')) bridged.push(r.url());
    });
    const button = await openPage(page, at, 'Payer 2,50\u00a0€');
    const f = await cardFields(page);
    await fillCard(f, '4970100000000055', '12/30', '123');
    await button.click();
    const url = await landOn(page, '/paid', 'Paiement accepté');
    check(bridged.length === 0, `a page of guichet's origin loaded the bridge: ${bridged.join(', ')}`);
    return { ref, url };
  },

  // KR.onSubmit returning false keeps the buyer on the page; the page
  // records the answer it got.
  async onsubmit(page) {
    const ref = `e2e-lyra-onsubmit-${runID}`;
    const button = await openPage(page, `/pay/onsubmit?ref=${ref}`, 'Payer 2,50\u00a0€');
    const f = await cardFields(page);
    await fillCard(f, '4970100000000055', '12/30', '123');
    await button.click();
    const recorded = page.locator('#onsubmit');
    await expectText(recorded, /^\{/, "the answer KR.onSubmit recorded");
    const answer = JSON.parse(await recorded.textContent());
    check(answer._type === 'V4/Charge/ProcessPaymentAnswer', `KR.onSubmit got _type ${JSON.stringify(answer._type)}`);
    check(answer.clientAnswer && answer.clientAnswer.orderStatus === 'PAID', 'KR.onSubmit got no paid clientAnswer');
    await expectText(page.locator('.kr-guichet-success'), 'Paiement accepté.', 'the form saying the payment is accepted');
    // The script decides on the redirection as soon as the callbacks have
    // returned: once a task has run after that, a redirection would have
    // left its form (with kr-answer) in the page, or the page itself.
    const left = await page.evaluate(() => new Promise((resolve) => setTimeout(() =>
      resolve(document.querySelectorAll('input[name="kr-answer"]').length), 0)));
    check(left === 0 && new URL(page.url()).pathname === '/pay/onsubmit', `KR.onSubmit returned false, yet the browser goes to the merchant (${page.url()})`);
    await shot(page, 'lyra-onsubmit');
    return { ref, url: page.url(), answer };
  },
};

await run(scenarios, wanted, { locale: 'fr-FR', pageErrors: true });
