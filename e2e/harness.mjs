// What every browser scenario script shares: the checks that fail a
// scenario with what was expected, screenshots, and the runner that
// launches Debian's chromium (never a downloaded one), runs the scenarios
// asked for, prints one "RESULT {json}" line and exits 1 on the first
// failed check.

import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.GUICHET_E2E_CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// TIMEOUT bounds each action or wait.
export const TIMEOUT = 15_000;

// runID tells this run's references from earlier runs'.
export const runID = Date.now().toString(36);

export class CheckError extends Error {}

export function check(cond, message) {
  if (!cond) throw new CheckError(message);
}

// expectVisible waits for a locator and fails with what was expected.
export async function expectVisible(locator, what) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout: TIMEOUT });
  } catch {
    throw new CheckError(`expected ${what}`);
  }
}

export async function expectAttr(locator, name, want, what) {
  const got = await locator.getAttribute(name);
  check(got === want, `${what}: ${name}=${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
}

// accessible checks what every page of a payment page owes assistive
// technologies: the page's language (lang), one h1, a label for every
// visible input, a name for every button and link, no duplicate id, no
// positive tabindex, a main landmark.
export async function accessible(page, what, lang) {
  const problems = await page.evaluate((lang) => {
    const out = [];
    const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
    const name = (el) => (el.getAttribute('aria-label') || el.textContent || '').trim();
    if (document.documentElement.lang !== lang) out.push(`html lang=${JSON.stringify(document.documentElement.lang)}, want "${lang}"`);
    const h1 = document.querySelectorAll('h1').length;
    if (h1 !== 1) out.push(`${h1} h1 elements`);
    if (!document.querySelector('main')) out.push('no main landmark');
    for (const el of document.querySelectorAll('input:not([type="hidden"]), select, textarea')) {
      if (visible(el) && el.labels.length === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby')) {
        out.push(`input ${el.name || el.id} has no label`);
      }
    }
    for (const el of document.querySelectorAll('button, a[href]')) {
      if (visible(el) && !name(el)) out.push(`${el.tagName.toLowerCase()} ${el.outerHTML.slice(0, 80)} has no name`);
    }
    const ids = new Map();
    for (const el of document.querySelectorAll('[id]')) ids.set(el.id, (ids.get(el.id) || 0) + 1);
    for (const [id, n] of ids) if (n > 1) out.push(`id ${id} used ${n} times`);
    for (const el of document.querySelectorAll('[tabindex]')) {
      if (el.tabIndex > 0) out.push(`tabindex=${el.tabIndex} on ${el.tagName.toLowerCase()}`);
    }
    return out;
  }, lang);
  check(problems.length === 0, `${what}: ${problems.join('; ')}`);
}

// The words of guichet's card page (internal/checkout) in the languages
// it speaks.
const CARD_PAGE = {
  en: { number: 'Card number', expiry: 'Expiry date', cvv: 'Security code', holder: /^Cardholder name/,
    placeholder: 'MM/YY', pay: /^Pay\b/ },
  fr: { number: 'Numéro de carte', expiry: "Date d'expiration", cvv: 'Cryptogramme visuel', holder: /^Nom du titulaire/,
    placeholder: 'MM/AA', pay: /^Payer\b/ },
};

// cardFields finds the inputs and the button of guichet's card page by
// their labels in lang, and checks what lets a browser or a password
// manager fill them.
export async function cardFields(page, lang) {
  const words = CARD_PAGE[lang];
  const f = {
    number: page.getByLabel(words.number, { exact: true }),
    expiry: page.getByLabel(words.expiry, { exact: true }),
    cvv: page.getByLabel(words.cvv, { exact: true }),
    holder: page.getByLabel(words.holder),
    pay: page.getByRole('button', { name: words.pay }),
  };
  await expectVisible(f.number, `a "${words.number}" input on the card page`);
  await expectAttr(f.number, 'autocomplete', 'cc-number', 'card number');
  await expectAttr(f.expiry, 'autocomplete', 'cc-exp', 'expiry');
  await expectAttr(f.expiry, 'placeholder', words.placeholder, 'expiry');
  await expectAttr(f.cvv, 'autocomplete', 'cc-csc', 'security code');
  await expectAttr(f.holder, 'autocomplete', 'cc-name', 'cardholder');
  for (const k of ['number', 'expiry', 'cvv']) {
    check(await f[k].evaluate((el) => el.required), `the ${k} input is not required`);
  }
  return f;
}

// fillCard types a card into the fields cardFields found, the holder's
// name where one is given, and pays.
export async function fillCard(f, number, expiry, cvv, holder) {
  await f.number.fill(number);
  await f.expiry.fill(expiry);
  await f.cvv.fill(cvv);
  if (holder !== undefined) await f.holder.fill(holder);
  await f.pay.click();
}

// Screenshots go to $GUICHET_E2E_SCREENSHOTS, or to a new directory under
// the system's temporary directory; their paths are printed.
let shotDir = process.env.GUICHET_E2E_SCREENSHOTS;

export async function shot(page, name) {
  if (!shotDir) shotDir = mkdtempSync(join(tmpdir(), 'guichet-e2e-'));
  mkdirSync(shotDir, { recursive: true });
  const path = join(shotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot ${name}: ${path}`);
  return path;
}

// run runs the scenarios named in wanted (all without names), each in a
// fresh browser context of the locale, and exits. With pageErrors, a
// script error or a console error in the page fails the scenario, but
// for resources the merchant's test server lacks (its favicon).
export async function run(scenarios, wanted, { locale, pageErrors: watch = false }) {
  const names = wanted.length ? wanted : Object.keys(scenarios);
  for (const n of names) {
    if (!scenarios[n]) {
      console.error(`unknown scenario ${JSON.stringify(n)}; known: ${Object.keys(scenarios).join(', ')}`);
      process.exit(2);
    }
  }
  const t0 = Date.now();
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 30_000 });
  console.log(`chromium ${browser.version()} launched in ${Date.now() - t0} ms`);
  const results = {};
  let failed = false;
  try {
    for (const n of names) {
      const context = await browser.newContext({ locale, viewport: { width: 1024, height: 768 } });
      const page = await context.newPage();
      page.setDefaultTimeout(TIMEOUT);
      page.setDefaultNavigationTimeout(TIMEOUT);
      const pageErrors = [];
      if (watch) {
        page.on('pageerror', (e) => pageErrors.push(String(e)));
        page.on('console', (m) => {
          if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(m.text());
        });
      }
      const s0 = Date.now();
      try {
        results[n] = await scenarios[n](page);
        check(pageErrors.length === 0, `errors in the page: ${pageErrors.join('; ')}`);
        console.log(`ok   ${n} (${Date.now() - s0} ms) -> ${results[n].url}`);
      } catch (e) {
        failed = true;
        console.error(`FAIL ${n} (${Date.now() - s0} ms): ${e instanceof CheckError ? e.message : e.stack || e}`);
        console.error(`     at ${page.url()}`);
        if (pageErrors.length) console.error(`     page errors: ${pageErrors.join('; ')}`);
        await shot(page, `failed-${n}`).catch(() => {});
        break;
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
  console.log('RESULT ' + JSON.stringify(results));
  console.log(`total ${Date.now() - t0} ms`);
  process.exit(failed ? 1 : 0);
}
