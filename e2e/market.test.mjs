// Browser journeys through the finance marketplace (issue 6): the public product display, and a
// financing demand walked through the whole pipeline in the pages — published by an enterprise
// through the form, moved by the bank it is shared with from matched to closed, the pledge and
// the loan it names made on the way. Run from e2e/ (as scripts/test does):
//   IPYUN_BIN=../target/debug/ipyun node --test --test-concurrency=1 market.test.mjs

import assert from 'node:assert/strict';
import { getJson, screenshot, sendJson, signIn, tableRows } from './helpers/browser.mjs';
import { journeys } from './helpers/journey.mjs';
import { clean, yuan, zh } from './helpers/texts.mjs';

const journey = journeys();

/** Today in China, as the server's dates read. */
function today() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

/** A year after `day`. */
function aYearAfter(day) {
  return `${Number(day.slice(0, 4)) + 1}${day.slice(4)}`;
}

/** Rights in force the enterprise alone holds, fees paid, that no active pledge binds. */
async function unpledgedRights(context, partyId) {
  const { items } = await getJson(context, `/api/v1/rights?per_page=100&legal_status=in_force&holder_party_id=${partyId}`);
  const found = [];
  for (const right of items) {
    if (!['invention', 'utility_model'].includes(right.kind) || right.holders.length !== 1) continue;
    if ((right.annual_fee_paid_until ?? '') < today()) continue;
    const { items: pledges } = await getJson(context, `/api/v1/pledges?application_no=${encodeURIComponent(right.number)}`);
    if (!pledges.some((pledge) => pledge.status === 'active')) found.push(right);
  }
  return found;
}

/** Moves the demand on through its page's form; the page after the move. */
async function move(page, id, stage, fields = {}) {
  await page.goto(`/demands/${id}`);
  const form = page.locator('form.stage-form');
  await form.locator('select[name="stage"]').selectOption(stage);
  if (fields.registration_no !== undefined) await form.locator('input[name="registration_no"]').fill(fields.registration_no);
  if (fields.loan_id !== undefined) await form.locator('select[name="loan_id"]').selectOption(String(fields.loan_id));
  if (fields.note !== undefined) await form.locator('textarea[name="note"]').fill(fields.note);
  const [response] = await Promise.all([
    page.waitForResponse((answer) => new URL(answer.url()).pathname === `/demands/${id}/stage`),
    form.locator('button[type="submit"]').click(),
  ]);
  await page.waitForLoadState();
  return response;
}

journey('1. anyone browses the product display; a bank\'s product shows its terms exactly', async ({ open }) => {
  const lender = await open();
  await signIn(lender.page, 'icbc-loan');
  const bank = await getJson(lender.context, '/api/v1/me');
  const product = (await sendJson(lender.context, 'POST', '/api/v1/products', {
    kind: 'loan', name: '知识产权质押贷（浏览器旅程）', description: '面向科技型中小企业',
    amount_min_fen: 50_000_000, amount_max_fen: 1_000_000_000, rate_min_pct: '3.45', rate_max_pct: '5.5',
    months_min: 6, months_max: 36, right_kinds: ['invention', 'utility_model'], ltv_cap_bp: 5000,
    repayment_methods: ['equal_instalment', 'interest_only'], valid_from: today(),
  }, 201)).product;
  assert.equal(product.publisher_id, bank.party_id);

  // A visitor, signed out, filters the display by an amount in yuan.
  const visitor = await open();
  await visitor.page.goto('/products?kind=loan&amount=3%2C000%2C000');
  assert.equal(clean(await visitor.page.locator('main h1').textContent()), zh('products-title'));
  const rows = await tableRows(visitor.page);
  const row = rows.find((candidate) => candidate.href === `/products/${product.id}`);
  assert.ok(row, 'the new product should be listed for 3,000,000 yuan');
  assert.ok(row.cells.includes(`${yuan(50_000_000)} – ${yuan(1_000_000_000)}`), `the amount range should read exactly: ${row.cells}`);
  assert.ok(row.cells.includes('3.45% – 5.5%'), `the rates should read exactly: ${row.cells}`);
  await screenshot(visitor.page, 'm1-1-product-display');
  await visitor.page.goto('/products?kind=loan&amount=20000000');
  assert.ok(!(await tableRows(visitor.page)).some((candidate) => candidate.href === `/products/${product.id}`), '20,000,000 yuan is above the product\'s range');
  await visitor.page.goto(`/products/${product.id}`);
  assert.equal(clean(await visitor.page.locator('main h1').textContent()), '知识产权质押贷（浏览器旅程）');
  assert.ok((await visitor.page.locator('main').innerText()).includes('50.00%'), 'the LTV cap should read as 50.00%');
  await screenshot(visitor.page, 'm1-2-product-page');
});

