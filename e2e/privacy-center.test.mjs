// Browser test of the privacy center in Debian's Chromium (playwright-core drives it; no browser
// download). Starts `xiezhi serve examples/project`, then, as a user arriving from the app:
//   - switches personalised recommendations off in the page → the decision API denies at once;
//   - deletes a tag → it is gone from the API and cannot be registered again;
//   - files a deletion request → it is listed for admins;
//   - reaches the processing rules in one click;
//   - runs axe-core on the center and the rules page: no serious or critical violation;
//   - saves screenshots (zh-CN and en, desktop and phone widths) to e2e/out/.
//
//   XIEZHI_BIN=target/release/xiezhi node e2e/privacy-center.test.mjs
// Env: CHROMIUM (default /usr/bin/chromium), PORT (default 18520).

import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const require = createRequire(import.meta.url);
const bin = process.env.XIEZHI_BIN || join(root, 'target/release/xiezhi');
const port = Number(process.env.PORT || 18520);
const base = `http://127.0.0.1:${port}`;
const out = join(here, 'out');
mkdirSync(out, { recursive: true });

const data = mkdtempSync(join(tmpdir(), 'xz-e2e-'));
const server = spawn(bin, ['serve', join(root, 'examples/project'), '--data-dir', data,
  '--listen', `127.0.0.1:${port}`, '--no-webhooks'], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, XIEZHI_LOG: 'warn' } });
let serverLog = '';
server.stderr.on('data', (d) => { serverLog += d; });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function waitUp() {
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) return; } catch { /* not yet */ }
    await sleep(100);
  }
  throw new Error(`server did not start:\n${serverLog}`);
}

let failures = 0;
async function test(name, fn) {
  try {
    await fn();
    console.log(`ok - ${name}`);
  } catch (e) {
    failures++;
    console.log(`not ok - ${name}\n  ${String(e && e.stack || e).split('\n').join('\n  ')}`);
  }
}

