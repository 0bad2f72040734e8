// The harness of the browser journeys: one `ipyun serve --demo` on a fresh database and one
// headless Chromium per test file, and `journey(name, run)` to declare a journey on them.

import { mkdirSync, writeFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { SCREENSHOTS, apiContext, launchBrowser, newContext, screenshot } from './browser.mjs';
import { startServer } from './server.mjs';

/** Starts the server and the browser around the file's tests; returns `journey`. */
export function journeys() {
  const JOURNEY_TIMEOUT_MS = 60_000;

  let server;
  let browser;
  let failures = 0;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  }, { timeout: 150_000 });

  after(async () => {
    await browser?.close().catch(() => {});
    if (server && failures > 0) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      writeFileSync(`${SCREENSHOTS}server.log`, server.stderr());
    }
    await server?.stop();
  });

  /**
   * A journey: `run({ open, admin })` gets `open(name, locale)` to make a fresh browser context and
   * page (closed afterwards) and `admin()` for an administrator's API context to look data up. A
   * failure keeps a screenshot of every open page (`<name>-FAILED-<n>.png`) and adds the server's
   * last log lines to the error.
   */
  function journey(name, run) {
    test(name, { timeout: JOURNEY_TIMEOUT_MS }, async (t) => {
      const contexts = [];
      const pages = [];
      let adminContext = null;
      const open = async (locale = 'zh-CN') => {
        const context = await newContext(browser, server.baseUrl, locale);
        contexts.push(context);
        const page = await context.newPage();
        pages.push(page);
        return { context, page };
      };
      const admin = async () => {
        adminContext ??= await apiContext(browser, server.baseUrl, 'admin');
        return adminContext;
      };
      try {
        await run({ t, open, admin });
      } catch (error) {
        failures += 1;
        const slug = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase().slice(0, 40);
        for (const [index, page] of pages.entries()) {
          await screenshot(page, `${slug}-FAILED-${index + 1}`).catch(() => {});
        }
        const where = pages.map((page, index) => `  page ${index + 1}: ${page.url()}`).join('\n');
        const note = `\n--- pages at the failure ---\n${where}\n--- ipyun serve, last lines ---\n${server.tail(60)}\n---`;
        if (error instanceof Error) {
          error.message += note;
          throw error;
        }
        throw new Error(`${String(error)}${note}`);
      } finally {
        for (const context of [...contexts, adminContext]) await context?.close().catch(() => {});
      }
    });
  }

  return journey;
}
