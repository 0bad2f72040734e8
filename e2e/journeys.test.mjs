// Browser journeys through ipyun's pages, as its users take them: headless Chromium (the
// system's) against `ipyun serve --demo` on a fresh database. Run from e2e/:
//   IPYUN_BIN=../target/debug/ipyun node --test --test-concurrency=1 journeys.test.mjs
// Each step leaves a full-page screenshot in e2e/screenshots/. The journeys run in order on one
// server: the import (journey 5) adds rights, so the journeys after it never count the register.

import assert from 'node:assert/strict';
import { columnIndex, getJson, screenshot, signIn, submitLogin, tableRows } from './helpers/browser.mjs';
import { applicationNo, withWrongCheckDigit } from './helpers/ids.mjs';
import { journeys } from './helpers/journey.mjs';
import { clean, en, firstNumber, percentOfBp, yuan, zh } from './helpers/texts.mjs';

const journey = journeys();

/** Path and query of a page's address, e.g. `/login?next=%2Frights`. */
function here(page) {
  const url = new URL(page.url());
  return `${url.pathname}${url.search}`;
}

/** `<html lang>` of the page. */
function htmlLang(page) {
  return page.locator('html').getAttribute('lang');
}

/** The status of the first response of a redirect chain that ended in `response`. */
async function firstStatus(response) {
  let request = response.request();
  while (request.redirectedFrom()) request = request.redirectedFrom();
  return (await request.response())?.status();
}

/** The list total the pager shows (`共 3301 条` / `3301 records`). */
async function pagerTotal(page) {
  return firstNumber(await page.locator('nav.pager .pager-total').textContent());
}

/** `<select name>`'s non-empty options as `{ value, label }`. */
async function options(page, name) {
  const all = await page.locator(`form.filters select[name="${name}"] option`).evaluateAll((nodes) =>
    nodes.map((node) => ({ value: node.value, label: node.textContent.trim() })),
  );
  return all.filter((option) => option.value !== '');
}

/** A `section.panel` whose heading reads `heading`. */
function panel(page, heading) {
  return page.locator('section.panel').filter({ has: page.locator('h2', { hasText: heading }) });
}

/** Submits the rights or parties filter form and waits for the filtered page. */
async function applyFilters(page) {
  await Promise.all([page.waitForURL((url) => url.search.length > 1), page.locator('form.filters button[type="submit"]').click()]);
}

// ---------------------------------------------------------------------------------------------

journey('1. anonymous visitors are sent to sign in, in Chinese by default, in English by choice', async ({ open }) => {
  // A browser asking for a language the platform does not offer gets the default: Chinese.
  const { context, page } = await open('de-DE');

  const response = await page.goto('/rights');
  assert.equal(await firstStatus(response), 303, 'GET /rights without a session should answer 303 See Other');
  assert.equal(here(page), '/login?next=%2Frights', 'an anonymous /rights should land on /login?next=%2Frights');
  assert.equal(response.status(), 200, 'the sign-in page should answer 200');
  assert.equal(await htmlLang(page), 'zh-CN', 'the sign-in page should be Chinese by default (<html lang="zh-CN">)');
  assert.equal(clean(await page.locator('main h1').textContent()), zh('login-title'), 'the sign-in heading in Chinese');
  assert.equal(clean(await page.locator('label[for="username"]').textContent()), zh('login-username'), 'the user-name label in Chinese');
  assert.equal(clean(await page.locator('label[for="password"]').textContent()), zh('login-password'), 'the password label in Chinese');
  assert.equal(clean(await page.locator('form[action="/login"] button[type="submit"]').textContent()), zh('login-submit'), 'the sign-in button in Chinese');
  assert.equal(await page.locator('input[name="next"]').inputValue(), '/rights', 'the form should carry next=/rights');
  await screenshot(page, '1-1-login-zh-default');

  await page.goto('/login?next=%2Frights&lang=en');
  assert.equal(await htmlLang(page), 'en', '?lang=en should render the sign-in page in English');
  assert.equal(clean(await page.locator('main h1').textContent()), en('login-title'), 'the sign-in heading in English');
  assert.equal(clean(await page.locator('label[for="username"]').textContent()), en('login-username'), 'the user-name label in English');
  assert.equal(clean(await page.locator('form[action="/login"] button[type="submit"]').textContent()), en('login-submit'), 'the sign-in button in English');
  const langCookie = (await context.cookies()).find((cookie) => cookie.name === 'ipyun_lang');
  assert.equal(langCookie?.value, 'en', '?lang=en should set the ipyun_lang cookie to en');
  await screenshot(page, '1-2-login-en');

  // The choice sticks: the next page load without ?lang= is still English.
  await page.goto('/rights');
  assert.equal(here(page), '/login?next=%2Frights', 'still redirected to sign in');
  assert.equal(await htmlLang(page), 'en', 'the language chosen before should stick through the ipyun_lang cookie');
  assert.equal(clean(await page.locator('label[for="password"]').textContent()), en('login-password'), 'the password label still in English');
  await screenshot(page, '1-3-login-en-sticky');

  // The switch back to Chinese keeps the page's address (next=/rights).
  await Promise.all([page.waitForURL(/lang=zh-CN/), page.locator('a[hreflang="zh-CN"]').click()]);
  assert.equal(await htmlLang(page), 'zh-CN', 'the 中文 link should switch back to Chinese');
  assert.equal(await page.locator('input[name="next"]').inputValue(), '/rights', 'switching language should keep next=/rights');
  const back = (await context.cookies()).find((cookie) => cookie.name === 'ipyun_lang');
  assert.equal(back?.value, 'zh-CN', 'switching back should set ipyun_lang=zh-CN');
  await screenshot(page, '1-4-login-back-to-zh');
});

