// The Payline front's web payment page in a real headless browser, as a
// merchant's buyer goes through it: the merchant's page, whose server
// opens the session with doWebPayment, the choice of a card brand, the
// card form (with a typing mistake first), the simulated 3-D Secure
// challenge, the ticket and its link back to the shop; the Payconiq
// simulator, paid and aborted.
//
//   node e2e/payline_webpayment.mjs <merchantURL> [card|payconiq|abort ...]
//
// <merchantURL> is the merchant server that
// cmd/guichet/browser_payline_test.go starts: /shop?contract=&ref= serves
// an order page with a "Pay" button, whose server sends the buyer to the
// session's redirectURL; /return and /cancel are its returnURL and
// cancelURL, which echo their query string in #result. Without scenario
// names every scenario runs.
//
// The browser is Debian's chromium (never a downloaded one). The script
// prints one "RESULT {json}" line (each scenario's order reference, the
// session's token and the URL the browser landed on), and exits 1 with the
// reason on the first failed check. Screenshots go to
// $GUICHET_E2E_SCREENSHOTS, or to a new directory under the system's
// temporary directory, and their paths are printed.

import { CheckError, TIMEOUT, accessible, cardFields, check, expectAttr, expectVisible, fillCard, run, runID, shot } from './harness.mjs';

const [merchantArg, ...wanted] = process.argv.slice(2);
if (!merchantArg) {
  console.error('usage: node payline_webpayment.mjs <merchantURL> [card|payconiq|abort ...]');
  process.exit(2);
}
const merchant = merchantArg.replace(/\/+$/, '');

// What the pages show of the order (LanguageCode "en").
const MERCHANT = 'Enseigne Mon compte';
const AMOUNT = '€10.00';

// expectPage waits for a page by its h1 and checks what every page of a TEST
// shop's session shows: the ***TEST*** banner and title, the order.
async function expectPage(page, heading, what) {
  await expectVisible(page.getByRole('heading', { level: 1, name: heading, exact: true }), `${what} ("${heading}")`);
  await expectVisible(page.locator('.test-banner').getByText('***TEST***', { exact: true }), `the ***TEST*** banner on ${what}`);
  const title = await page.title();
  check(title.startsWith('***TEST*** '), `${what}: title ${JSON.stringify(title)} lacks ***TEST***`);
  await accessible(page, what, 'en');
}

// expectOrder checks the order summary of a page.
async function expectOrder(page, ref, what) {
  const summary = page.getByRole('region', { name: 'Your order', exact: true });
  await expectVisible(summary, `the order summary on ${what}`);
  const text = (await summary.textContent()).replace(/\s+/g, ' ');
  for (const want of [MERCHANT, AMOUNT, ref]) {
    check(text.includes(want), `${what}: the order summary ${JSON.stringify(text)} lacks ${JSON.stringify(want)}`);
  }
}

// openShop opens the merchant's page and clicks its "Pay" button, whose
// server sends the browser to the session's page; it returns the
// session's token and its page's URL (the redirectURL).
async function openShop(page, contract, ref) {
  await page.goto(`${merchant}/shop?contract=${encodeURIComponent(contract)}&ref=${encodeURIComponent(ref)}`);
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  try {
    await page.waitForURL((u) => u.pathname === '/webpayment/v2/', { timeout: TIMEOUT });
  } catch {
    throw new CheckError(`expected the payment page, at ${page.url()}`);
  }
  const token = new URL(page.url()).searchParams.get('token');
  check(token, `no token in the payment page's URL ${page.url()}`);
  return { token, pageURL: page.url() };
}