let browser;
try {
  await waitUp();
  const key = readFileSync(join(data, 'admin.key'), 'utf8').trim();
  const token = (subject) => execFileSync(bin, ['token', 'issue', subject, '--secret-file', join(data, 'user-token.secret'), '--ttl', '1h']).toString().trim();
  const api = async (method, path, body) => {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, body: await r.json().catch(() => null) };
  };
  const decide = async (subject, checks) => (await api('POST', '/v1/decisions', { subject, checks })).body.results;

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  async function axe(page) {
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(async () => await globalThis.axe.run());
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  }

  await api('PUT', '/v1/subjects/e2e-user/tags/interest:football', { label: '足球爱好者', source: 'recsys-v3', personal: true });
  await api('POST', '/v1/subjects/e2e-user/consents', { purpose: 'recommend', status: 'granted', channel: 'app-signup' });

  // bypassCSP lets the test inject axe-core; the pages themselves run only /privacy/enhance.js.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', bypassCSP: true });
  const page = await context.newPage();

  await test('the user arrives with a token link; the token leaves the address bar', async () => {
    await page.goto(`${base}/privacy?token=${token('e2e-user')}`);
    assert.equal(new URL(page.url()).searchParams.get('token'), null);
    assert.equal(await page.locator('h1').innerText(), '隐私中心');
    await page.screenshot({ path: join(out, 'center-zh-desktop.png'), fullPage: true });
  });

  await test('switching recommendations off in the page makes the decision API deny personalize at once', async () => {
    assert.equal((await decide('e2e-user', [{ action: 'personalize' }]))[0].allow, true);
    // With JavaScript the switch saves in place: no page load, the section is swapped.
    assert.equal(await page.getAttribute('html', 'data-enhanced'), 'true');
    await page.evaluate(() => { globalThis.__samePage = true; });
    await page.click('#rec-toggle');
    await page.locator('#rec-status', { hasText: '已关闭' }).waitFor();
    assert.equal(await page.evaluate(() => globalThis.__samePage), true, 'saved without reloading the page');
    assert.match(await page.locator('#enhance-status').innerText(), /已保存/);
    assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'rec-toggle', 'focus stays on the switch');
    const [r] = await decide('e2e-user', [{ action: 'personalize' }]);
    assert.equal(r.allow, false);
    assert.equal(r.reason, 'recommendation_off');
  });

  await test('deleting a tag removes it from the API, and the platform cannot add it again', async () => {
    await page.click('button[aria-label="删除 足球爱好者"]');
    await page.locator('li[data-tag="interest:football"]').waitFor({ state: 'detached' });
    const [r] = await decide('e2e-user', [{ action: 'use_tag', tag: 'interest:football' }]);
    assert.equal(r.reason, 'tag_deleted');
    const again = await api('PUT', '/v1/subjects/e2e-user/tags/interest:football', { label: '足球爱好者', source: 'recsys-v3' });
    assert.equal(again.status, 409);
  });

  await test('without JavaScript the switches still work (plain forms)', async () => {
    const nojs = await browser.newContext({ javaScriptEnabled: false, locale: 'zh-CN', bypassCSP: true });
    const p = await nojs.newPage();
    await p.goto(`${base}/privacy?token=${token('e2e-nojs')}`);
    assert.equal(await p.getAttribute('html', 'data-enhanced'), null);
    await Promise.all([p.waitForURL(/saved=1/), p.click('#rec-toggle')]);
    assert.match(await p.locator('#rec-status').innerText(), /已关闭/);
    assert.equal((await decide('e2e-nojs', [{ action: 'personalize' }]))[0].reason, 'recommendation_off');
    await Promise.all([p.waitForURL(/saved=1/), p.click('button[aria-label="拒绝 短信 营销推广"]')]);
    assert.equal((await decide('e2e-nojs', [{ action: 'push', channel: 'sms', category: 'marketing' }]))[0].allow, false);
    await nojs.close();
  });

  await test('a deletion request filed in the page is listed for admins', async () => {
    await page.selectOption('#rights-kind', 'delete');
    await page.fill('#rights-details', '请删除我的浏览记录');
    await Promise.all([page.waitForURL(/saved=1/), page.click('#rights-submit')]);
    const list = await api('GET', '/v1/admin/rights-requests');
    assert.equal(list.status, 200);
    const mine = list.body.filter((r) => r.subject === 'e2e-user' && r.kind === 'delete');
    assert.equal(mine.length, 1);
    assert.equal(mine[0].state, 'identity_verified'); // the signed user token verified the requester
    // A due date in 15 working days, or (past the calendar's last year) the reason there is none.
    assert.equal(mine[0].due_rule, '15 working days');
    assert.ok(mine[0].due_date ? /^\d{4}-\d{2}-\d{2}$/.test(mine[0].due_date) : /calendar/.test(mine[0].due_error));
    // And on the admin page, signed in with the admin key.
    const admin = await browser.newContext({ bypassCSP: true });
    const ap = await admin.newPage();
    await ap.goto(`${base}/admin`);
    await ap.fill('#key', key);
    await Promise.all([ap.waitForURL(`${base}/admin`), ap.click('button[type=submit]')]);
    assert.equal(await ap.locator(`tr[data-request="${mine[0].id}"]`).count(), 1);
    assert.deepEqual((await axe(ap)).map((x) => `${x.id}: ${x.help}`), []);
    await ap.screenshot({ path: join(out, 'admin.png'), fullPage: true });
    await admin.close();
  });

  await test('the identity verification page is usable and accessible', async () => {
    const filed = await api('POST', '/v1/admin/rights-requests', { subject: 'e2e-phone-caller', kind: 'cancel_account' });
    assert.equal(filed.status, 200);
    const vctx = await browser.newContext({ locale: 'zh-CN', bypassCSP: true });
    const vp = await vctx.newPage();
    await vp.goto(`${base}/privacy/verify?request=${filed.body.id}`);
    assert.equal(await vp.locator('h1').innerText(), '核验身份');
    await vp.fill('#code', '123456');
    await vp.click('#verify-submit');
    // No verification was started for this request: the page says so, in an alert.
    assert.ok((await vp.locator('#verify-result[role=alert]').count()) === 1);
    assert.deepEqual((await axe(vp)).map((x) => `${x.id}: ${x.help}`), []);
    await vp.screenshot({ path: join(out, 'verify-zh.png'), fullPage: true });
    await vctx.close();
  });

  await test('the center has no serious or critical accessibility violation (axe-core)', async () => {
    const v = await axe(page);
    assert.deepEqual(v.map((x) => `${x.id}: ${x.help}`), []);
  });

  await test('the processing rules are one click away, and accessible', async () => {
    await Promise.all([page.waitForURL(/\/privacy\/rules/), page.click('#rules-link')]);
    assert.match(await page.locator('h1').innerText(), /个人信息处理规则$/);
    // The rules rendered from the data map: the collected-PI and third-party sharing lists.
    assert.ok((await page.locator('table').count()) >= 2);
    const v = await axe(page);
    assert.deepEqual(v.map((x) => `${x.id}: ${x.help}`), []);
    await page.screenshot({ path: join(out, 'rules-zh-desktop.png'), fullPage: true });
  });

  await test('English and phone widths render (screenshots saved)', async () => {
    await page.goto(`${base}/privacy?lang=en`);
    assert.equal(await page.locator('h1').innerText(), 'Privacy center');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.screenshot({ path: join(out, 'center-en-desktop.png'), fullPage: true });
    const v = await axe(page);
    assert.deepEqual(v.map((x) => `${x.id}: ${x.help}`), []);
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', bypassCSP: true });
    const p2 = await phone.newPage();
    await p2.goto(`${base}/privacy?token=${token('e2e-phone')}`);
    assert.equal(await p2.locator('h1').innerText(), '隐私中心');
    await p2.screenshot({ path: join(out, 'center-zh-phone.png'), fullPage: true });
    const width = await p2.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no horizontal scrolling on a phone (scrollWidth ${width})`);
    await p2.goto(`${base}/privacy?lang=en`);
    await p2.screenshot({ path: join(out, 'center-en-phone.png'), fullPage: true });
    await phone.close();
  });
} catch (e) {
  failures++;
  console.log(`not ok - setup\n  ${e && e.stack || e}`);
} finally {
  if (browser) await browser.close();
  server.kill('SIGTERM');
  await sleep(300);
  rmSync(data, { recursive: true, force: true });
}
console.log(failures === 0 ? 'privacy center e2e: PASS' : `privacy center e2e: ${failures} FAILED`);
process.exit(failures === 0 ? 0 : 1);