journey('2. an administrator browses, filters and pages the rights, opens one, and signs out', async ({ open }) => {
  const { context, page } = await open();

  await page.goto('/rights');
  assert.equal(here(page), '/login?next=%2Frights', 'an anonymous /rights should ask to sign in first');
  await submitLogin(page, 'admin');
  assert.equal(here(page), '/rights', 'signing in should go on to next=/rights');
  assert.equal(await htmlLang(page), 'zh-CN', 'the registry should be in Chinese for a zh-CN browser');
  const everything = await getJson(context, '/api/v1/rights');
  assert.ok(everything.total >= 1000, `the demo registry should hold thousands of rights (3,301), the API says ${everything.total}`);
  assert.equal(await pagerTotal(page), everything.total, 'the page total should equal GET /api/v1/rights total');

  const table = page.locator('main table.data');
  const kindColumn = await columnIndex(table, zh('right-kind'));
  const statusColumn = await columnIndex(table, zh('right-legal-status'));
  const numberColumn = await columnIndex(table, zh('right-number'));
  const kinds = await options(page, 'kind');
  const statuses = await options(page, 'legal_status');
  for (const { value, label } of kinds) assert.equal(label, zh(`right-kind-${value}`), `kind option ${value} should read in Chinese`);
  for (const { value, label } of statuses) assert.equal(label, zh(`legal-status-${value}`), `legal-status option ${value} should read in Chinese`);
  const kindNames = new Set(kinds.map(({ label }) => label));

  /** Checks every row's kind name and status badge; `kind`/`status` pin them when given. */
  const checkRows = (rows, what, kind = null, status = null) => {
    assert.ok(rows.length > 0, `${what}: the list should show rows`);
    for (const row of rows) {
      const number = row.cells[numberColumn];
      assert.ok(kindNames.has(row.cells[kindColumn]), `${what}: right ${number} should show a Chinese kind name, shows '${row.cells[kindColumn]}'`);
      const badge = row.badges[0];
      assert.ok(badge, `${what}: right ${number} should show a legal-status badge`);
      const value = /status-([a-z_]+)/.exec(badge.className)?.[1];
      assert.ok(value, `${what}: right ${number}'s badge should carry a status-* class, has '${badge.className}'`);
      assert.equal(badge.text, zh(`legal-status-${value}`), `${what}: right ${number}'s badge should name status ${value} in Chinese`);
      if (kind) assert.equal(row.cells[kindColumn], zh(`right-kind-${kind}`), `${what}: right ${number} should be of kind ${kind}`);
      if (status) assert.equal(value, status, `${what}: right ${number} should have legal status ${status}`);
    }
  };
  const firstRows = await tableRows(page);
  checkRows(firstRows, 'unfiltered list');
  assert.equal(firstRows.length, Math.min(everything.per_page, everything.total), `the first page should show ${everything.per_page} rows`);
  await screenshot(page, '2-1-rights-admin');

  // Filter: inventions in force.
  await page.locator('form.filters select[name="kind"]').selectOption('invention');
  await page.locator('form.filters select[name="legal_status"]').selectOption('in_force');
  await applyFilters(page);
  const filtered = new URL(page.url()).searchParams;
  assert.equal(filtered.get('kind'), 'invention', 'the filter form should send kind=invention');
  assert.equal(filtered.get('legal_status'), 'in_force', 'the filter form should send legal_status=in_force');
  const expected = await getJson(context, '/api/v1/rights?kind=invention&legal_status=in_force');
  const filteredTotal = await pagerTotal(page);
  assert.equal(filteredTotal, expected.total, 'the filtered total should equal the API total for the same filter');
  assert.ok(filteredTotal < everything.total, `filtering should narrow the list (${filteredTotal} of ${everything.total})`);
  assert.ok(filteredTotal > expected.per_page, `the demo should have more than one page of inventions in force (has ${filteredTotal})`);
  const page1 = await tableRows(page);
  checkRows(page1, 'inventions in force, page 1', 'invention', 'in_force');
  assert.deepEqual(page1.map((row) => row.cells[numberColumn]), expected.items.map((right) => right.number), 'page 1 should list the API page 1 in order');
  assert.equal(await page.locator('form.filters select[name="kind"]').inputValue(), 'invention', 'the kind filter should stay selected');
  await screenshot(page, '2-2-rights-filtered');

  // Page 2 keeps the filters, then back to page 1.
  await Promise.all([page.waitForURL(/[?&]page=2/), page.locator('nav.pager a[rel="next"]').click()]);
  const second = new URL(page.url()).searchParams;
  assert.equal(second.get('kind'), 'invention', 'page 2 should keep kind=invention');
  assert.equal(second.get('legal_status'), 'in_force', 'page 2 should keep legal_status=in_force');
  assert.match(clean(await page.locator('nav.pager .pager-pos').textContent()), /2/, 'the pager should say page 2');
  const page2 = await tableRows(page);
  checkRows(page2, 'inventions in force, page 2', 'invention', 'in_force');
  const expected2 = await getJson(context, '/api/v1/rights?kind=invention&legal_status=in_force&page=2');
  assert.deepEqual(page2.map((row) => row.cells[numberColumn]), expected2.items.map((right) => right.number), 'page 2 should list the API page 2 in order');
  const onPage1 = new Set(page1.map((row) => row.cells[numberColumn]));
  assert.ok(page2.every((row) => !onPage1.has(row.cells[numberColumn])), 'page 2 should not repeat rights of page 1');
  await screenshot(page, '2-3-rights-page-2');

  await Promise.all([page.waitForURL(/[?&]page=1/), page.locator('nav.pager a[rel="prev"]').click()]);
  const again = await tableRows(page);
  assert.deepEqual(again.map((row) => row.cells[numberColumn]), page1.map((row) => row.cells[numberColumn]), 'back on page 1, the same rights as before');
  assert.equal(new URL(page.url()).searchParams.get('kind'), 'invention', 'page 1 should still be filtered');

  // A right's detail page: record, holders, status history.
  const chosen = page1[0];
  const number = chosen.cells[numberColumn];
  await Promise.all([page.waitForURL((url) => url.pathname.startsWith('/rights/')), table.locator('tbody tr').first().locator('a[href^="/rights/"]').click()]);
  assert.equal(decodeURIComponent(new URL(page.url()).pathname), `/rights/${number}`, 'the row link should open the right by its number');
  const right = await getJson(context, `/api/v1/rights/${encodeURIComponent(number)}`);
  const history = await getJson(context, `/api/v1/rights/${encodeURIComponent(number)}/status-events`);
  assert.equal(clean(await page.locator('main h1').textContent()), right.title, 'the detail heading should be the title');
  const holders = panel(page, zh('right-holders'));
  const holderNames = (await holders.locator('tbody tr td:first-child').allTextContents()).map(clean);
  assert.ok(holderNames.length > 0, 'the detail page should list holders');
  assert.deepEqual(holderNames, right.holders.map((holder) => holder.name), 'the holders should be the API holders');
  const events = await tableRows(page, panel(page, zh('right-history')).locator('table'));
  assert.ok(history.length > 0, `right ${number} should have a legal-status history in the demo`);
  assert.equal(events.length, history.length, 'the status history should show every event of the API');
  assert.equal(events[0].badges[0]?.text, zh(`legal-status-${history[0].status}`), 'the first event should name its status in Chinese');
  await screenshot(page, '2-4-right-detail');

  // Sign out: back to the sign-in page; the registry asks to sign in again.
  await Promise.all([page.waitForURL((url) => url.pathname === '/login'), page.locator('form.signout button[type="submit"]').click()]);
  assert.equal(here(page), '/login', 'signing out should land on /login');
  await screenshot(page, '2-5-signed-out');
  await page.goto('/rights');
  assert.equal(here(page), '/login?next=%2Frights', 'after signing out, /rights should redirect to sign in again');
  await getJson(context, '/api/v1/me', 401);
});

