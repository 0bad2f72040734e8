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

/** An instant as China's date and time inputs hold it (UTC+8, to the second). */
function chinaFields(instant) {
  const text = new Date(instant.getTime() + 8 * 3600 * 1000).toISOString();
  return { date: text.slice(0, 10), time: text.slice(11, 19) };
}

/** Fills a date and a time input pair named `<prefix>_date` / `<prefix>_time` in `form`. */
async function fillInstant(form, prefix, instant) {
  const { date, time } = chinaFields(instant);
  await form.locator(`input[name="${prefix}_date"]`).fill(date);
  await form.locator(`input[name="${prefix}_time"]`).fill(time);
}

/** Submits `form` and waits for the page it leads to. */
async function submit(page, form, url) {
  await Promise.all([page.waitForURL(url), form.locator('button[type="submit"]').click()]);
}

journey('3. a park holds a matchmaking event: sign-ups, a meeting, its outcome in yuan, the report', async ({ open }) => {
  // Everyone signs in first, so the event can start soon after it is scheduled.
  const park = await open();
  await signIn(park.page, 'park-1');
  const lender = await open();
  await signIn(lender.page, 'icbc-loan');
  const bank = await getJson(lender.context, '/api/v1/me');
  const owner = await open();
  await signIn(owner.page, 'ent-001');
  const me = await getJson(owner.context, '/api/v1/me');
  const demand = await sendJson(owner.context, 'POST', '/api/v1/demands', { amount_fen: 500_000_000, months: 12, purpose: '对接会洽谈：扩产融资' }, 201);

  // The park schedules it through the form. The server runs on the wall clock: the event starts
  // 20 seconds from now and sign-up closes then, so the sign-ups below come before the deadline
  // and the meeting (booked from the event's start) has begun by the time its outcome is recorded.
  const startsAt = new Date(Math.ceil((Date.now() + 20_000) / 1000) * 1000);
  const endsAt = new Date(startsAt.getTime() + 2 * 3600 * 1000);
  await park.page.goto('/match-events');
  assert.equal(clean(await park.page.locator('main h1').textContent()), zh('events-title'));
  assert.equal(clean(await park.page.locator('nav.mainnav a.active').textContent()), zh('nav-events'));
  await Promise.all([park.page.waitForURL(/\/match-events\/new$/), park.page.locator('a[href="/match-events/new"]').click()]);
  assert.equal(clean(await park.page.locator('main h1').textContent()), zh('event-new-title'));
  const form = park.page.locator('form.event-form');
  await form.locator('input[name="title"]').fill('知识产权质押融资银企对接会（浏览器旅程）');
  await form.locator('textarea[name="description"]').fill('政策宣讲与一对一洽谈');
  await fillInstant(form, 'starts', startsAt);
  await fillInstant(form, 'ends', endsAt);
  await fillInstant(form, 'deadline', startsAt);
  await form.locator('input[name="lender_capacity"]').fill('5');
  await form.locator('input[name="enterprise_capacity"]').fill('10');
  // Neither a venue nor a link: refused at the venue's field.
  await Promise.all([
    park.page.waitForResponse((answer) => new URL(answer.url()).pathname === '/match-events/new' && answer.request().method() === 'POST'),
    form.locator('button[type="submit"]').click(),
  ]);
  await park.page.waitForLoadState();
  assert.deepEqual((await park.page.locator('.has-error .field-error').allTextContents()).map(clean), [zh('event-error-venue-required')]);
  await screenshot(park.page, 'm3-1-event-form-fault');
  await park.page.locator('form.event-form input[name="venue"]').fill('园区知识产权服务中心三楼');
  await submit(park.page, park.page.locator('form.event-form'), /\/match-events\/\d+\?done=scheduled$/);
  const id = Number(/\/match-events\/(\d+)/.exec(park.page.url())[1]);
  assert.equal(clean(await park.page.locator('.page-head .badge').textContent()), zh('event-status-scheduled'));
  const scheduled = await getJson(park.context, `/api/v1/match-events/${id}`);
  assert.equal(scheduled.terms.starts_at, startsAt.toISOString().replace('.000Z', 'Z'), 'China time should convert exactly to UTC');
  assert.equal(scheduled.terms.ends_at, endsAt.toISOString().replace('.000Z', 'Z'));
  assert.equal(clean(await park.page.locator('.event-starts').textContent()), `${chinaFields(startsAt).date} ${chinaFields(startsAt).time}`.replace(/:00$/, ''));

  // The lender and the enterprise sign up through the page; the enterprise names its demand.
  await lender.page.goto('/match-events');
  assert.ok((await tableRows(lender.page)).some((row) => row.href === `/match-events/${id}`), 'the lender should see the event listed');
  await lender.page.goto(`/match-events/${id}`);
  await submit(lender.page, lender.page.locator('form.signup-form'), /\?done=signed_up$/);
  assert.ok(clean(await lender.page.locator('.own-signup').textContent()).startsWith('本机构已于'));
  await owner.page.goto(`/match-events/${id}`);
  await owner.page.locator('form.signup-form select[name="demand_id"]').selectOption(String(demand.id));
  await submit(owner.page, owner.page.locator('form.signup-form'), /\?done=signed_up$/);
  assert.equal(clean(await owner.page.locator('.event-enterprises').textContent()), '1 / 10');
  await screenshot(owner.page, 'm3-2-enterprise-signed-up');

  // The park books a meeting between them, half an hour from the event's start.
  await park.page.goto(`/match-events/${id}`);
  const booking = park.page.locator('form.booking-form');
  await booking.locator('select[name="lender_id"]').selectOption(String(bank.party_id));
  await booking.locator('select[name="enterprise_id"]').selectOption(String(me.party_id));
  await fillInstant(booking, 'starts', startsAt);
  await fillInstant(booking, 'ends', new Date(startsAt.getTime() + 30 * 60 * 1000));
  await submit(park.page, booking, /\?done=booked$/);
  const meetings = await getJson(park.context, `/api/v1/match-events/${id}/meetings`);
  assert.equal(meetings.length, 1);
  assert.equal(meetings[0].demand_id, demand.id, 'the sign-up\'s demand is discussed');
  assert.equal(clean(await park.page.locator('table.meetings tr[data-meeting] .badge').first().textContent()), zh('meeting-status-scheduled'));
  await screenshot(park.page, 'm3-3-meeting-booked');

  // Once the meeting has begun, the lender records the outcome with the amount in yuan.
  const wait = startsAt.getTime() + 1_000 - Date.now();
  if (wait > 0) await new Promise((resolveWait) => setTimeout(resolveWait, wait));
  await lender.page.goto(`/match-events/${id}`);
  const outcome = lender.page.locator('form.outcome-form');
  await outcome.locator('select[name="outcome"]').selectOption('term_sheet');
  await outcome.locator('input[name="amount_yuan"]').fill('1,234,567.89');
  await outcome.locator('textarea[name="note"]').fill('拟授信，待尽调');
  await submit(lender.page, outcome, /\?done=recorded$/);
  assert.equal(clean(await lender.page.locator('table.meetings .outcome').textContent()), zh('meeting-outcome-term_sheet'));
  assert.equal(clean(await lender.page.locator('table.meetings .intended-amount').textContent()), yuan(123_456_789));
  const recorded = await getJson(lender.context, `/api/v1/match-events/${id}/meetings`);
  assert.equal(recorded[0].intended_amount_fen, 123_456_789, '1,234,567.89 yuan should be exactly 123456789 fen');
  assert.equal(recorded[0].status, 'held');
  await screenshot(lender.page, 'm3-4-outcome-recorded');

  // The park marks the event held and reads the report.
  await park.page.goto(`/match-events/${id}`);
  await submit(park.page, park.page.locator('form.held-form'), /\?done=held$/);
  assert.equal(clean(await park.page.locator('.page-head .badge').textContent()), zh('event-status-held'));
  const report = await getJson(park.context, `/api/v1/match-events/${id}/report`);
  assert.equal(report.intended_amount_fen, 123_456_789);
  assert.equal(clean(await park.page.locator('.report-held').textContent()), String(report.meetings_held));
  assert.equal(report.meetings_held, 1);
  assert.equal(clean(await park.page.locator('.report-intended').textContent()), yuan(123_456_789));
  const counted = (kind) => park.page.locator(`table.report-signups tr[data-kind="${kind}"] td`).nth(1).textContent();
  assert.equal(clean(await counted('lender')), '1');
  assert.equal(clean(await counted('enterprise')), '1');
  const termSheets = park.page.locator('table.report-outcomes tr[data-outcome="term_sheet"] td');
  assert.equal(clean(await termSheets.nth(1).textContent()), '1');
  assert.equal(clean(await termSheets.nth(2).textContent()), yuan(123_456_789));
  await screenshot(park.page, 'm3-5-event-report');
});