// backToShop checks the ticket page and follows its "Back to the shop"
// link to the merchant's returnURL with the token.
async function backToShop(page, token, ref, screenshot, partner = false) {
  await expectPage(page, 'Payment accepted', 'the ticket page');
  await expectVisible(page.getByText(/^Your payment was accepted\./), 'the accepted message');
  await expectOrder(page, ref, 'the ticket page');
  if (screenshot) await shot(page, screenshot);
  const link = page.getByRole('link', { name: 'Back to the shop', exact: true });
  await expectVisible(link, 'a "Back to the shop" link on the ticket');
  const href = await link.getAttribute('href');
  // After a partner's page the token comes as paylinetoken too.
  let want = `${merchant}/return?shop=1&token=${encodeURIComponent(token)}`;
  if (partner) want += `&paylinetoken=${encodeURIComponent(token)}`;
  check(href === want, `the ticket's link goes to ${JSON.stringify(href)}, want ${JSON.stringify(want)}`);
  await link.click();
  try {
    await page.waitForURL((u) => u.pathname === '/return', { timeout: TIMEOUT });
  } catch {
    throw new CheckError(`expected to land on the returnURL, at ${page.url()}`);
  }
  await expectVisible(page.getByRole('heading', { level: 1, name: 'Back from the payment', exact: true }), "the merchant's return page");
  const result = await page.locator('#result').textContent();
  check(result.includes(`token=${token}`), `/return: #result ${JSON.stringify(result)} lacks the token`);
  return page.url();
}