journey('3. an enterprise user sees only its own enterprise\'s rights; another\'s is a 404', async ({ open, admin }) => {
  const { context, page } = await open();
  await signIn(page, 'ent-001');
  assert.equal(here(page), '/rights', 'ent-001 should land on /rights');

  const me = await getJson(context, '/api/v1/me');
  assert.equal(me.username, 'ent-001');
  assert.ok(Number.isInteger(me.party_id), `ent-001 should belong to an enterprise, /api/v1/me says party_id=${me.party_id}`);
  const mine = await getJson(context, '/api/v1/rights?per_page=100');
  const all = await getJson(await admin(), '/api/v1/rights?per_page=100');
  const shown = await pagerTotal(page);
  assert.equal(shown, mine.total, `the page total (${shown}) should equal ent-001's API total (${mine.total})`);
  assert.ok(mine.total > 0, 'ent-001\'s enterprise should hold some rights in the demo');
  assert.ok(mine.total * 10 < all.total, `ent-001 should see far fewer rights (${mine.total}) than the whole registry (${all.total})`);
  for (const right of mine.items) {
    assert.ok(
      right.holders.some((holder) => holder.party_id === me.party_id),
      `ent-001 may see only rights its enterprise (#${me.party_id}) holds; ${right.number} is held by ${JSON.stringify(right.holders)}`,
    );
  }
  const table = page.locator('main table.data');
  const numberColumn = await columnIndex(table, zh('right-number'));
  const rows = await tableRows(page);
  const allowed = new Set(mine.items.map((right) => right.number));
  assert.ok(rows.length > 0, 'the list should show ent-001\'s rights');
  if (mine.total <= 100) {
    for (const row of rows) assert.ok(allowed.has(row.cells[numberColumn]), `row ${row.cells[numberColumn]} should be one of ent-001's rights`);
  }
  await screenshot(page, '3-1-rights-ent-001');

  // Its own right opens.
  const own = rows[0].cells[numberColumn];
  const ownResponse = await page.goto(`/rights/${encodeURIComponent(own)}`);
  assert.equal(ownResponse.status(), 200, `ent-001 should open its own right ${own}`);
  const enterprise = await getJson(context, `/api/v1/parties/${me.party_id}`);
  const ownHolders = (await panel(page, zh('right-holders')).locator('tbody tr td:first-child').allTextContents()).map(clean);
  assert.ok(ownHolders.includes(enterprise.name), `the holders of ${own} should include ${enterprise.name}: ${JSON.stringify(ownHolders)}`);
  await screenshot(page, '3-2-own-right');

  // Another enterprise's right: 404, and nothing of it shown.
  const foreign = all.items.find((right) => !right.holders.some((holder) => holder.party_id === me.party_id));
  assert.ok(foreign, 'the admin\'s first page should have a right not held by ent-001\'s enterprise');
  const response = await page.goto(`/rights/${encodeURIComponent(foreign.number)}`);
  assert.equal(response.status(), 404, `ent-001 opening ${foreign.number} (not its enterprise's) should get 404`);
  assert.equal(clean(await page.locator('.error-status').textContent()), '404', 'the error page should show 404');
  assert.equal(clean(await page.locator('main h1').textContent()), zh('error-right-not_found'), 'the error page should say the right is not found');
  assert.ok(!(await page.content()).includes(foreign.title), 'the 404 page should not reveal the right\'s title');
  await getJson(context, `/api/v1/rights/${encodeURIComponent(foreign.number)}`, 404);
  await screenshot(page, '3-3-foreign-right-404');
});