journey('2. an enterprise publishes a demand; the bank it is shared with walks it from matched to closed', async ({ open }) => {
  const lender = await open();
  await signIn(lender.page, 'icbc-loan');
  const bank = await getJson(lender.context, '/api/v1/me');
  const owner = await open();
  await signIn(owner.page, 'ent-001');
  const me = await getJson(owner.context, '/api/v1/me');
  const rights = await unpledgedRights(owner.context, me.party_id);
  assert.ok(rights.length > 0, `ent-001's enterprise (#${me.party_id}) should hold an unpledged right in force`);

  // The enterprise publishes through the form: yuan read exactly, one right, shared with one bank.
  await owner.page.goto('/demands');
  await Promise.all([owner.page.waitForURL(/\/demands\/new$/), owner.page.locator('a[href="/demands/new"]').click()]);
  assert.equal(clean(await owner.page.locator('main h1').textContent()), zh('demand-new-title'), 'the form should be in Chinese');
  const form = owner.page.locator('form.demand-form');
  await form.locator('input[name="amount_yuan"]').fill('3,000,000.05');
  await form.locator('input[name="months"]').fill('十二');
  await form.locator('textarea[name="purpose"]').fill('购置锂电池隔膜生产线');
  await form.locator('select[name="urgency"]').selectOption('high');
  await form.locator(`input[name="rights"][value="${rights[0].number}"]`).check();
  await form.locator(`input[name="shared_with"][value="${bank.party_id}"]`).check();
  await Promise.all([owner.page.waitForResponse((answer) => new URL(answer.url()).pathname === '/demands/new' && answer.request().method() === 'POST'), form.locator('button[type="submit"]').click()]);
  await owner.page.waitForLoadState();
  assert.ok((await owner.page.locator('.has-error .field-error').allTextContents()).map(clean).includes(zh('form-error-months')), 'a term in words should be refused at its field');
  await screenshot(owner.page, 'm2-1-demand-form-fault');
  await owner.page.locator('form.demand-form input[name="months"]').fill('12');
  await Promise.all([owner.page.waitForURL(/\/demands\/\d+$/), owner.page.locator('form.demand-form button[type="submit"]').click()]);
  const id = Number(/\/demands\/(\d+)$/.exec(owner.page.url())[1]);
  assert.equal(clean(await owner.page.locator('.page-head .badge').first().textContent()), zh('demand-stage-published'));
  assert.equal(clean(await owner.page.locator('.demand-amount').textContent()), yuan(300_000_005));
  const published = await getJson(owner.context, `/api/v1/demands/${id}`);
  assert.equal(published.terms.amount_fen, 300_000_005, '3,000,000.05 yuan should be exactly 300000005 fen');
  assert.deepEqual(published.terms.shared_with, [bank.party_id]);
  assert.deepEqual(published.terms.rights, [rights[0].number]);
  // The page ranks the products that can serve it, as the API does, each with its reasons.
  const ranked = await getJson(owner.context, `/api/v1/demands/${id}/matches?limit=5`);
  const shown = await owner.page.locator('section.matches ol.ranked > li > a').evaluateAll((links) => links.map((link) => link.getAttribute('href')));
  assert.deepEqual(shown, ranked.matches.map((found) => `/products/${found.product_id}`), 'the page should rank as the API does');
  if (ranked.matches.length > 0) {
    const reasons = (await owner.page.locator('section.matches ol.ranked > li').first().locator('ul.reasons li').allTextContents()).map(clean);
    assert.deepEqual(reasons, ranked.matches[0].explanation.parts.map((part) => part.reason_zh), 'each match should say why, in Chinese');
  }
  await screenshot(owner.page, 'm2-2-demand-published');

  // Another bank never sees it.
  const rival = await open();
  await signIn(rival.page, 'ccb-loan');
  assert.equal((await rival.page.goto(`/demands/${id}`)).status(), 404);

  // The bank finds it in its list and moves it on.
  await lender.page.goto('/demands');
  const listed = await tableRows(lender.page);
  assert.ok(listed.some((row) => row.href === `/demands/${id}`), 'the bank should see the demand shared with it');
  for (const stage of ['matched', 'in_talks', 'approved']) {
    const response = await move(lender.page, id, stage, { note: '尽调推进' });
    assert.equal(response.status(), 303, `moving to ${stage} should succeed`);
    assert.equal(clean(await lender.page.locator('.page-head .badge').first().textContent()), zh(`demand-stage-${stage}`));
  }
  const bankParty = await getJson(lender.context, `/api/v1/parties/${bank.party_id}`);
  assert.equal(clean(await lender.page.locator('dd.lender').textContent()), bankParty.name, 'the bank in talks should be named');
  await screenshot(lender.page, 'm2-3-demand-approved');

  // Registered needs the pledge's number: refused with the reason, then made and named.
  const refused = await move(lender.page, id, 'registered');
  assert.equal(refused.status(), 400);
  assert.equal(clean(await lender.page.locator('.refusal').textContent()), zh('demand-refusal-registration_no-required'));
  await screenshot(lender.page, 'm2-4-registration-refused');
  let registrationNo = null;
  for (const right of rights.slice(0, 5)) {
    const drafted = await sendJson(lender.context, 'POST', '/api/v1/pledge-applications', {
      pledgor_id: me.party_id,
      loan_contract: { contract_no: `JK-M-${id}`, debtor: published.enterprise_name, principal_fen: 300_000_005, performance_start: today(), performance_end: aYearAfter(today()) },
      pledge_contract: { contract_no: `ZY-M-${id}`, secured_claim_kind: 'loan', secured_amount_fen: 300_000_005, scope: '本金、利息、罚息及实现质权的费用' },
      rights: [{ kind: right.kind, number: right.number }],
      commitment_letter: true,
    }, 201);
    const confirmed = await sendJson(owner.context, 'POST', `/api/v1/pledge-applications/${drafted.id}/confirm`, {});
    if (confirmed.registration_no) {
      registrationNo = confirmed.registration_no;
      break;
    }
  }
  assert.ok(registrationNo, 'one of the enterprise\'s rights should register');
  await move(lender.page, id, 'registered', { registration_no: registrationNo.toLowerCase() });
  assert.equal(clean(await lender.page.locator('.page-head .badge').first().textContent()), zh('demand-stage-registered'));
  assert.equal(clean(await lender.page.locator('.registration-no').textContent()), registrationNo);

  // Disbursed names the loan, chosen in the form; then closed.
  const loan = await sendJson(lender.context, 'POST', '/api/v1/loans', {
    contract_no: `JK-M-${id}`, pledges: [registrationNo], amount_fen: 300_000_005, annual_rate_pct: '3.45',
    method: 'interest_only', start_date: today(), months: 12,
  }, 201);
  await move(lender.page, id, 'disbursed', { loan_id: loan.loan.id });
  assert.equal(clean(await lender.page.locator('.page-head .badge').first().textContent()), zh('demand-stage-disbursed'));
  assert.equal(clean(await lender.page.locator('.days-to-money').textContent()), zh('demands-days').replace('{ $days }', '0'));
  await move(lender.page, id, 'closed');
  const stages = (await lender.page.locator('ol.stages li .badge').allTextContents()).map(clean);
  assert.deepEqual(stages, ['published', 'matched', 'in_talks', 'approved', 'registered', 'disbursed', 'closed'].map((stage) => zh(`demand-stage-${stage}`)));
  await screenshot(lender.page, 'm2-5-demand-closed');

  // The enterprise's pipeline counts it as money.
  await owner.page.goto('/demands');
  const report = await getJson(owner.context, '/api/v1/demand-pipeline');
  assert.ok(report.funded >= 1);
  assert.equal(clean(await owner.page.locator('.pipeline .conversion').textContent()), `${Math.floor(report.conversion_bp / 100)}.${String(report.conversion_bp % 100).padStart(2, '0')}%`);
  await screenshot(owner.page, 'm2-6-pipeline');
});