const scenarios = {
  // The card contract: a brand chosen among CB, Visa and Mastercard, a
  // Luhn-invalid number first, then the test card through the 3-D Secure
  // challenge (the demo merchant has it on), the ticket and the shop.
  async card(page) {
    const ref = `e2e-payline-card-${runID}`;
    const { token, pageURL } = await openShop(page, '1234567', ref);

    await expectPage(page, 'Choose your payment method', 'the choice page');
    await expectOrder(page, ref, 'the choice page');
    const methods = page.locator('button[name="method"]');
    const values = await methods.evaluateAll((bs) => bs.map((b) => b.value));
    check(JSON.stringify(values) === JSON.stringify(['1234567:CB', '1234567:VISA', '1234567:MASTERCARD']),
      `choice page: method buttons ${JSON.stringify(values)}`);
    for (const name of ['CB', 'Visa', 'Mastercard']) {
      await expectVisible(page.getByRole('button', { name, exact: true }), `a "${name}" button on the choice page`);
    }
    await expectVisible(page.getByRole('group', { name: 'Accepted payment methods' }), 'the methods grouped under their legend');
    await expectVisible(page.getByRole('button', { name: 'Cancel payment', exact: true }), 'a cancel button on the choice page');
    await shot(page, 'payline-choice');
    await page.getByRole('button', { name: 'Visa', exact: true }).click();

    await expectPage(page, 'Enter your card details', 'the card page');
    await expectVisible(page.getByText('Card: Visa', { exact: true }), 'the chosen brand on the card page');
    let f = await cardFields(page, 'en');
    const pay = (await page.getByRole('button', { name: /^Pay\b/ }).textContent()).trim();
    check(pay === `Pay ${AMOUNT}`, `pay button ${JSON.stringify(pay)}, want "Pay ${AMOUNT}"`);
    await shot(page, 'payline-card');

    await fillCard(f, '4970 1011 2233 4456', '12/30', '123', 'John Doe');
    await expectPage(page, 'Enter your card details', 'the card page after a Luhn-invalid number');
    f = await cardFields(page, 'en');
    await expectVisible(page.locator('#number-error'), 'an error next to the card number after a Luhn-invalid number');
    const err = (await page.locator('#number-error').textContent()).trim();
    check(err === 'Invalid card number.', `number error ${JSON.stringify(err)}`);
    await expectAttr(f.number, 'aria-invalid', 'true', 'card number after a Luhn-invalid number');
    const describedBy = (await f.number.getAttribute('aria-describedby')) || '';
    check(describedBy.split(/\s+/).includes('number-error'), `card number aria-describedby ${JSON.stringify(describedBy)} lacks number-error`);
    // The layout puts the ***TEST*** prefix before the error's.
    check((await page.title()).startsWith('***TEST*** Error: '), `the title ${JSON.stringify(await page.title())} does not announce the error`);
    await expectVisible(page.getByRole('alert').getByRole('link', { name: 'Invalid card number.' }), 'the error summary linking to the number');
    check((await f.number.inputValue()) === '', 'the mistyped card number was written back into the page');
    check((await f.cvv.inputValue()) === '', 'the security code was written back into the page');
    const expiry = await f.expiry.inputValue();
    check(expiry === '12/30', `the expiry after an error is ${JSON.stringify(expiry)}, want "12/30" typed again by the page`);
    await shot(page, 'payline-card-error');

    await fillCard(f, '4970101122334455', '12/30', '123');
    await expectPage(page, 'Your bank asks you to confirm this payment', 'the 3-D Secure challenge page');
    const otp = page.getByLabel('Confirmation code', { exact: true });
    await expectVisible(otp, 'a "Confirmation code" input');
    await expectAttr(otp, 'autocomplete', 'one-time-code', 'challenge code');
    await expectVisible(page.getByText('Test environment: the code is 1234.'), "the challenge's TEST hint");
    await shot(page, 'payline-challenge');
    await otp.fill('1234');
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();

    const url = await backToShop(page, token, ref, 'payline-ticket');

    // The page of a paid session takes no second payment.
    await page.goto(pageURL);
    await expectPage(page, 'Payment session ended', 'the paid session page');
    check(await page.getByLabel('Card number', { exact: true }).count() === 0, "a paid session's page offers the card form");
    check(await page.locator('button[name="method"]').count() === 0, "a paid session's page offers a choice of methods");
    return { ref, token, url };
  },

  // The Payconiq contract alone: the page is the Payconiq simulator, with
  // the ticket's label; the buyer makes the payment.
  async payconiq(page) {
    const ref = `e2e-payline-payconiq-${runID}`;
    const { token } = await openShop(page, 'PAYCONIQFP', ref);
    await payconiqPage(page, ref);
    await shot(page, 'payline-payconiq');
    await page.getByRole('button', { name: 'MAKE A PAYMENT', exact: true }).click();
    const url = await backToShop(page, token, ref, 'payline-payconiq-ticket', true);
    return { ref, token, url };
  },

  // The buyer aborts in the Payconiq simulator: straight to the
  // cancelURL, with the token.
  async abort(page) {
    const ref = `e2e-payline-abort-${runID}`;
    const { token, pageURL } = await openShop(page, 'PAYCONIQFP', ref);
    await payconiqPage(page, ref);
    await page.getByRole('button', { name: 'ABORT', exact: true }).click();
    try {
      await page.waitForURL((u) => u.pathname === '/cancel', { timeout: TIMEOUT });
    } catch {
      throw new CheckError(`expected to land on the cancelURL, at ${page.url()}`);
    }
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Payment cancelled', exact: true }), "the merchant's cancel page");
    const landed = new URL(page.url());
    check(landed.searchParams.get('token') === token, `the cancelURL ${page.url()} lacks token=${token}`);
    const url = page.url();

    // The aborted session takes no payment afterwards.
    await page.goto(pageURL);
    await expectPage(page, 'Payment session ended', 'the aborted session page');
    check(await page.getByRole('button', { name: 'MAKE A PAYMENT', exact: true }).count() === 0,
      "an aborted session's page offers the Payconiq simulator");
    return { ref, token, url };
  },
};

// payconiqPage checks the Payconiq simulator.
async function payconiqPage(page, ref) {
  await expectPage(page, 'Payconiq simulator', 'the Payconiq simulator');
  await expectOrder(page, ref, 'the Payconiq simulator');
  const label = page.locator('.option');
  await expectVisible(label, "the ticket's label");
  const text = (await label.textContent()).replace(/\s+/g, ' ').trim();
  check(text === 'Ticket label: Monext Demo', `the ticket's label reads ${JSON.stringify(text)}, want "Ticket label: Monext Demo"`);
  for (const [name, outcome] of [['MAKE A PAYMENT', 'pay'], ['ABORT', 'abort']]) {
    const button = page.getByRole('button', { name, exact: true });
    await expectVisible(button, `a "${name}" button in the simulator`);
    await expectAttr(button, 'value', outcome, `the "${name}" button`);
  }
  check(await page.getByLabel('Card number', { exact: true }).count() === 0, 'the Payconiq simulator asks for a card');
}

await run(scenarios, wanted, { locale: 'en-GB', pageErrors: true });