journey('4. the parties page lists enterprises; a lender sees no contact phone, an administrator does', async ({ open, admin }) => {
  const adminApi = await admin();

  const lender = await open();
  await signIn(lender.page, 'icbc-loan');
  await lender.page.goto('/parties');
  assert.equal(await htmlLang(lender.page), 'zh-CN');
  const kinds = await options(lender.page, 'kind');
  assert.ok(kinds.some(({ value }) => value === 'enterprise'), 'the kind filter should offer enterprises');
  await lender.page.locator('form.filters select[name="kind"]').selectOption('enterprise');
  await applyFilters(lender.page);
  const enterprises = await getJson(adminApi, '/api/v1/parties?kind=enterprise');
  assert.ok(enterprises.total > 0, 'the demo should have enterprises');
  assert.equal(await pagerTotal(lender.page), enterprises.total, 'the page total should equal the API total of enterprises');
  const table = lender.page.locator('main table.data');
  const kindColumn = await columnIndex(table, zh('party-kind'));
  const rows = await tableRows(lender.page);
  assert.equal(rows.length, Math.min(enterprises.per_page, enterprises.total), 'a full first page of enterprises');
  for (const row of rows) assert.equal(row.cells[kindColumn], zh('party-kind-enterprise'), `${row.cells[0]} should be listed as an enterprise`);
  await screenshot(lender.page, '4-1-parties-enterprises-lender');

  await Promise.all([lender.page.waitForURL(/\/parties\/\d+$/), table.locator('tbody tr').first().locator('a[href^="/parties/"]').click()]);
  const id = Number(/\/parties\/(\d+)$/.exec(lender.page.url())[1]);
  const party = await getJson(adminApi, `/api/v1/parties/${id}`);
  assert.equal(party.kind, 'enterprise');
  assert.ok(party.contact_phone, `demo enterprise #${id} should have a contact phone for this check`);
  assert.equal(clean(await lender.page.locator('main h1').textContent()), party.name, 'the lender should see the enterprise\'s name');
  const lenderText = await lender.page.locator('main').innerText();
  assert.ok(!lenderText.includes(zh('party-contact-phone')), `a lender should see no '${zh('party-contact-phone')}' field`);
  assert.ok(!lenderText.includes(party.contact_phone), 'a lender should not see the enterprise\'s phone number');
  assert.ok(!(await lender.page.content()).includes(party.contact_phone), 'the phone number should not be anywhere in the lender\'s HTML');
  const asLender = await getJson(lender.context, `/api/v1/parties/${id}`);
  assert.equal(asLender.contact_phone, null, 'the API should blank the phone for a lender too');
  await screenshot(lender.page, '4-2-party-as-lender');

  const boss = await open();
  await signIn(boss.page, 'admin');
  await boss.page.goto(`/parties/${id}`);
  const phoneTerm = boss.page.locator('dl.fields dt', { hasText: zh('party-contact-phone') });
  assert.equal(await phoneTerm.count(), 1, `the administrator should see the '${zh('party-contact-phone')}' field`);
  const phone = clean(await phoneTerm.locator('xpath=following-sibling::dd[1]').textContent());
  assert.equal(phone, party.contact_phone, 'the administrator should see the enterprise\'s phone number');
  await screenshot(boss.page, '4-3-party-as-admin');
});

journey('5. an administrator imports a CSV of rights and reads the report', async ({ t, open, admin }) => {
  const adminApi = await admin();
  const { page } = await open();
  await signIn(page, 'admin');
  const response = await page.goto('/imports');
  if (response.status() === 404) {
    t.skip('imports page not ready');
    return;
  }
  assert.equal(response.status(), 200, 'GET /imports should answer 200 for an administrator');
  const form = page.locator('form.upload');
  assert.equal(await form.count(), 1, 'the imports page should show the upload form to an administrator');
  assert.equal(await form.locator('input[type="file"][name="file"]').count(), 1, 'the upload form should have a file field');
  const subjects = await form.locator('select[name="subject"] option').evaluateAll((nodes) => nodes.map((node) => node.value));
  assert.ok(subjects.includes('rights'), `the upload form should offer rights, offers ${JSON.stringify(subjects)}`);
  await screenshot(page, '5-1-imports-form');

  // A holder from the demo, and numbers nobody uses yet (filed last year: never in the future).
  const { items: [holder] } = await getJson(adminApi, '/api/v1/parties?kind=enterprise&per_page=1');
  assert.ok(holder?.uscc, 'a demo enterprise with a USCC should exist');
  const year = new Date().getUTCFullYear() - 1;
  const unused = async (kindDigit, from) => {
    for (let serial = from; serial < from + 50; serial += 1) {
      const body = `${year}${kindDigit}${String(serial).padStart(7, '0')}`;
      const probe = await adminApi.request.get(`/api/v1/rights/${applicationNo(body)}`);
      if (probe.status() === 404) return body;
    }
    throw new Error(`no unused application number found for ${year}/${kindDigit}`);
  };
  const inventionBody = await unused(1, 9_900_001);
  const utilityBody = await unused(2, 9_900_001);
  const badBody = await unused(1, 9_900_101);
  const invention = applicationNo(inventionBody);
  const utility = applicationNo(utilityBody);
  const bad = withWrongCheckDigit(badBody);
  const csv = [
    'kind,number,title,filing_date,grant_date,legal_status,annual_fee_paid_until,nice_class,ipc_main,renewals,holders',
    `invention,${invention},端到端测试发明（一）,${year}-01-15,,,,,,,${holder.name}|${holder.uscc}|10000`,
    `utility_model,${utility},端到端测试实用新型（二）,${year}-02-01,${year}-06-01,in_force,,,,,${holder.name}|${holder.uscc}`,
    `invention,${bad},校验位错误的发明,${year}-03-01,,,,,,,${holder.name}|${holder.uscc}|10000`,
  ].join('\n');

  await form.locator('select[name="subject"]').selectOption('rights');
  await form.locator('input[name="file"]').setInputFiles({ name: 'e2e-rights.csv', mimeType: 'text/csv', buffer: Buffer.from(`${csv}\n`, 'utf8') });
  const [posted] = await Promise.all([
    page.waitForResponse((answer) => new URL(answer.url()).pathname === '/imports' && answer.request().method() === 'POST'),
    form.locator('button[type="submit"]').click(),
  ]);
  await page.waitForLoadState();
  assert.equal(posted.status(), 200, `the upload should answer 200; the page says: ${clean(await page.locator('main').innerText()).slice(0, 300)}`);

  const report = page.locator('section.report');
  assert.equal(await report.count(), 1, 'the page should show the import report');
  assert.ok(clean(await report.locator('h2').textContent()).includes('e2e-rights.csv'), 'the report should name the file');
  const stats = Object.fromEntries(
    await report.locator('ul.stats li').evaluateAll((items) =>
      items.map((item) => [item.querySelector('.stat-label')?.textContent.trim(), Number(item.querySelector('.stat-value')?.textContent.trim())]),
    ),
  );
  assert.equal(stats[zh('import-total-rows')], 3, `the report should count 3 data rows: ${JSON.stringify(stats)}`);
  assert.equal(stats[zh('import-inserted')], 2, `the report should count 2 inserted: ${JSON.stringify(stats)}`);
  assert.equal(stats[zh('import-rejected')], 1, `the report should count 1 rejected: ${JSON.stringify(stats)}`);

  const rejections = report.locator('table.data');
  const rowColumn = await columnIndex(rejections, zh('import-row'));
  const fieldColumn = await columnIndex(rejections, zh('import-column'));
  const ruleColumn = await columnIndex(rejections, zh('error-rule'));
  const found = await tableRows(page, rejections);
  assert.ok(found.length >= 1, 'the report should list the rejection');
  const described = JSON.stringify(found.map((row) => row.cells));
  assert.ok(found.every((row) => row.cells[rowColumn] === '4'), `every finding should be about row 4 (the bad check digit; the header is row 1): ${described}`);
  const numberFinding = found.find((row) => row.cells[fieldColumn] === 'number');
  assert.ok(numberFinding, `the rejection should name the column 'number': ${described}`);
  assert.equal(numberFinding.cells[ruleColumn], 'check_digit', `the rejection's rule should be check_digit: ${described}`);
  await screenshot(page, '5-2-import-report');

  // The two rights are in the registry, linked to the holder; the bad one is not.
  for (const number of [invention, utility]) {
    const right = await getJson(adminApi, `/api/v1/rights/${number}`);
    assert.equal(right.holders[0]?.party_id, holder.id, `imported ${number} should be held by demo party #${holder.id} (matched by USCC)`);
  }
  await getJson(adminApi, `/api/v1/rights/${applicationNo(badBody)}`, 404);
  const runs = panel(page, zh('import-runs-title'));
  assert.ok((await runs.innerText()).includes('e2e-rights.csv'), 'the latest runs should list the upload');

  await page.goto(`/rights?q=${encodeURIComponent(invention)}`);
  const listed = await tableRows(page);
  assert.ok(listed.some((row) => row.cells.includes(invention)), `searching the registry for ${invention} should find the imported right`);
  await screenshot(page, '5-3-imported-right-listed');
});

