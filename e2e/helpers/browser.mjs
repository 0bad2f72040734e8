// Headless Chromium from the system (never a downloaded browser), contexts per user, sign-in,
// table reading and screenshots.

import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { clean } from './texts.mjs';

export const CHROMIUM = process.env.IPYUN_CHROMIUM ?? '/usr/bin/chromium';
export const PASSWORD = 'ipyun-demo';
export const SCREENSHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));

export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A fresh browser context (own cookies) on the server. `locale` sets Accept-Language:
 * `zh-CN` for the platform's users; another language to see the default.
 */
export async function newContext(browser, baseUrl, locale = 'zh-CN') {
  const context = await browser.newContext({
    baseURL: baseUrl,
    locale,
    viewport: { width: 1280, height: 900 },
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(30_000);
  return context;
}

/** Saves a full-page screenshot as `screenshots/<name>.png`. */
export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}

/** Fills and submits the sign-in form on the current page (/login); resolves on the next page. */
export async function submitLogin(page, username, password = PASSWORD) {
  const form = page.locator('form[action="/login"]');
  await form.locator('input[name="username"]').fill(username);
  await form.locator('input[name="password"]').fill(password);
  await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), form.locator('button[type="submit"]').click()]);
}

/** Opens /login and signs in; resolves on the landing page. */
export async function signIn(page, username, password = PASSWORD) {
  await page.goto('/login');
  await submitLogin(page, username, password);
}

/** A context signed in through the JSON API (`POST /api/v1/session`), for looking data up. */
export async function apiContext(browser, baseUrl, username, password = PASSWORD) {
  const context = await newContext(browser, baseUrl);
  const response = await context.request.post('/api/v1/session', { data: { username, password } });
  if (response.status() !== 200) {
    throw new Error(`POST /api/v1/session as ${username} answered ${response.status()}: ${(await response.text()).slice(0, 300)}`);
  }
  return context;
}

/** Index of the column whose header reads `header` in `table`. */
export async function columnIndex(table, header) {
  const headers = (await table.locator('thead th').allTextContents()).map(clean);
  const index = headers.indexOf(header);
  if (index < 0) throw new Error(`no column '${header}' in the table; its columns are ${JSON.stringify(headers)}`);
  return index;
}

/**
 * The data rows of a list table (`table.data` in `main`), each as its cell texts plus the first
 * link's href and the legal-status badge's class if there is one. The "no records" row is left out.
 */
export async function tableRows(page, table = page.locator('main table.data').first()) {
  return table.locator('tbody tr').evaluateAll((rows) =>
    rows
      .filter((row) => !row.querySelector('td.empty'))
      .map((row) => ({
        cells: [...row.querySelectorAll('td')].map((cell) => cell.textContent.replace(/[\u2068\u2069]/g, '').replace(/\s+/g, ' ').trim()),
        href: row.querySelector('a[href]')?.getAttribute('href') ?? null,
        badges: [...row.querySelectorAll('.badge')].map((badge) => ({
          text: badge.textContent.replace(/[\u2068\u2069]/g, '').trim(),
          className: badge.className,
        })),
      })),
  );
}

/** Reads the JSON of a GET through a context's request API (its cookies: the session). */
export async function getJson(context, path, expectedStatus = 200) {
  const response = await context.request.get(path, { headers: { accept: 'application/json' } });
  const body = await response.text();
  if (response.status() !== expectedStatus) {
    throw new Error(`GET ${path} answered ${response.status()}, expected ${expectedStatus}: ${body.slice(0, 500)}`);
  }
  return body ? JSON.parse(body) : null;
}

/**
 * Sends JSON through a context's request API as its signed-in user: the session's CSRF token
 * (from `GET /api/v1/me`) echoed in `X-CSRF-Token`, as the API asks of cookie sessions.
 */
export async function sendJson(context, method, path, data, expectedStatus = 200) {
  const me = await getJson(context, '/api/v1/me');
  const response = await context.request.fetch(path, {
    method,
    data,
    headers: { accept: 'application/json', 'x-csrf-token': me.csrf_token ?? '' },
  });
  const body = await response.text();
  if (response.status() !== expectedStatus) {
    throw new Error(`${method} ${path} answered ${response.status()}, expected ${expectedStatus}: ${body.slice(0, 500)}`);
  }
  return body ? JSON.parse(body) : null;
}