journey('6. a lender drafts a pledge through the form, the enterprise confirms, and anyone verifies the notice', async ({ open }) => {
  // The enterprise's user, and a right of its own that no active pledge binds.
  const owner = await open();
  await signIn(owner.page, 'ent-001');
  const me = await getJson(owner.context, '/api/v1/me');
  const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
  const { items } = await getJson(owner.context, `/api/v1/rights?per_page=100&legal_status=in_force&holder_party_id=${me.party_id}`);
  const candidates = items.filter(
    (right) => ['invention', 'utility_model'].includes(right.kind) && right.holders.length === 1 && (right.annual_fee_paid_until ?? '') >= today,
  );
  let number = null;
  for (const right of [...candidates, ...items]) {
    const { items: pledges } = await getJson(owner.context, `/api/v1/pledges?application_no=${encodeURIComponent(right.number)}`);
    if (!pledges.some((pledge) => pledge.status === 'active')) {
      number = right;
      break;
    }
  }
  assert.ok(number, `ent-001's enterprise (#${me.party_id}) should hold an unpledged right in force`);

  // The lender drafts through the form, amounts in yuan.
  const lender = await open();
  await signIn(lender.page, 'icbc-loan');
  await lender.page.goto('/pledge-applications/new');
  assert.equal(clean(await lender.page.locator('main h1').textContent()), zh('application-new-title'), 'the form should be in Chinese');
  const form = lender.page.locator('form.app-form');
  await form.locator('input[name="other_party_id"]').fill(String(me.party_id));
  await form.locator('input[name="loan_contract_no"]').fill('JK-E2E-0001');
  await form.locator('input[name="principal_yuan"]').fill('2,000,000');
  await form.locator('input[name="performance_start"]').fill(today);
  await form.locator('input[name="performance_end"]').fill(`${Number(today.slice(0, 4)) + 1}${today.slice(4)}`);
  await form.locator('input[name="pledge_contract_no"]').fill('ZY-E2E-0001');
  await form.locator('select[name="secured_claim_kind"]').selectOption('loan');
  await form.locator('input[name="secured_amount_yuan"]').fill('1234567.89');
  await form.locator('textarea[name="scope"]').fill('本金、利息、罚息及实现质权的费用');
  await form.locator('select[name="right_kind_0"]').selectOption(number.kind);
  await form.locator('input[name="right_number_0"]').fill(number.number);
  await form.locator('input[name="commitment_letter"]').check();
  await screenshot(lender.page, '6-1-application-form');
  await Promise.all([lender.page.waitForURL(/\/pledge-applications\/\d+$/), form.locator('button[type="submit"]').click()]);
  const id = Number(/\/pledge-applications\/(\d+)$/.exec(lender.page.url())[1]);
  assert.equal(clean(await lender.page.locator('.page-head .badge').first().textContent()), zh('application-status-awaiting_confirmation'));
  const drafted = await getJson(lender.context, `/api/v1/pledge-applications/${id}`);
  assert.equal(drafted.application.pledge_contract.secured_amount_fen, 123456789, '1234567.89 yuan should be exactly 123456789 fen');
  assert.equal(drafted.application.loan_contract.principal_fen, 200000000);
  await screenshot(lender.page, '6-2-application-drafted');

  // The enterprise confirms: the rules register it (or refuse it, naming the grounds).
  await owner.page.goto(`/pledge-applications/${id}`);
  await Promise.all([
    owner.page.waitForResponse((answer) => answer.url().endsWith(`/pledge-applications/${id}`) && answer.request().method() === 'GET'),
    owner.page.locator(`form[action="/pledge-applications/${id}/confirm"] button[type="submit"]`).click(),
  ]);
  await owner.page.waitForLoadState();
  const status = clean(await owner.page.locator('.page-head .badge').first().textContent());
  assert.ok([zh('application-status-registered'), zh('application-status-refused')].includes(status), `confirmed, the application should be decided; it is ${status}`);
  await screenshot(owner.page, '6-3-application-confirmed');

  // The printable notice carries a QR code and the verification code.
  const notice = await getJson(owner.context, `/api/v1/pledge-applications/${id}/notice`);
  const response = await owner.page.goto(`/pledge-applications/${id}/notice`);
  assert.equal(response.status(), 200);
  assert.equal(await owner.page.locator('figure.qr svg path').count(), 1, 'the notice should show a QR code');
  assert.equal(clean(await owner.page.locator('.verification-code').textContent()), notice.document.verification_code);
  await screenshot(owner.page, '6-4-printable-notice');

  // Anyone verifies it on the public page, without signing in.
  const visitor = await open();
  await visitor.page.goto('/login');
  await Promise.all([visitor.page.waitForURL((url) => url.pathname === '/notices/verify'), visitor.page.locator('a[href="/notices/verify"]').first().click()]);
  const verify = visitor.page.locator('main form.filters');
  await verify.locator('input[name="no"]').fill(notice.document.notice_no);
  await verify.locator('input[name="code"]').fill(notice.document.verification_code);
  await Promise.all([visitor.page.waitForURL(/\/notices\/verify\?/), verify.locator('button[type="submit"]').click()]);
  assert.equal(clean(await visitor.page.locator('.verify-match').textContent()), zh('verify-match'), 'the public page should confirm the notice');
  const key = await getJson(visitor.context, '/api/v1/notice-key');
  assert.equal(clean(await visitor.page.locator('.signature-ok .fingerprint').textContent()), key.fingerprint, 'the page should show the published key\'s fingerprint');
  assert.ok((await visitor.page.locator('main').innerText()).includes(notice.document.notice_no));
  await screenshot(visitor.page, '6-5-notice-verified');
});

journey('7. a lender values a right by relief from royalty through the form and records the valuation', async ({ open }) => {
  const { context, page } = await open();
  await signIn(page, 'icbc-loan');
  const { items: [right] } = await getJson(context, '/api/v1/rights?per_page=1&kind=invention');
  assert.ok(right, 'the demo should have an invention the lender may see');

  await page.goto('/valuation');
  assert.equal(clean(await page.locator('main h1').textContent()), zh('valuation-title'), 'the calculator should be in Chinese');
  assert.equal(clean(await page.locator('nav.tabs a.active').textContent()), zh('valuation-method-relief_from_royalty'), 'relief from royalty is the first tab');
  const form = page.locator('form.valuation-form');
  const submit = async (button) => {
    await Promise.all([
      page.waitForResponse((answer) => new URL(answer.url()).pathname === '/valuation' && answer.request().method() === 'POST'),
      button.click(),
    ]);
    await page.waitForLoadState();
  };

  // The look-up fills the royalty rate with the table's mid-point: C3971 climbs to C39, 4.75%.
  await form.locator('textarea[name="revenues"]').fill('1,000,000\n1,100,000\n1,200,000');
  await form.locator('input[name="lookup_industry"]').fill('C3971');
  await submit(form.locator('button[name="action"][value="lookup"]'));
  assert.equal(await form.locator('input[name="royalty_rate_pct"]').inputValue(), '4.75', 'the look-up should fill in the mid-point 4.75');
  assert.equal(await form.locator('textarea[name="revenues"]').inputValue(), '1,000,000\n1,100,000\n1,200,000', 'the revenues typed should be kept');
  await screenshot(page, '7-1-royalty-rate-looked-up');

  // 37,500 ÷ 1.12 + 41,250 ÷ 1.12² + 45,000 ÷ 1.12³ = 98,396.50 yuan.
  await form.locator('input[name="royalty_rate_pct"]').fill('5');
  await form.locator('input[name="discount_rate_pct"]').fill('12');
  await form.locator('input[name="tax_rate_pct"]').fill('25');
  await submit(form.locator('.actions button[type="submit"]'));
  const result = page.locator('section.valuation-result');
  assert.equal(clean(await result.locator('.value-amount').textContent()), '98,396.50', 'the value should be 98,396.50 yuan');
  const years = await tableRows(page, result.locator('table.working'));
  assert.equal(years.length, 3, 'the working should show three years');
  const presentValues = years.map((row) => row.cells[row.cells.length - 1]);
  assert.deepEqual(presentValues, ['33,482.14', '32,884.25', '32,030.11'], 'each year\'s present value to the fen');
  assert.ok((await result.locator('ol.assumptions').innerText()).includes('折现率 12%/年'), 'the assumptions should be stated in Chinese');
  await screenshot(page, '7-2-valuation-result');

  // Recorded against the right, for a pledge: the right's page lists it.
  await form.locator('input[name="record"]').check();
  await form.locator('select[name="purpose"]').selectOption('pledge');
  await form.locator('input[name="right_number"]').fill(right.number);
  await submit(form.locator('.actions button[type="submit"]'));
  const recorded = page.locator('.alert.recorded');
  assert.equal(await recorded.count(), 1, `the valuation should be recorded; the page says: ${clean(await page.locator('main').innerText()).slice(0, 300)}`);
  assert.ok(clean(await recorded.textContent()).includes('98,396.50'), 'the notice should name the value');
  await screenshot(page, '7-3-valuation-recorded');
  await Promise.all([page.waitForURL((url) => url.pathname.startsWith('/rights/')), recorded.locator('a').click()]);
  const valuations = await tableRows(page, page.locator('section#valuations table'));
  assert.ok(valuations.some((row) => row.cells.includes('98,396.50') && row.cells.includes(zh('valuation-purpose-pledge'))), `the right's page should list the valuation: ${JSON.stringify(valuations)}`);
  const stored = await getJson(context, `/api/v1/rights/${encodeURIComponent(right.number)}/valuations`);
  assert.ok(stored.some((valuation) => valuation.record.value_fen === 9_839_650), 'the API should hold 9,839,650 fen');
  await screenshot(page, '7-4-right-valuations');
});

journey('8. a lender reads a patent\'s automated valuation, switches the purpose, and values portfolios', async ({ open }) => {
  const { context, page } = await open();
  await signIn(page, 'icbc-loan');
  // The register also holds the demo's synthetic patents, whose holders are no parties of it.
  const heldByEnterprise = [];
  for (let pageNo = 1; pageNo <= 60 && heldByEnterprise.length < 2; pageNo += 1) {
    const { items: inventions } = await getJson(context, `/api/v1/rights?per_page=100&page=${pageNo}&kind=invention&legal_status=in_force`);
    if (inventions.length === 0) break;
    for (const candidate of inventions) {
      const holderId = candidate.holders.find((holder) => holder.party_id)?.party_id;
      if (!holderId) continue;
      const holder = await getJson(context, `/api/v1/parties/${holderId}`);
      if (holder.kind === 'enterprise') heldByEnterprise.push({ ...candidate, holderId });
      if (heldByEnterprise.length === 2) break;
    }
  }
  assert.equal(heldByEnterprise.length, 2, 'the demo should have inventions in force held by enterprises');
  const [right, other] = heldByEnterprise;

  // The patent's page: the range exact from the fen, the confidence, and 14 contributions in words.
  const pledge = await getJson(context, `/api/v1/rights/${encodeURIComponent(right.number)}/automated-valuation?purpose=pledge`);
  await page.goto(`/rights/${encodeURIComponent(right.number)}`);
  const section = page.locator('section#avm');
  assert.equal(clean(await section.locator('h2').textContent()), zh('avm-title'), 'the patent page should have the automated valuation');
  const range = async () => [
    clean(await section.locator('.avm-range .avm-low').textContent()),
    clean(await section.locator('.avm-range .avm-mid').textContent()),
    clean(await section.locator('.avm-range .avm-high').textContent()),
  ];
  assert.deepEqual(await range(), [yuan(pledge.low_fen), yuan(pledge.mid_fen), yuan(pledge.high_fen)], 'the range should be the API\'s, to the fen');
  assert.equal(clean(await section.locator('.avm-confidence').textContent()), percentOfBp(pledge.confidence_bp));
  const contributions = await tableRows(page, section.locator('table.avm-contributions'));
  assert.equal(contributions.length, 14, 'every indicator of the tree should be explained');
  assert.deepEqual(
    contributions.map((row) => row.cells[row.cells.length - 1]),
    pledge.contributions.map((item) => clean(item.text_zh)),
    'each contribution should be worded in Chinese, in the tree\'s order',
  );
  await screenshot(page, '8-1-automated-valuation');

  // Another purpose re-renders the page with its own weights.
  await section.locator('select[name="avm_purpose"]').selectOption('licence');
  await Promise.all([page.waitForURL((url) => url.searchParams.get('avm_purpose') === 'licence'), section.locator('button[type="submit"]').click()]);
  const licence = await getJson(context, `/api/v1/rights/${encodeURIComponent(right.number)}/automated-valuation?purpose=licence`);
  assert.equal(await section.locator('select[name="avm_purpose"]').inputValue(), 'licence', 'the selector should keep the purpose');
  assert.deepEqual(await range(), [yuan(licence.low_fen), yuan(licence.mid_fen), yuan(licence.high_fen)], 'the licence range should be the API\'s');
  await screenshot(page, '8-2-purpose-licence');

  // A portfolio of two patents and a right that is not one: the items add up, the other is skipped.
  const { items: [mark] } = await getJson(context, '/api/v1/rights?per_page=1&kind=trademark');
  await Promise.all([page.waitForURL((url) => url.pathname === '/portfolio-valuation'), section.locator('a.portfolio-link').click()]);
  const form = page.locator('form.portfolio-form');
  assert.equal(await form.locator('select[name="purpose"]').inputValue(), 'licence', 'the link should carry the purpose');
  await form.locator('textarea[name="numbers"]').fill([right.number, other.number, mark?.number].filter(Boolean).join('\n'));
  await form.locator('select[name="purpose"]').selectOption('pledge');
  await Promise.all([page.waitForURL((url) => url.searchParams.get('purpose') === 'pledge'), form.locator('button[type="submit"]').click()]);
  const second = await getJson(context, `/api/v1/rights/${encodeURIComponent(other.number)}/automated-valuation?purpose=pledge`);
  const result = page.locator('section.portfolio-result');
  const items = await tableRows(page, result.locator('table.portfolio-items'));
  assert.deepEqual(items.map((row) => row.cells[0]), [right.number, other.number], 'both patents should be valued');
  const total = (pick) => yuan(BigInt(pick(pledge)) + BigInt(pick(second)));
  const shownTotal = [
    clean(await result.locator('.portfolio-total .avm-low').textContent()),
    clean(await result.locator('.portfolio-total .avm-mid').textContent()),
    clean(await result.locator('.portfolio-total .avm-high').textContent()),
  ];
  assert.deepEqual(shownTotal, [total((item) => item.low_fen), total((item) => item.mid_fen), total((item) => item.high_fen)], 'the total should add up the items to the fen');
  if (mark) {
    assert.ok(clean(await result.locator('.portfolio-skipped').textContent()).includes(mark.number), 'the trademark should be listed as not valued');
  }
  await screenshot(page, '8-3-portfolio');

  // The holder's page links to its patents' portfolio; the API agrees on the total.
  const { holderId } = right;
  await page.goto(`/parties/${holderId}`);
  await Promise.all([page.waitForURL((url) => url.pathname === '/portfolio-valuation'), page.locator('a.value-portfolio').click()]);
  const whole = await getJson(context, `/api/v1/parties/${holderId}/portfolio-valuation`);
  assert.ok(whole.items.length >= 1, `party #${holderId} should hold patents to value`);
  assert.equal(clean(await result.locator('.portfolio-total .avm-mid').textContent()), yuan(whole.mid_fen), 'the enterprise\'s total should be the API\'s');
  assert.equal(clean(await result.locator('.portfolio-confidence').textContent()), percentOfBp(whole.confidence_bp));
  await screenshot(page, '8-4-enterprise-portfolio');

  // An enterprise may not value another enterprise's portfolio.
  const enterprise = await open();
  await signIn(enterprise.page, 'ent-001');
  const me = await getJson(enterprise.context, '/api/v1/me');
  const { items: enterprises } = await getJson(context, '/api/v1/parties?kind=enterprise&per_page=5');
  const stranger = enterprises.map((party) => party.id).find((id) => id !== me.party_id);
  assert.ok(stranger, 'the demo should have another enterprise than ent-001\'s');
  const refused = await enterprise.page.goto(`/portfolio-valuation?party=${stranger}`);
  assert.equal(refused.status(), 403);
  assert.equal(clean(await enterprise.page.locator('.portfolio-fault').textContent()), zh('error-portfolio-forbidden'));
  assert.equal(await enterprise.page.locator('form.portfolio-form input[name="party"]').inputValue(), String(stranger), 'the form should keep the party');
  await screenshot(enterprise.page, '8-5-portfolio-refused');
});

journey('9. anyone searches the patents, narrows by a facet, reads a landscape; an analyst saves and follows a topic', async ({ open }) => {
  const { context, page } = await open();

  // A quoted string from a demo patent's title: the page's total is the API's, exact.
  const sample = await getJson(context, `/api/v1/patents/search?q=${encodeURIComponent('filed:1990..2100')}&limit=1&facets=false`);
  assert.ok(sample.total > 0, 'the demo\'s patents should be in the search index');
  const needle = [...sample.hits[0].title].slice(0, 4).join('');
  const quoted = `"${needle}"`;
  const api = await getJson(context, `/api/v1/patents/search?q=${encodeURIComponent(quoted)}`);
  await page.goto('/patents');
  assert.equal(clean(await page.locator('h1').textContent()), zh('search-title'));
  await page.locator('form.searchbar input[name="q"]').fill(quoted);
  await Promise.all([page.waitForURL((url) => url.searchParams.get('q') === quoted), page.locator('form.searchbar button[type="submit"]').click()]);
  assert.equal(firstNumber(await page.locator('.results-total').textContent()), api.total, 'the page should show the API\'s exact total');
  const firstHit = page.locator('ol.hits li.hit').first();
  assert.equal(clean(await firstHit.locator('h3 em').first().textContent()), needle, 'the match should be marked in the title');
  assert.equal(await page.locator('ol.hits li.hit').count(), Math.min(api.total, 20));
  await screenshot(page, '9-1-search-quoted');

  // A facet adds its filter to the query; the total follows.
  const facet = page.locator('aside.facets section.facet').first().locator('li a').first();
  await Promise.all([page.waitForURL((url) => (url.searchParams.get('q') ?? '').includes(':')), facet.click()]);
  const narrowed = new URL(page.url()).searchParams.get('q');
  const narrowedApi = await getJson(context, `/api/v1/patents/search?q=${encodeURIComponent(narrowed)}`);
  assert.equal(firstNumber(await page.locator('.results-total').textContent()), narrowedApi.total, 'the narrowed total should be the API\'s');
  assert.ok(narrowedApi.total <= api.total, 'a filter should never widen the result');
  await screenshot(page, '9-2-search-facet');

  // An unbalanced quote is a 400 page that marks where.
  const refused = await page.goto(`/patents?q=${encodeURIComponent('电池 "隔膜')}`);
  assert.equal(refused.status(), 400);
  const fault = page.locator('.query-fault');
  assert.ok(clean(await fault.textContent()).includes(zh('search-fault-unbalanced_quote')), 'the fault should say why');
  assert.equal(clean(await fault.locator('mark').textContent()), '"', 'the fault should mark the quote');
  await screenshot(page, '9-3-search-fault');

  // The landscape of the first query: the same total, charts drawn, the workbook linked.
  await page.goto(`/patents?q=${encodeURIComponent(quoted)}`);
  await Promise.all([page.waitForURL((url) => url.pathname === '/patents/landscape'), page.locator('form.searchbar a.btn-secondary').click()]);
  const landscape = await getJson(context, `/api/v1/patents/landscape?q=${encodeURIComponent(quoted)}`);
  assert.equal(firstNumber(await page.locator('.landscape-summary .stat-value').first().textContent()), landscape.total);
  assert.ok(await page.locator('svg.chart-columns rect.bar').count() >= 1, 'filings per year should be drawn');
  const download = await context.request.get(await page.locator('a[download]').getAttribute('href'));
  assert.equal(download.status(), 200);
  assert.equal((await download.body()).subarray(0, 2).toString(), 'PK', 'the export should be an XLSX workbook');
  await screenshot(page, '9-4-landscape');

  // Signed in, the search is saved as a topic; its owner follows it and may stop.
  await signIn(page, 'icbc-loan');
  await page.goto(`/patents?q=${encodeURIComponent(quoted)}`);
  const name = `专题 ${needle}`;
  await page.locator('form.save-topic input[name="name"]').fill(name);
  await Promise.all([page.waitForURL((url) => url.pathname === '/topics'), page.locator('form.save-topic button[type="submit"]').click()]);
  const row = page.locator('table.topics tbody tr').filter({ hasText: name });
  assert.equal(await row.count(), 1, 'the topic should be listed');
  assert.equal(firstNumber(await row.locator('td.num').first().textContent()), api.total, 'the topic should count the query\'s matches');
  await Promise.all([page.waitForURL((url) => url.pathname === '/topics'), row.locator('button', { hasText: zh('topic-unfollow') }).click()]);
  assert.equal(await page.locator('table.topics tbody tr').filter({ hasText: name }).locator('button', { hasText: zh('topic-follow') }).count(), 1, 'the button should now follow');
  await screenshot(page, '9-5-topics');
  await page.goto('/me/notices');
  assert.equal(clean(await page.locator('h1').textContent()), zh('my-notices-title'));
});
