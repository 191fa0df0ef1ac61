#!/usr/bin/env node
// Sinergi browser tests: plain Node + playwright-core driving Debian's headless Chromium.
//
//   SINERGI_BIN=target/debug/sinergi node e2e/run.mjs      (scripts/test does this)
//
// Starts `$SINERGI_BIN serve --demo --bind 127.0.0.1:PORT --data-dir TMP` (SINERGI_LOG=warn),
// waits for GET /healthz == 200, then, on a 360x800 phone viewport:
//   - a wrong password stays on /login and shows [data-testid=form-error];
//   - every Kota Serang demo role + the platform admin logs in (password sinergi-demo), lands on /
//     in Indonesian (lang=id, "Beranda", [data-testid=user-role]), switches to English and back
//     ([data-testid=lang-en] / [data-testid=lang-id]) and logs out ([data-testid=logout]);
//   - as the region admin, screenshots of the main pages and the reference search pages.
// Every response must be < 400 and no console error may be logged (favicon 404s excepted).
// Screenshots go to e2e/screenshots/. Prints PASS/FAIL lines; exits 1 on any failure.
//
// Optional env: CHROMIUM_PATH (default /usr/bin/chromium), E2E_KEEP_TMP=1 (keep e2e/tmp/run-*),
// E2E_ONLY=<journey> (needs, partners, agreements, pdf, meetings, csr, umkm, owner, programmes: that one only, for development).

import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SHOTS_DIR = path.join(HERE, 'screenshots');
const TMP_ROOT = path.join(HERE, 'tmp');
const BIN = path.resolve(process.env.SINERGI_BIN || path.join(HERE, '..', 'target', 'debug', 'sinergi'));
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage',
];
const PHONE = { width: 360, height: 800 };
const DESKTOP = { width: 1280, height: 800 };
const PASSWORD = 'sinergi-demo';
const HEALTH_TIMEOUT_MS = 60_000;
const STEP_TIMEOUT_MS = 15_000;
const NAV_TIMEOUT_MS = 30_000;
const GLOBAL_TIMEOUT_MS = 10 * 60_000;

const ROLES = [
  'region-admin@kota-serang.demo.sinergi.id',
  'agency-officer@kota-serang.demo.sinergi.id',
  'umkm-officer@kota-serang.demo.sinergi.id',
  'lab-officer@kota-serang.demo.sinergi.id',
  'partner@kota-serang.demo.sinergi.id',
  'umkm-owner@kota-serang.demo.sinergi.id',
  'viewer@kota-serang.demo.sinergi.id',
  'platform-admin@demo.sinergi.id',
];
const REGION_ADMIN = ROLES[0];

// Pages screenshotted as the region admin (Indonesian): [path, screenshot name, must contain].
const ADMIN_PAGES = [
  ['/agencies', 'agencies', null],
  ['/users', 'users', null],
  ['/audit', 'audit', null],
  ['/reference/regions?q=cikande', 'reference-regions', '36.04.15'],
  ['/reference/kbli?q=keripik', 'reference-kbli', '10794'],
  ['/account/password', 'account-password', null],
  ['/agencies/new', 'agency-new', 'Tambah Perangkat Daerah'],
  ['/users/new', 'user-new', 'Tambah Pengguna'],
  ['/tenants', 'tenants', '36.73'],
  ['/tenants/36.73', 'tenant-edit', 'Kota Serang'],
  ['/reference/regions?parent=36.04', 'reference-regions-browse', 'Cikande'],
  ['/api/docs', 'api-docs', '/api/v1/auth/token'],
  ['/cooperation/targets?year=2026', 'targets', 'Target Kinerja'],
  ['/partners', 'partners', 'Bank BJB'],
  ['/cooperation', 'dashboard', 'Berhenti di atas kertas'],
  ['/cooperation/agreements', 'agreements', 'Perjanjian'],
  ['/cooperation/needs?year=2026', 'needs-map-admin', 'Peta Kebutuhan Kerja Sama'],
];

// ---------------------------------------------------------------------------------------------
// Reporting

const failures = [];
let where = 'startup'; // label of the current step, for failures reported by event listeners
let screenshots = 0;
let rolesLoggedIn = 0;

function pass(msg) {
  console.log(`PASS ${msg}`);
}
function fail(msg) {
  if (failures.includes(msg)) return;
  failures.push(msg);
  console.log(`FAIL ${msg}`);
}
function note(msg) {
  console.log(`NOTE ${msg}`);
}
function check(cond, msg, detail = '') {
  if (cond) pass(msg);
  else fail(detail ? `${msg} -- ${detail}` : msg);
  return cond;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const firstLine = (e) => String(e?.message ?? e).split('\n')[0];

// ---------------------------------------------------------------------------------------------
// Server

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

let server = null; // { child, base, dataDir, runDir, log(), exited }

function tail(s, n = 8000) {
  return s.length > n ? `...\n${s.slice(-n)}` : s;
}

async function startServer() {
  if (!fs.existsSync(BIN)) throw new Error(`SINERGI_BIN not found: ${BIN} (run cargo build -p sinergi)`);
  fs.mkdirSync(TMP_ROOT, { recursive: true });
  const runDir = fs.mkdtempSync(path.join(TMP_ROOT, 'run-'));
  const dataDir = path.join(runDir, 'data');
  fs.mkdirSync(dataDir);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const args = ['serve', '--demo', '--bind', `127.0.0.1:${port}`, '--data-dir', dataDir];
  console.log(`e2e: starting ${BIN} ${args.join(' ')}`);

  const logFile = fs.createWriteStream(path.join(runDir, 'server.log'));
  let output = '';
  const child = spawn(BIN, args, {
    env: { ...process.env, SINERGI_LOG: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const s = { child, base, dataDir, runDir, exited: null, log: () => output };
  const collect = (chunk) => {
    output = tail(output + chunk.toString(), 64_000);
    logFile.write(chunk);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  child.on('error', (e) => { s.exited = { error: e }; });
  child.on('exit', (code, signal) => { s.exited = { code, signal }; logFile.end(); });
  server = s;

  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  for (;;) {
    if (s.exited) {
      throw new Error(`server exited before becoming healthy (${JSON.stringify(s.exited.error?.message ?? s.exited)}); its output follows at the end`);
    }
    try {
      const r = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (r.status === 200) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      throw new Error(`GET /healthz did not answer 200 within ${HEALTH_TIMEOUT_MS / 1000} s; the server's output follows at the end`);
    }
    await sleep(250);
  }
  pass(`server healthy at ${base} (GET /healthz 200)`);
  return s;
}

async function stopServer() {
  const s = server;
  if (!s || s.exited) return;
  s.child.kill('SIGTERM');
  const deadline = Date.now() + 10_000;
  while (!s.exited && Date.now() < deadline) await sleep(100);
  if (!s.exited) {
    note('server did not exit within 10 s of SIGTERM; killing it');
    s.child.kill('SIGKILL');
    while (!s.exited) await sleep(50);
  }
}

// Last-resort cleanup if we die unexpectedly (exceptions, Ctrl-C, global timeout).
process.on('exit', () => {
  if (server && !server.exited) server.child.kill('SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    console.log(`e2e: ${sig}, stopping`);
    process.exit(130);
  });
}
setTimeout(() => {
  console.log(`FAIL e2e did not finish within ${GLOBAL_TIMEOUT_MS / 60_000} minutes`);
  process.exit(1);
}, GLOBAL_TIMEOUT_MS).unref();

// ---------------------------------------------------------------------------------------------
// Browser helpers

// Status codes allowed for the current step (the failed-login check may answer 4xx).
let allowedStatuses = new Set();

function watchContext(context, base) {
  const origin = new URL(base).host;
  const isFavicon = (url) => /favicon/i.test(url || '');
  const isExternal = (url) => {
    let u;
    try { u = new URL(url); } catch { return false; }
    return ['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol) && u.host !== origin;
  };
  context.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const url = msg.location()?.url || '';
    const text = msg.text();
    if (isFavicon(url) || isFavicon(text)) return;
    // "Failed to load resource: ..." duplicates what the response/requestfailed listeners
    // below already report (with the URL and the allowed-status logic).
    if (text.startsWith('Failed to load resource:')) return;
    fail(`${where}: console error: ${text}${url ? ` (${url})` : ''}`);
  });
  context.on('weberror', (err) => {
    fail(`${where}: uncaught page error: ${firstLine(err.error())}`);
  });
  context.on('response', (resp) => {
    const status = resp.status();
    if (status < 400 || isFavicon(resp.url()) || allowedStatuses.has(status)) return;
    fail(`${where}: HTTP ${status} for ${resp.request().method()} ${resp.url()}`);
  });
  context.on('requestfailed', (req) => {
    const err = req.failure()?.errorText || 'failed';
    if (err === 'net::ERR_ABORTED' || isFavicon(req.url())) return; // superseded by a navigation
    if (isExternal(req.url())) return; // reported by the 'request' listener
    fail(`${where}: request failed (${err}) for ${req.method()} ${req.url()}`);
  });
  context.on('request', (req) => {
    if (isExternal(req.url())) {
      fail(`${where}: page requested an external resource ${req.url()} (the app must work offline)`);
    }
  });
}

async function shot(page, name, opts = {}) {
  const file = path.join(SHOTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, ...opts });
  screenshots += 1;
  console.log(`     screenshot e2e/screenshots/${name}.png`);
}

async function failureShot(page, label) {
  try {
    const dir = path.join(SHOTS_DIR, 'failures');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${label.replace(/[^a-z0-9-]+/gi, '_')}.png`);
    await page.screenshot({ path: file, fullPage: true, timeout: 5000 });
    console.log(`     failure screenshot e2e/screenshots/failures/${path.basename(file)} (at ${page.url()})`);
  } catch { /* page may be gone */ }
}

async function pageText(page) {
  return page.evaluate(() => {
    const b = document.body;
    return `${document.title}\n${b ? b.innerText : ''}\n${b ? b.textContent : ''}`;
  });
}
const htmlLang = (page) => page.evaluate(() => document.documentElement.lang);
const pathname = (page) => new URL(page.url()).pathname;

async function goto(page, base, urlPath, label) {
  where = label;
  const resp = await page.goto(base + urlPath, { waitUntil: 'load' });
  const status = resp ? resp.status() : 0;
  // Same wording as the 'response' listener, so a failure is listed once.
  if (resp && status < 400) pass(`${label}: GET ${urlPath} -> ${status}`);
  else fail(`${label}: HTTP ${status} for GET ${resp ? resp.url() : base + urlPath}`);
  return resp;
}

// Click the first *visible* match; if every match is hidden at this viewport (e.g. inside a
// collapsed menu), fall back to a DOM click so the form is still submitted, and say so.
async function press(page, selector) {
  const all = page.locator(selector);
  const n = await all.count();
  if (n === 0) throw new Error(`${selector} not found on ${page.url()}`);
  for (let i = 0; i < n; i++) {
    if (await all.nth(i).isVisible()) {
      // A click that submits waits for the response to begin: allow as long as a navigation.
      await all.nth(i).click({ timeout: NAV_TIMEOUT_MS });
      return;
    }
  }
  note(`${where}: ${selector} is not visible at ${page.viewportSize()?.width}px; clicking it via the DOM`);
  await all.first().evaluate((el) => el.click());
}

// Click something that submits a form which reloads the same URL (e.g. /language -> back to /).
async function pressAndWaitForLoad(page, selector) {
  const [resp] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load', timeout: NAV_TIMEOUT_MS }),
    press(page, selector),
  ]);
  return resp;
}

async function formErrorText(page) {
  const loc = page.locator('[data-testid=form-error]').first();
  return (await loc.count()) ? (await loc.innerText()).trim() : '';
}

// ---------------------------------------------------------------------------------------------
// Scenarios

async function freshPage(context, current) {
  if (current) await current.close().catch(() => {});
  await context.clearCookies();
  const page = await context.newPage();
  await page.setViewportSize(PHONE);
  return page;
}

async function wrongPassword(context, base) {
  const label = 'wrong-password';
  const page = await freshPage(context, null);
  try {
    await goto(page, base, '/login', label);
    await page.fill('input[name=email]', REGION_ADMIN);
    await page.fill('input[name=password]', 'definitely-not-the-password');
    allowedStatuses = new Set([400, 401, 403, 422]);
    await pressAndWaitForLoad(page, 'form:has(input[name=email]) button[type=submit]');
    const err = page.locator('[data-testid=form-error]').first();
    const visible = await err.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS }).then(() => true, () => false);
    check(visible, `${label}: [data-testid=form-error] visible`, visible ? '' : `not visible at ${page.url()}`);
    if (visible) console.log(`     error text: ${JSON.stringify(await formErrorText(page))}`);
    check(pathname(page) === '/login', `${label}: stays on /login`, `got ${page.url()}`);
    check(await page.locator('[data-testid=user-role]').count() === 0, `${label}: not logged in`);
  } catch (e) {
    fail(`${label}: ${firstLine(e)}`);
    await failureShot(page, label);
  } finally {
    allowedStatuses = new Set();
    await page.close().catch(() => {});
  }
}

async function roleFlow(context, base, email, first) {
  const role = email.split('@')[0];
  let page = await freshPage(context, null);
  try {
    // 1. login page, Indonesian
    await goto(page, base, '/login', `${role} /login`);
    check(await htmlLang(page) === 'id', `${role}: /login has <html lang="id">`, `lang=${JSON.stringify(await htmlLang(page))}`);
    check((await pageText(page)).includes('Masuk'), `${role}: /login contains "Masuk"`);
    if (first) await shot(page, 'login-id');

    // 2. log in -> /
    where = `${role} login`;
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', PASSWORD);
    await press(page, 'form:has(input[name=email]) button[type=submit]');
    try {
      await page.waitForURL((u) => u.pathname === '/', { timeout: STEP_TIMEOUT_MS, waitUntil: 'load' });
    } catch {
      throw new Error(`login did not land on / (at ${page.url()}; form-error: ${JSON.stringify(await formErrorText(page).catch(() => ''))})`);
    }
    rolesLoggedIn += 1;
    pass(`${role}: logged in, landed on /`);
    where = `${role} home (id)`;
    check(await htmlLang(page) === 'id', `${role}: home has lang=id`, `lang=${JSON.stringify(await htmlLang(page))}`);
    const roleEl = page.locator('[data-testid=user-role]').first();
    const roleVisible = await roleEl.waitFor({ state: 'visible', timeout: 5000 }).then(() => true, () => false);
    const roleText = roleVisible ? (await roleEl.innerText()).trim() : '';
    check(roleVisible && roleText !== '', `${role}: [data-testid=user-role] visible and non-empty (${JSON.stringify(roleText)})`);
    check((await pageText(page)).includes('Beranda'), `${role}: home contains "Beranda"`);
    await shot(page, `home-${role}-id`);

    // 3. English and back
    where = `${role} switch to en`;
    await pressAndWaitForLoad(page, '[data-testid=lang-en]');
    check(await htmlLang(page) === 'en', `${role}: after lang-en, lang=en`, `lang=${JSON.stringify(await htmlLang(page))} at ${page.url()}`);
    check((await pageText(page)).includes('Home'), `${role}: English page contains "Home"`);
    await shot(page, `home-${role}-en`);
    where = `${role} switch to id`;
    await pressAndWaitForLoad(page, '[data-testid=lang-id]');
    check(await htmlLang(page) === 'id', `${role}: after lang-id, lang=id again`, `lang=${JSON.stringify(await htmlLang(page))} at ${page.url()}`);

    // 4. region admin: desktop home + admin and reference pages (Indonesian)
    if (email === REGION_ADMIN) {
      await page.setViewportSize(DESKTOP);
      await goto(page, base, '/', `${role} home desktop`);
      await shot(page, `home-${role}-id-desktop`);
      await page.setViewportSize(PHONE);
      for (const [urlPath, name, mustContain] of ADMIN_PAGES) {
        const label = `${role} ${urlPath}`;
        try {
          await goto(page, base, urlPath, label);
          check(await htmlLang(page) === 'id', `${label}: lang=id`);
          if (mustContain) check((await pageText(page)).includes(mustContain), `${label}: contains "${mustContain}"`);
          await shot(page, `${name}-id`);
        } catch (e) {
          fail(`${label}: ${firstLine(e)}`);
          await failureShot(page, `${role}-${name}`);
        }
      }
      await goto(page, base, '/', `${role} home`);
    }

    // 5. log out -> /login
    where = `${role} logout`;
    await press(page, '[data-testid=logout]');
    try {
      await page.waitForURL((u) => u.pathname === '/login', { timeout: STEP_TIMEOUT_MS, waitUntil: 'load' });
      pass(`${role}: logged out, landed on /login`);
    } catch {
      fail(`${role}: logout did not land on /login (at ${page.url()})`);
    }
  } catch (e) {
    fail(`${where}: ${firstLine(e)}`);
    await failureShot(page, role);
  } finally {
    await page.close().catch(() => {});
    page = null;
  }
}

// An agency officer (Kota Serang, Dinas Lingkungan Hidup) registers three priority needs and
// is refused a fourth, in Indonesian, with nothing saved.
async function needsJourney(context, base) {
  const label = 'needs journey';
  const email = 'agency-officer@kota-serang.demo.sinergi.id';
  const page = await freshPage(context, null);
  try {
    where = `${label} login`;
    await goto(page, base, '/login', label);
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', PASSWORD);
    await press(page, 'form:has(input[name=email]) button[type=submit]');
    await page.waitForURL((u) => u.pathname === '/', { timeout: STEP_TIMEOUT_MS, waitUntil: 'load' });
    const titles = ['Uji kualitas air Sungai Cibanten', 'Pengolahan sampah pasar', 'Penghijauan bantaran sungai', 'Kampanye kurangi plastik'];
    for (const [i, title] of titles.entries()) {
      where = `${label} need ${i + 1}`;
      await goto(page, base, '/cooperation/needs/new', `${label} form ${i + 1}`);
      if (i === 0) await shot(page, 'need-new-id');
      await page.fill('input[name=title]', title);
      await page.fill('textarea[name=problem]', 'Kualitas lingkungan belum terpantau rutin.');
      await page.selectOption('select[name=urusan]', '2.11');
      await page.selectOption('select[name=partner_kind]', 'university');
      await page.fill('textarea[name=expected_benefit]', 'Data lingkungan untuk kebijakan.');
      await page.selectOption('select[name=priority_rank]', String(Math.min(i + 1, 3)));
      if (i < 3) {
        await pressAndWaitForLoad(page, 'main form button[type=submit]');
        check(pathname(page).startsWith('/cooperation/needs/'), `${label}: priority need ${i + 1} saved`, `at ${page.url()}`);
        check((await pageText(page)).includes(title), `${label}: need page shows "${title}"`);
        if (i === 0) await shot(page, 'need-id');
      } else {
        allowedStatuses = new Set([422]);
        await pressAndWaitForLoad(page, 'main form button[type=submit]');
        allowedStatuses = new Set();
        const err = await formErrorText(page);
        check(err.includes('tiga kebutuhan prioritas'), `${label}: the fourth priority is refused in Indonesian`, JSON.stringify(err));
        await shot(page, 'need-fourth-refused-id');
      }
    }
    await goto(page, base, '/cooperation/needs?year=2026', `${label} map`);
    const text = await pageText(page);
    check(text.includes('3/3') && !text.includes('Kampanye kurangi plastik'), `${label}: the map shows 3/3 priorities and no fourth`);
    await shot(page, 'needs-map-id');
  } catch (e) {
    fail(`${where}: ${firstLine(e)}`);
    await failureShot(page, 'needs-journey');
  } finally {
    allowedStatuses = new Set();
    await page.close().catch(() => {});
  }
}

// A region admin enters a partner that is already in the registry, is warned, opens the
// existing one instead, and adds a contact whose phone is shown whole only to officers.
async function partnersJourney(context, base) {
  const label = 'partners journey';
  const page = await freshPage(context, null);
  try {
    where = `${label} login`;
    await goto(page, base, '/login', label);
    await page.fill('input[name=email]', REGION_ADMIN);
    await page.fill('input[name=password]', PASSWORD);
    await press(page, 'form:has(input[name=email]) button[type=submit]');
    await page.waitForURL((u) => u.pathname === '/', { timeout: STEP_TIMEOUT_MS, waitUntil: 'load' });
    where = `${label} duplicate`;
    await goto(page, base, '/partners/new', `${label} form`);
    await page.selectOption('select[name=kind]', 'bank');
    await page.fill('input[name=name]', 'Bank BJB');
    allowedStatuses = new Set([422]);
    await pressAndWaitForLoad(page, 'main form button[type=submit]');
    allowedStatuses = new Set();
    const warning = page.locator('[data-testid=duplicate-warning]');
    check(await warning.isVisible(), `${label}: a look-alike partner is flagged before saving`);
    await shot(page, 'partner-duplicate-id');
    await pressAndWaitForLoad(page, '[data-testid=duplicate-warning] a');
    check((await pageText(page)).includes('Pemimpin Cabang Serang'), `${label}: the existing partner opens with its contacts`);
    await shot(page, 'partner-id');
  } catch (e) {
    fail(`${where}: ${firstLine(e)}`);
    await failureShot(page, 'partners-journey');
  } finally {
    allowedStatuses = new Set();
    await page.close().catch(() => {});
  }
}

async function loginAs(page, base, email, label) {
  await goto(page, base, '/login', label);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', PASSWORD);
  await press(page, 'form:has(input[name=email]) button[type=submit]');
  await page.waitForURL((u) => u.pathname === '/', { timeout: STEP_TIMEOUT_MS, waitUntil: 'load' });
}

// Kota Serang's region admin turns the Labkesda need's match (Pemerintah Kabupaten Serang) into a
// draft KB, moves it to drafting the PKS (refused until the signing date is given), and writes an
// internal note. Kabupaten Serang's admin then sees the same agreement, without that note.
async function agreementsJourney(context, base) {
  const label = 'agreements journey';
  let page = await freshPage(context, null);
  try {
    where = `${label} login`;
    await loginAs(page, base, REGION_ADMIN, label);
    await goto(page, base, '/cooperation/needs?year=2026', `${label} needs`);
    await pressAndWaitForLoad(page, 'a:has-text("Layanan uji laboratorium")');
    where = `${label} draft`;
    const row = page.locator('[data-testid=candidates] tr', { hasText: 'Pemerintah Kabupaten Serang' });
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), row.locator('[data-testid=draft-kb]').click()]);
    check(pathname(page).startsWith('/cooperation/agreements/'), `${label}: a draft KB is created from the match`, page.url());
    const agreementUrl = new URL(page.url()).pathname;
    for (const stage of ['penawaran', 'penyusunan-kb', 'penandatanganan-kb']) {
      where = `${label} to ${stage}`;
      await page.selectOption('select[name=to]', stage);
      await pressAndWaitForLoad(page, '[data-testid=move-stage]');
    }
    where = `${label} unsigned`;
    await page.selectOption('select[name=to]', 'penyusunan-pks');
    allowedStatuses = new Set([422]);
    await pressAndWaitForLoad(page, '[data-testid=move-stage]');
    allowedStatuses = new Set();
    check((await formErrorText(page)).includes('tanggal penandatanganan KB'), `${label}: moving on without the KB's signing date is refused`, await formErrorText(page));
    await page.selectOption('select[name=to]', 'penyusunan-pks');
    await page.fill('input[name=kb_signed_on]', '2026-01-30');
    await page.fill('input[name=note]', 'Ditandatangani Wali Kota Serang dan Wakil Bupati Serang');
    await pressAndWaitForLoad(page, '[data-testid=move-stage]');
    check((await pageText(page)).includes('Penyusunan PKS'), `${label}: the KB moved to drafting the PKS`);
    where = `${label} details`;
    await pressAndWaitForLoad(page, '[data-testid=edit-agreement]');
    await page.fill('#starts_on', '2026-01-30');
    await page.fill('#ends_on', '2025-01-30');
    await page.fill('#signatory_name_0', 'Budi Rustandi');
    await page.fill('#signatory_position_0', 'Wali Kota Serang');
    await page.fill('#document_number_0', '000.7/03-KB/Huk/2026');
    await page.selectOption('#funding_source', 'shared');
    allowedStatuses = new Set([422]);
    await pressAndWaitForLoad(page, '[data-testid=save-agreement]');
    allowedStatuses = new Set();
    check((await pageText(page)).includes('Tanggal berakhir tidak boleh sebelum tanggal mulai'), `${label}: an end before the start is refused, naming the field`);
    check((await page.inputValue('#signatory_name_0')) === 'Budi Rustandi', `${label}: and what was typed is kept`);
    await shot(page, 'agreement-edit-id');
    await page.fill('#ends_on', '2031-01-30');
    await pressAndWaitForLoad(page, '[data-testid=save-agreement]');
    const facts = await pageText(page);
    check(facts.includes('Budi Rustandi, Wali Kota Serang') && facts.includes('000.7/03-KB/Huk/2026') && facts.includes('30 Januari 2031'), `${label}: signatory, number and term are on the agreement`);
    where = `${label} child pks`;
    await pressAndWaitForLoad(page, '[data-testid=draft-pks]');
    const pksText = await pageText(page);
    check(pksText.includes('Perjanjian Kerja Sama') && (await page.locator('[data-testid=parent]').count()) === 1, `${label}: a PKS is drafted as a child of the signed KB`);
    await shot(page, 'agreement-child-pks-id');
    await goto(page, base, agreementUrl, `${label} back to the KB`);
    where = `${label} outcome`;
    await goto(page, base, '/cooperation', `${label} dashboard before`);
    const padBefore = (await page.locator('[data-testid=total-pad-earned] .stat').innerText()).trim();
    // The demo's Labkesda already counts its retribution from Kabupaten Serang's industries
    // (issue 7) under the Kota–Kabupaten KB: this agreement's outcome adds to that figure.
    const rupiahOf = (t) => Number(t.replace(/[^0-9]/g, ''));
    check(/^Rp [0-9.]+$/.test(padBefore), `${label}: the PAD recorded so far`, padBefore);
    await goto(page, base, agreementUrl, `${label} back`);
    await page.fill('#atitle', 'Uji sampel air limbah industri Cikande');
    await page.fill('input[name=done_on]', '2026-11-20');
    await pressAndWaitForLoad(page, '[data-testid=add-activity]');
    await page.selectOption('select[name=kind]', 'pad-earned');
    await page.fill('input[name=value]', '15.000.000');
    await page.fill('input[name=period]', 'November 2026');
    await page.fill('input[name=evidence]', 'Bukti setor retribusi No. 118/LABKESDA/XI/2026');
    await page.fill('#otarget', '20.000.000');
    const pdf = (text) => Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`);
    await page.setInputFiles('#oevidence_file', { name: 'bukti-setor-retribusi.pdf', mimeType: 'application/pdf', buffer: pdf('Bukti setor 118') });
    await pressAndWaitForLoad(page, '[data-testid=add-outcome]');
    check((await pageText(page)).includes('Rp 15.000.000'), `${label}: the outcome is on the agreement`);
    check((await page.locator('[data-testid=evidence-link]', { hasText: 'bukti-setor-retribusi.pdf' }).count()) === 1, `${label}: the outcome's evidence file is kept with it`);
    check((await pageText(page)).includes('Target Rp 20.000.000'), `${label}: the outcome shows its target next to the value`);
    where = `${label} signed scan`;
    // A "scan" that is really text is refused by its content; the real PDF is kept with its checklist.
    await page.selectOption('#purpose', 'signed-kb');
    await page.setInputFiles('#dfile', { name: 'KB-ditandatangani.pdf', mimeType: 'application/pdf', buffer: Buffer.from('bukan PDF sebenarnya') });
    allowedStatuses = new Set([422]);
    await pressAndWaitForLoad(page, '[data-testid=upload-document]');
    allowedStatuses = new Set();
    check((await pageText(page)).includes('Jenis berkas tidak diterima'), `${label}: a file that is not a PDF or image is refused by its content`);
    await page.selectOption('#purpose', 'signed-kb');
    await page.setInputFiles('#dfile', { name: 'KB-ditandatangani.pdf', mimeType: 'application/pdf', buffer: pdf('KB 30 Januari 2026') });
    await page.check('form[action*="/documents?"] input[name=paraf]');
    await page.check('form[action*="/documents?"] input[name=materai]');
    await pressAndWaitForLoad(page, '[data-testid=upload-document]');
    const status = (await page.locator('[data-testid=checklist-status]').first().innerText()).trim();
    check(status === 'Belum: Stempel', `${label}: the signing checklist shows the missing stamp`, status);
    await shot(page, 'agreement-documents-id');
    await goto(page, base, '/cooperation', `${label} dashboard after`);
    const pad = page.locator('[data-testid=total-pad-earned]');
    const padAfter = (await pad.locator('.stat').innerText()).trim();
    check(rupiahOf(padAfter) === rupiahOf(padBefore) + 15_000_000, `${label}: the dashboard's PAD figure changed`, `${padBefore} -> ${padAfter}`);
    await pad.locator('summary').click();
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), pad.locator(`a[href="${agreementUrl}"]`).first().click()]);
    check(new URL(page.url()).pathname === agreementUrl, `${label}: the figure drills down to the agreement behind it`, page.url());
    await shot(page, 'dashboard-drilldown-id');
    where = `${label} evaluation`;
    await page.fill('#eperiod', '2026');
    for (const f of ['aim', 'timeliness', 'contribution', 'indicator', 'impact', 'relevance']) {
      await page.selectOption(`#score_${f}`, '4');
    }
    await page.selectOption('#recommendation', 'continue');
    await pressAndWaitForLoad(page, '[data-testid=add-evaluation]');
    const evaluation = await page.locator('[data-testid=evaluation]').first().innerText();
    check(evaluation.includes('Lanjutkan') && evaluation.includes('4 / 5'), `${label}: the monitoring and evaluation is recorded`, evaluation);
    await page.fill('textarea[name=body]', 'Catatan internal Kota Serang: tarif retribusi dibahas dengan Bapenda');
    await pressAndWaitForLoad(page, 'form[action$="/notes"] button[type=submit]');
    await shot(page, 'agreement-id');

    where = `${label} other side`;
    page = await freshPage(context, page);
    await loginAs(page, base, 'region-admin@kabupaten-serang.demo.sinergi.id', `${label} kabupaten`);
    await goto(page, base, agreementUrl, `${label} shared agreement`);
    const text = await pageText(page);
    check(text.includes('Layanan uji laboratorium') && text.includes('Penyusunan PKS'), `${label}: Kabupaten Serang sees the shared agreement and its stage`);
    check(!text.includes('tarif retribusi dibahas'), `${label}: but not Kota Serang's internal note`);
    check(text.includes('KB-ditandatangani.pdf'), `${label}: and the signed KB scan, which belongs to both sides`);
    await shot(page, 'agreement-shared-id');
  } catch (e) {
    fail(`${where}: ${firstLine(e)}`);
    await failureShot(page, 'agreements-journey');
  } finally {
    allowedStatuses = new Set();
    await page.close().catch(() => {});
  }
}

// Kota Serang's region admin sees the demo meeting's late follow-up flagged, records a meeting
// from the Kota–Kabupaten Serang KB (the form comes pre-linked to it), adds an attendee and an
// action item, marks the item done, and finds the meeting under the agreement's related meetings.
async function meetingsJourney(context, base) {
  const label = 'meetings journey';
  const page = await freshPage(context, null);
  try {
    where = `${label} login`;
    await loginAs(page, base, REGION_ADMIN, label);
    await goto(page, base, '/meetings', `${label} list`);
    let text = await pageText(page);
    check(text.includes('Pertemuan Wali Kota Serang') && text.includes('30 Januari 2026'), `${label}: the demo meeting is listed with its date`);
    check(await page.locator('[data-testid=overdue-flag]').first().isVisible(), `${label}: a late follow-up is flagged in the list`);
    await shot(page, 'meetings-id');
    await pressAndWaitForLoad(page, 'a:has-text("Pertemuan Wali Kota Serang")');
    check(await page.locator('[data-testid=action-items] tr.overdue').count() === 1, `${label}: the late follow-up is highlighted on the meeting`);
    await shot(page, 'meeting-demo-id');

    where = `${label} from the agreement`;
    await goto(page, base, '/cooperation/agreements', `${label} agreements`);
    await pressAndWaitForLoad(page, 'a:text-matches("^Kerja sama UMKM, industri")');
    const agreementUrl = new URL(page.url()).pathname;
    await pressAndWaitForLoad(page, '[data-testid=new-meeting]');
    check(pathname(page) === '/meetings/new', `${label}: "record a meeting" opens the form`, page.url());
    check(await page.locator('input[name=agreement_id]:checked').count() === 1, `${label}: the form comes linked to the agreement`);
    await shot(page, 'meeting-new-id');
    await page.fill('input[name=title]', 'Rapat teknis PKS layanan uji Labkesda');
    await page.fill('input[name=held_on]', '2026-11-20');
    await page.fill('input[name=place]', 'Ruang rapat Bagian Kerja Sama');
    await page.fill('textarea[name=agenda]', '1. Pasal tarif retribusi\n2. Jadwal penandatanganan PKS');
    await page.fill('textarea[name=decisions]', 'Draf PKS dikirim ke Kabupaten Serang\nTarif mengikuti Perda retribusi');
    await pressAndWaitForLoad(page, '[data-testid=save-meeting]');
    check(/^\/meetings\/[0-9a-f-]{36}$/.test(pathname(page)), `${label}: the meeting is saved`, page.url());

    where = `${label} attendee`;
    await page.locator('details:has([data-testid=add-attendee]) summary').click();
    await page.fill('input[name=name]', 'Hendra Gunawan');
    await page.fill('input[name=organisation]', 'Bagian Kerja Sama Kabupaten Serang');
    await pressAndWaitForLoad(page, '[data-testid=add-attendee]');
    check((await page.locator('[data-testid=attendees]').innerText()).includes('Hendra Gunawan'), `${label}: the attendee is listed`);

    where = `${label} action item`;
    await page.fill('input[name=item_title]', 'Kirim draf PKS ke Kabupaten Serang');
    await page.selectOption('select[name=owner_user_id]', { label: 'Rina Marlina — Bagian Kerja Sama' });
    await page.fill('input[name=due_on]', '2026-12-04');
    await pressAndWaitForLoad(page, '[data-testid=add-action-item]');
    const row = page.locator('[data-testid=action-items] tr', { hasText: 'Kirim draf PKS' });
    check((await row.innerText()).includes('Belum dimulai') && (await row.innerText()).includes('Rina Marlina'), `${label}: the action item is open, with its owner`);
    await shot(page, 'meeting-item-added-id');
    await row.locator('select[name=status]').selectOption('done');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), row.locator('[data-testid=set-status]').click()]);
    const done = page.locator('[data-testid=action-items] tr', { hasText: 'Kirim draf PKS' });
    check((await done.locator('[data-testid=item-status]').innerText()).trim() === 'Selesai', `${label}: the action item is marked done`);
    check(await done.locator('select[name=status]').count() === 0, `${label}: a done item offers no further move`);
    await shot(page, 'meeting-id');

    where = `${label} back on the agreement`;
    await goto(page, base, agreementUrl, `${label} agreement`);
    const related = page.locator('[data-testid=meetings]');
    text = await related.innerText();
    check(text.includes('Rapat teknis PKS layanan uji Labkesda') && text.includes('Pertemuan Wali Kota Serang'), `${label}: the agreement lists both meetings`);
    await goto(page, base, '/cooperation', `${label} dashboard`);
    check((await page.locator('[data-testid=overdue-actions]').innerText()).includes('Kajian kesiapan BUMD'), `${label}: the dashboard lists the late follow-up`);
    await shot(page, 'dashboard-overdue-actions-id');
  } catch (e) {
    fail(`${where}: ${firstLine(e)}`);
    await failureShot(page, 'meetings-journey');
  } finally {
    allowedStatuses = new Set();
    await page.close().catch(() => {});
  }
}

// The CSR flow of issue 4, on a phone: the DLH officer proposes a need with a photo; the region
// admin publishes it; Bank BJB's user pledges and reports the realisation with a photo; the
// officer asks for a revision, the company adds its BAST and submits again, the officer
// approves and publishes; the public page, without login, shows it with the right totals and
// nothing unpublished.
const CSR_TITLE = 'Taman baca dan RTH mini Sumur Pecung';
const DEMO_PHOTO = path.join(HERE, '..', 'crates', 'demo', 'assets', 'csr', 'rth-kasemen.jpg');
async function csrJourney(context, base) {
  const label = 'csr journey';
  let page = await freshPage(context, null);
  try {
    where = `${label} officer proposes`;
    await loginAs(page, base, 'agency-officer@kota-serang.demo.sinergi.id', label);
    await goto(page, base, '/csr', `${label} list`);
    await shot(page, 'csr-list-officer-id');
    await pressAndWaitForLoad(page, '[data-testid=new-csr-need]');
    await page.selectOption('select[name=category]', 'lingkungan-hidup');
    await page.fill('input[name=title]', CSR_TITLE);
    await page.fill('textarea[name=description]', 'Taman baca anak dan pohon peneduh di lahan milik Pemda.');
    await page.selectOption('select[name=location]', '36.73.01.1003');
    await page.fill('input[name=estimated_cost]', 'Rp 150.000.000');
    await page.fill('input[name=priority_programme]', 'RPJMD Misi 4: Serang hijau dan bersih');
    await page.setInputFiles('input[name=photo]', DEMO_PHOTO);
    await page.fill('input[name=photo_caption]', 'Lahan Pemda di Sumur Pecung');
    await shot(page, 'csr-need-new-id');
    await pressAndWaitForLoad(page, '[data-testid=save-csr-need]');
    check(/^\/csr\/needs\/[0-9a-f-]{36}$/.test(pathname(page)), `${label}: the need is saved`, page.url());
    const needUrl = pathname(page);
    check((await page.locator('[data-testid=need-status]').innerText()).trim() === 'Draf', `${label}: a new need is a draft`);
    check(await page.locator('[data-testid=move-published]').count() === 0, `${label}: the agency cannot publish its own need`);
    check(await page.locator('[data-testid=photos] img').count() === 1, `${label}: the photo is shown`);
    check((await page.locator('[data-testid=need-cost]').innerText()).includes('Rp 150.000.000'), `${label}: the cost reads Rp 150.000.000`);

    where = `${label} admin publishes`;
    page = await freshPage(context, page);
    await loginAs(page, base, REGION_ADMIN, label);
    await goto(page, base, needUrl, `${label} need as admin`);
    await pressAndWaitForLoad(page, '[data-testid=move-published]');
    check((await page.locator('[data-testid=need-status]').innerText()).trim() === 'Dipublikasikan', `${label}: the admin published the need`);
    await shot(page, 'csr-need-published-id');

    where = `${label} company pledges`;
    page = await freshPage(context, page);
    await loginAs(page, base, 'partner@kota-serang.demo.sinergi.id', label);
    await goto(page, base, '/csr/portal', `${label} portal`);
    let text = await pageText(page);
    check(text.includes('Bank BJB') && text.includes(CSR_TITLE), `${label}: the portal shows the company and the open need`);
    check(!text.includes('Penghijauan dan sarana kebersihan Kaligandu') || !text.includes('Serang Sosor'), `${label}: the portal shows no other company's pledge`);
    check((await page.locator('[data-testid=revision-comment]').count()) >= 1, `${label}: the demo revision request waits on the portal`);
    await shot(page, 'csr-portal-id');
    await pressAndWaitForLoad(page, `a:has-text("${CSR_TITLE}")`);
    await page.locator('[data-testid=pledge-form] summary').click();
    await page.fill('input[name=value]', '150.000.000');
    await page.selectOption('select[name=form]', 'cash');
    await page.fill('input[name=period_start]', '2026-01-01');
    await page.fill('input[name=period_end]', '2026-12-31');
    await pressAndWaitForLoad(page, '[data-testid=save-pledge]');
    check((await page.locator('[data-testid=need-status]').innerText()).trim() === 'Ada komitmen', `${label}: the need is pledged`);
    check((await page.locator('[data-testid=pledge-value]').innerText()).includes('Rp 150.000.000'), `${label}: the pledge value is shown`);

    where = `${label} company reports`;
    await pressAndWaitForLoad(page, '[data-testid=report-link]');
    await page.selectOption('select[name=window]', '2026-3');
    await page.fill('input[name=value]', '145.000.000');
    await page.fill('textarea[name=description]', 'Taman baca dibangun dan 30 pohon peneduh ditanam.');
    await page.setInputFiles('input[name=photo]', DEMO_PHOTO);
    await page.check('[data-testid=submit-now]');
    await shot(page, 'csr-report-form-id');
    await pressAndWaitForLoad(page, '[data-testid=save-report]');
    check((await page.locator('[data-testid=report-status]').first().innerText()).trim() === 'Diajukan', `${label}: the report is submitted`);

    where = `${label} officer asks for revision`;
    page = await freshPage(context, page);
    await loginAs(page, base, 'agency-officer@kota-serang.demo.sinergi.id', label);
    await goto(page, base, '/csr/reviews', `${label} reviews`);
    check((await pageText(page)).includes(CSR_TITLE), `${label}: the report waits in the officer's queue`);
    await shot(page, 'csr-reviews-id');
    await goto(page, base, needUrl, `${label} need as officer`);
    allowedStatuses = new Set([422]);
    await pressAndWaitForLoad(page, '[data-testid=review-revision-requested]');
    check((await pageText(page)).includes('Catatan tidak boleh kosong') || (await page.locator('.field-error').count()) > 0, `${label}: a revision request without a comment is refused`);
    allowedStatuses = new Set();
    await page.fill('textarea[name=comment]', 'Lampirkan BAST yang ditandatangani kedua pihak.');
    await pressAndWaitForLoad(page, '[data-testid=review-revision-requested]');
    check((await page.locator('[data-testid=report-status]').first().innerText()).trim() === 'Perlu perbaikan', `${label}: revision requested`);
    await shot(page, 'csr-need-revision-id');

    where = `${label} company revises`;
    page = await freshPage(context, page);
    await loginAs(page, base, 'partner@kota-serang.demo.sinergi.id', label);
    await goto(page, base, needUrl, `${label} need as company`);
    check((await page.locator('[data-testid=revision-comment]').innerText()).includes('Lampirkan BAST'), `${label}: the company reads the officer's comment`);
    await pressAndWaitForLoad(page, '[data-testid=edit-report]');
    await page.setInputFiles('input[name=bast]', DEMO_PHOTO);
    await page.check('[data-testid=submit-now]');
    await pressAndWaitForLoad(page, '[data-testid=save-report]');
    check((await page.locator('[data-testid=report-status]').first().innerText()).trim() === 'Diajukan', `${label}: the report is submitted again`);

    where = `${label} officer approves and publishes`;
    page = await freshPage(context, page);
    await loginAs(page, base, 'agency-officer@kota-serang.demo.sinergi.id', label);
    await goto(page, base, needUrl, `${label} need as officer again`);
    await pressAndWaitForLoad(page, '[data-testid=review-approved]');
    check((await page.locator('[data-testid=report-status]').first().innerText()).trim() === 'Disetujui', `${label}: the report is approved`);
    check((await page.locator('[data-testid=need-status]').innerText()).trim() === 'Berjalan', `${label}: the need is in progress`);
    await pressAndWaitForLoad(page, '[data-testid=review-published]');
    check((await page.locator('[data-testid=report-status]').first().innerText()).trim() === 'Dipublikasikan', `${label}: the report is published`);
    await shot(page, 'csr-need-id');
    await page.setViewportSize(DESKTOP);
    await shot(page, 'csr-need-desktop-id');
    await page.setViewportSize(PHONE);
    await pressAndWaitForLoad(page, '[data-testid=lang-en]');
    check((await pageText(page)).includes('Published'), `${label}: the need page speaks English`);
    await shot(page, 'csr-need-en');
    await pressAndWaitForLoad(page, '[data-testid=lang-id]');

    where = `${label} public page`;
    page = await freshPage(context, page);
    await goto(page, base, '/publik/kota-serang/csr', `${label} public page, no login`);
    text = await pageText(page);
    // The demo's published realisations (Rp 955.000.000) and this one (Rp 145.000.000).
    check((await page.locator('[data-testid=total-realised]').innerText()).includes('Rp 1.100.000.000'), `${label}: the public total is Rp 1.100.000.000`);
    check(text.includes(CSR_TITLE) && text.includes('Taman baca dibangun'), `${label}: the new realisation is public`);
    check(!text.includes('Posyandu ramah anak Cipocok Jaya'), `${label}: a draft need is not public`);
    check(!text.includes('Pendampingan pengajuan KUR'), `${label}: a report sent back for revision is not public`);
    check(!text.includes('Lampirkan BAST'), `${label}: the review comments are not public`);
    await shot(page, 'csr-public-id');
    await pressAndWaitForLoad(page, '[data-testid=chart-company] a:has-text("Bank BJB")');
    const shown = await page.locator('[data-testid=programme]').count();
    check(shown === 2 && (await page.locator('[data-testid=programmes]').innerText()).includes(CSR_TITLE), `${label}: the company's figure drills down to its two programmes`, `${shown} shown`);
    await shot(page, 'csr-public-drilldown-id');
    await goto(page, base, '/publik/kota-serang/csr?lang=en', `${label} public page in English`);
    check((await pageText(page)).includes('not reported') || (await pageText(page)).includes('Realised'), `${label}: the public page speaks English`);
    await shot(page, 'csr-public-en');
  } catch (e) {
    fail(`${where}: ${firstLine(e)}`);
    await failureShot(page, 'csr-journey');
  } finally {
    allowedStatuses = new Set();
    await page.close().catch(() => {});
  }
}

// Kabupaten Serang's UMKM officer imports the Dinas Koperasi register: changes one column's
// mapping, reads the per-row problems, downloads the rejected rows and commits. Then the DAK
// training participants and a field check list (registered phone numbers under other names,
// which the engine is unsure of) go in, and a review is merged and undone. Counts are the
// imports' own, so the journey holds whether or not the demo registry is already loaded.
const UMKM_OFFICER = 'umkm-officer@kabupaten-serang.demo.sinergi.id';
const UMKM_DIR = path.join(HERE, '..', 'demo', 'umkm');
const UMKM_CHECK_LIST = path.join(HERE, '..', 'crates', 'web', 'tests', 'fixtures', 'umkm-verifikasi.csv');

async function umkmUpload(page, base, label, file, source, year) {
  await goto(page, base, '/umkm/impor', `${label} upload form`);
  await page.setInputFiles('input[name=file]', file);
  await page.fill('input[name=source]', source);
  await page.fill('input[name=year]', year);
  await pressAndWaitForLoad(page, '[data-testid=upload]');
  check(/^\/umkm\/impor\/[0-9a-f-]{36}$/.test(pathname(page)), `${label}: ${path.basename(file)} uploaded to its preview`, page.url());
  return pathname(page);
}

async function umkmJourney(context, base) {
  const label = 'umkm journey';
  let page = await freshPage(context, null);
  try {
    where = `${label} login`;
    await loginAs(page, base, UMKM_OFFICER, label);
    await goto(page, base, '/umkm', `${label} registry`);
    await shot(page, 'umkm-list-before-id');

    where = `${label} register upload`;
    await goto(page, base, '/umkm/impor', `${label} upload form`);
    await shot(page, 'umkm-import-form-id');
    const register = await umkmUpload(page, base, label, path.join(UMKM_DIR, 'register-dinkop-2025.xlsx'), 'Dinas Koperasi', '2025');
    const count = async (id) => Number((await page.locator(`[data-testid=${id}]`).innerText()).replace(/\./g, '').trim());
    check(await count('count-rejected') === 5 && await count('count-accepted') === 47, `${label}: 47 accepted, 5 rejected`);
    await shot(page, 'umkm-import-preview-id');

    where = `${label} mapping`;
    const products = page.locator('select[aria-label="Jenis Produk"]');
    check(await products.inputValue() === 'products', `${label}: "Jenis Produk" is read as products`);
    await products.selectOption('skip');
    await pressAndWaitForLoad(page, '[data-testid=save-mapping]');
    check(pathname(page) === register, `${label}: the mapping is saved on the same page`);
    check(await page.locator('select[aria-label="Jenis Produk"]').inputValue() === 'skip', `${label}: "Jenis Produk" is now skipped`);
    await page.locator('select[aria-label="Jenis Produk"]').selectOption('products');
    await pressAndWaitForLoad(page, '[data-testid=save-mapping]');
    check(await page.locator('select[aria-label="Jenis Produk"]').inputValue() === 'products', `${label}: and read as products again`);

    where = `${label} problems`;
    const row25 = await page.locator('[data-testid=problem-rows] tr[data-row="25"]').first().innerText();
    const row36 = await page.locator('[data-testid=problem-rows] tr[data-row="36"]').first().innerText();
    check(row25.includes('wajib diisi'), `${label}: row 25 has no business name`, row25);
    check(row36.includes('kecamatan tidak dikenal'), `${label}: row 36's kecamatan is unknown`, row36);
    await page.locator('[data-testid=problem-rows] tr[data-row="36"]').first().scrollIntoViewIfNeeded();
    await shot(page, 'umkm-import-problems-id', { fullPage: false });

    where = `${label} rejected rows`;
    const href = await page.locator('[data-testid=rejected-download]').getAttribute('href');
    const resp = await page.request.get(new URL(href, base).toString());
    const body = await resp.body();
    check(resp.status() === 200 && (resp.headers()['content-type'] || '').includes('spreadsheetml'), `${label}: the rejected rows download as XLSX`);
    check(body.subarray(0, 2).toString() === 'PK' && body.length > 2000, `${label}: a real workbook (${body.length} bytes)`);

    where = `${label} commit`;
    await pressAndWaitForLoad(page, '[data-testid=commit]');
    check(await page.locator('[data-testid=import-summary]').count() === 1, `${label}: the register is imported`);
    check(await page.locator('[data-testid=commit]').count() === 0, `${label}: no second commit is offered`);
    check(await count('summary-rejected') === 5, `${label}: the summary counts 5 rejected rows`);
    await shot(page, 'umkm-import-done-id');

    where = `${label} training list`;
    await umkmUpload(page, base, label, path.join(UMKM_DIR, 'peserta-pelatihan-2024.csv'), 'Peserta Pelatihan DAK 2024', '2024');
    await pressAndWaitForLoad(page, '[data-testid=commit]');
    const linked = await count('summary-linked');
    const toReview = await count('summary-review');
    check(linked + toReview > 0, `${label}: the participants meet the register (${linked} linked, ${toReview} to review)`);

    where = `${label} check list`;
    await umkmUpload(page, base, label, UMKM_CHECK_LIST, 'Verifikasi Lapangan', '2025');
    await pressAndWaitForLoad(page, '[data-testid=commit]');
    const checkReview = await count('summary-review');

    // Which import leaves the unsure pairs depends on what the registry already holds (the
    // demo's 48,000 businesses, the model trained on them); the queue must hold some.
    await goto(page, base, '/umkm/tinjau', `${label} review queue`);
    check(await page.locator('[data-testid=open-review]').count() > 0,
      `${label}: unsure pairs are sent to review (${toReview} from the list, ${checkReview} from the check list)`);

    where = `${label} review`;
    await goto(page, base, '/umkm/tinjau', `${label} review queue`);
    await shot(page, 'umkm-reviews-id');
    await pressAndWaitForLoad(page, '[data-testid=open-review]');
    check(await page.locator('[data-testid=compare] tr.differs').count() > 0, `${label}: the differing fields are marked`);
    check(await page.locator('[data-testid=explanation]').count() === 1, `${label}: the explanation is shown`);
    await shot(page, 'umkm-review-id');
    await page.setViewportSize(DESKTOP);
    await shot(page, 'umkm-review-desktop-id');
    await page.setViewportSize(PHONE);
    await pressAndWaitForLoad(page, '[data-testid=merge]');
    check(/^\/umkm\/[0-9a-f-]{36}$/.test(pathname(page)), `${label}: the merge lands on the surviving business`, page.url());
    check(await page.locator('[data-testid=record]').count() >= 2, `${label}: the survivor holds both records`);
    await shot(page, 'umkm-business-merged-id');

    where = `${label} undo`;
    await pressAndWaitForLoad(page, '[data-testid=undo]');
    check((await pageText(page)).includes('diurungkan'), `${label}: the merge is undone`);
    await shot(page, 'umkm-business-undone-id');

    where = `${label} list and report`;
    await goto(page, base, '/umkm?source=Dinas+Koperasi', `${label} registry after import`);
    check((await page.locator('[data-testid=umkm-list] tbody tr').count()) > 0, `${label}: the registry lists the businesses`);
    await shot(page, 'umkm-list-id');
    await page.setViewportSize(DESKTOP);
    await shot(page, 'umkm-list-desktop-id', { fullPage: false });
    await page.setViewportSize(PHONE);
    await goto(page, base, '/umkm/naik-kelas?dari=2024&ke=2025', `${label} naik kelas`);
    await shot(page, 'umkm-naik-kelas-id');
    await pressAndWaitForLoad(page, '[data-testid=lang-en]');
    check((await pageText(page)).includes('Moving up a class'), `${label}: the report speaks English`);
    await pressAndWaitForLoad(page, '[data-testid=lang-id]');
  } catch (e) {
    fail(`${where}: ${firstLine(e)}`);
    await failureShot(page, 'umkm-journey');
  } finally {
    allowedStatuses = new Set();
    await page.close().catch(() => {});
  }
}

// Kabupaten Serang's UMKM owner (Maesaroh) finds another business of hers from the training
// list, claims it with her phone as evidence; the UMKM officer approves the claim; on her phone
// she corrects the profile (a bad phone number is refused, naming the field) and the business
// page shows the change as the owner's.
const UMKM_OWNER = 'umkm-owner@kabupaten-serang.demo.sinergi.id';

async function ownerJourney(context, base) {
  const label = 'owner journey';
  let page = await freshPage(context, null);
  try {
    where = `${label} login`;
    await loginAs(page, base, UMKM_OWNER, label);
    await goto(page, base, '/usaha-saya', `${label} my business`);
    check(await page.locator('[data-testid=owned]').count() === 1, `${label}: the demo owner holds one verified business`);
    await shot(page, 'umkm-mine-id');

    where = `${label} claim`;
    await page.fill('#q', 'Sate Bandeng Tanara');
    await pressAndWaitForLoad(page, '[data-testid=claim-search] button[type=submit]');
    const found = page.locator('[data-testid=claimable]').filter({ hasText: 'Sate Bandeng Tanara' }).first();
    check(await found.count() === 1, `${label}: the training list's business is found`);
    await found.locator('summary').click();
    await found.locator('input[name=phone]').fill('0817-0147-5922');
    await found.locator('textarea[name=note]').fill('Usaha sate bandeng milik keluarga kami.');
    await shot(page, 'umkm-claim-form-id');
    await found.locator('[data-testid=claim-submit]').click();
    await page.waitForLoadState('load');
    check((await pageText(page)).includes('Klaim terkirim'), `${label}: the claim is sent`);

    where = `${label} officer approves`;
    await page.context().clearCookies();
    await loginAs(page, base, UMKM_OFFICER, label);
    await goto(page, base, '/umkm/klaim', `${label} claims queue`);
    const claim = page.locator('[data-testid=claim]').filter({ hasText: 'Sate Bandeng Tanara' }).first();
    check((await claim.locator('[data-testid=phone-evidence]').innerText()).length > 0, `${label}: the phone evidence is shown`);
    await shot(page, 'umkm-claims-id');
    await claim.locator('[data-testid=approve]').click();
    await page.waitForLoadState('load');

    where = `${label} owner edits`;
    await page.context().clearCookies();
    await loginAs(page, base, UMKM_OWNER, label);
    await goto(page, base, '/usaha-saya', `${label} my business again`);
    check(await page.locator('[data-testid=owned]').count() === 2, `${label}: the approved business is hers`);
    await page.locator('[data-testid=owned]').filter({ hasText: 'Sate Bandeng Tanara' }).locator('[data-testid=edit-profile]').click();
    await page.waitForLoadState('load');
    const form = pathname(page);
    await page.fill('#phone', '0817');
    allowedStatuses = new Set([422]);
    await pressAndWaitForLoad(page, '[data-testid=save]');
    allowedStatuses = new Set();
    check(await page.locator('#phone-error').count() === 1, `${label}: a short phone number is refused at its field`);
    await shot(page, 'umkm-owner-form-error-id');
    await page.fill('#phone', '0817-0147-5922');
    await page.fill('#products', 'Sate bandeng, pepes bandeng, otak-otak');
    await page.fill('#sales', '45 jt');
    await pressAndWaitForLoad(page, '[data-testid=save]');
    check(pathname(page) === '/usaha-saya', `${label}: saved`, page.url());
    check((await pageText(page)).includes('Profil usaha tersimpan'), `${label}: the owner is told it is saved`);

    where = `${label} officer sees the owner's change`;
    await page.context().clearCookies();
    await loginAs(page, base, UMKM_OFFICER, label);
    await goto(page, base, `/umkm/${form.split('/')[2]}`, `${label} business page`);
    check(await page.locator('[data-testid=owner-edited]').count() === 1, `${label}: the business shows the owner's change`);
    await shot(page, 'umkm-business-owner-id');

    where = `${label} a business made by hand`;
    await goto(page, base, '/umkm/baru', `${label} new business form`);
    await page.fill('#name', 'Sate Bandeng Tanara');
    await page.fill('#phone', '0817-0147-5922');
    await page.selectOption('#desa', { label: 'Cerukcuk (Tanara)' });
    await pressAndWaitForLoad(page, '[data-testid=save]');
    check(await page.locator('[data-testid=duplicate-warning]').count() === 1, `${label}: the likely duplicate is shown before anything is written`);
    await shot(page, 'umkm-new-duplicate-id');
    await pressAndWaitForLoad(page, '[data-testid=add-to-existing]');
    check(/^\/umkm\/[0-9a-f-]{36}$/.test(pathname(page)), `${label}: the record joins the existing business`, page.url());
  } catch (e) {
    fail(`${where}: ${firstLine(e)}`);
    await failureShot(page, 'owner-journey');
  } finally {
    allowedStatuses = new Set();
    await page.close().catch(() => {});
  }
}

// Catalogue (issue 6, part 5) -----------------------------------------------------------------
// On a phone: Maesaroh adds a product with a photo and submits it; the UMKM officer sees the
// checklist refuse it (no P-IRT on record), records the permit, and curates it; anyone then
// finds it in the public catalogue by kecamatan and by words, with the WhatsApp link.
const CATALOGUE_PRODUCT = 'Emping Melinjo Balado';
const CATALOGUE_PHOTO = path.join(HERE, '..', 'crates', 'demo', 'assets', 'csr', 'klaster-pangan.jpg');
async function catalogueJourney(context, base) {
  const label = 'catalogue journey';
  let page = await freshPage(context, null);
  try {
    where = `${label} owner adds a product`;
    await loginAs(page, base, UMKM_OWNER, label);
    await goto(page, base, '/usaha-saya', `${label} my business`);
    await pressAndWaitForLoad(page, '[data-testid=my-products]');
    check(/\/usaha-saya\/[0-9a-f-]{36}\/produk$/.test(pathname(page)), `${label}: the owner's products page`, page.url());
    await shot(page, 'catalogue-mine-id');
    const summary = page.locator('details:has([data-testid=product-form]) > summary');
    if (!(await page.locator('[data-testid=product-form]').isVisible())) await summary.click();
    await page.fill('#name', CATALOGUE_PRODUCT);
    await page.selectOption('#category', 'makanan');
    await page.fill('#price', 'abc');
    await page.fill('#unit', 'bungkus 250 g');
    allowedStatuses = new Set([422]);
    await pressAndWaitForLoad(page, '[data-testid=save-product]');
    allowedStatuses = new Set();
    check(await page.locator('#price + .field-error, .field-error').count() > 0, `${label}: a bad price is refused at its field`);
    await shot(page, 'catalogue-form-error-id');
    await page.fill('#price', '27500');
    await page.fill('#capacity_per_month', '300');
    await page.fill('#composition', 'Melinjo, cabai, bawang, garam');
    await page.fill('#expiry', '6 bulan');
    await page.fill('#producer_address', 'Desa Tanara, Kec. Tanara, Kabupaten Serang');
    await pressAndWaitForLoad(page, '[data-testid=save-product]');
    check((await page.locator('[data-testid=product-name]').innerText()).includes(CATALOGUE_PRODUCT), `${label}: the product page`);
    const ownerProduct = pathname(page);
    const productId = ownerProduct.split('/').pop();
    await page.setInputFiles('#photo', CATALOGUE_PHOTO);
    await pressAndWaitForLoad(page, '[data-testid=upload-photo]');
    check(await page.locator('[data-testid=product-photo]').count() === 1, `${label}: the photo is on the product`);
    await pressAndWaitForLoad(page, '[data-testid=submit-product]');
    check((await page.locator('[data-testid=product-status]').innerText()).includes('Diajukan'), `${label}: submitted`);
    await shot(page, 'catalogue-owner-product-id');

    where = `${label} officer curates`;
    await page.context().clearCookies();
    await loginAs(page, base, UMKM_OFFICER, label);
    await goto(page, base, '/umkm/katalog?status=diajukan', `${label} the queue`);
    check((await pageText(page)).includes(CATALOGUE_PRODUCT), `${label}: the product is in the officer's queue`);
    await shot(page, 'catalogue-queue-id');
    await goto(page, base, `/umkm/katalog/${productId}`, `${label} product page`);
    await page.check('[data-testid=photo-ok]');
    allowedStatuses = new Set([422]);
    await pressAndWaitForLoad(page, '[data-testid=curate]');
    allowedStatuses = new Set();
    check(await page.locator('[data-testid=checklist-error]').count() === 1, `${label}: the checklist refuses a food product without P-IRT`);
    check((await pageText(page)).includes('P-IRT atau BPOM MD'), `${label}: and says why`);
    await shot(page, 'catalogue-checklist-id');
    // The owner brought the certificate: the officer records it on the business.
    const businessHref = await page.locator('a[href^="/umkm/"]').filter({ hasText: 'Keripik Emping Tanara' }).first().getAttribute('href');
    await goto(page, base, businessHref, `${label} business page`);
    await page.locator('details:has([data-testid=permit-form]) > summary').click();
    await page.selectOption('#permit-kind', 'pirt');
    await page.fill('#permit-number', '2063604010213-29');
    await page.fill('#permit-expires', '2029-12-31');
    await pressAndWaitForLoad(page, '[data-testid=add-permit]');
    await goto(page, base, `/umkm/katalog/${productId}`, `${label} product page again`);
    await page.check('[data-testid=photo-ok]');
    await pressAndWaitForLoad(page, '[data-testid=curate]');
    check((await page.locator('[data-testid=product-status]').innerText()).includes('Dikurasi'), `${label}: curated`);
    await shot(page, 'catalogue-curated-id');

    where = `${label} public catalogue`;
    await page.context().clearCookies();
    await goto(page, base, '/publik/kabupaten-serang/katalog', `${label} public catalogue`);
    await shot(page, 'catalogue-public-id');
    await page.selectOption('#kecamatan', '36.04.14');
    await page.fill('#q', 'balado');
    await pressAndWaitForLoad(page, '[data-testid=search-go]');
    const card = page.locator('[data-testid=product-card]').filter({ hasText: CATALOGUE_PRODUCT });
    check(await card.count() === 1, `${label}: found by kecamatan and words`);
    check((await card.innerText()).includes('Rp 27.500 / bungkus 250 g'), `${label}: the price per unit`);
    check(await card.locator('[data-testid=whatsapp]').count() === 1, `${label}: the WhatsApp link`);
    await shot(page, 'catalogue-public-search-id');
    await card.locator('h2 a').click();
    await page.waitForLoadState('load');
    check((await page.locator('[data-testid=product-name]').innerText()).includes(CATALOGUE_PRODUCT), `${label}: the public product page`);
    await shot(page, 'catalogue-public-product-id');
    await goto(page, base, '/publik/kabupaten-serang/galeri', `${label} galleries`);
    check((await pageText(page)).includes('Pusat Galeri UMKM Kabupaten Serang'), `${label}: the demo gallery`);
    await shot(page, 'catalogue-galleries-id');
    await goto(page, base, '/publik/kabupaten-serang/katalog?lang=en', `${label} English`);
    check((await pageText(page)).includes('UMKM catalogue'), `${label}: in English`);
    await shot(page, 'catalogue-public-en');
  } catch (e) {
    fail(`${where}: ${firstLine(e)}`);
    await failureShot(page, 'catalogue-journey');
  } finally {
    allowedStatuses = new Set();
    await page.close().catch(() => {});
  }
}

// The PDF links on the register, the needs map and an agreement page answer with a PDF file.
// A response check (status, content type, file name, "%PDF-" signature) rather than a look.
async function pdfDownloads(context, base) {
  const label = 'pdf downloads';
  const page = await freshPage(context, null);
  try {
    where = `${label} login`;
    await loginAs(page, base, REGION_ADMIN, label);
    const links = [];
    await goto(page, base, '/cooperation/agreements', `${label} register page`);
    links.push(['register', await page.locator('[data-testid=download-pdf]').getAttribute('href')]);
    await goto(page, base, '/cooperation/needs?year=2026', `${label} needs page`);
    links.push(['needs map', await page.locator('[data-testid=download-pdf]').getAttribute('href')]);
    await goto(page, base, '/cooperation/agreements', `${label} register page again`);
    await pressAndWaitForLoad(page, 'a:has-text("Bank Indonesia Banten")');
    const factSheet = page.locator('[data-testid=download-fact-sheet]');
    check((await factSheet.innerText()).includes('Unduh lembar fakta (PDF)'), `${label}: the agreement page offers its fact sheet`);
    links.push(['fact sheet', await factSheet.getAttribute('href')]);
    for (const [what, href] of links) {
      where = `${label} ${what}`;
      const resp = await page.request.get(new URL(href, base).toString());
      const body = await resp.body();
      const type = resp.headers()['content-type'] || '';
      const disposition = resp.headers()['content-disposition'] || '';
      check(resp.status() === 200 && type === 'application/pdf', `${label}: ${what} ${href} -> ${resp.status()} ${type}`);
      check(body.subarray(0, 5).toString() === '%PDF-' && body.length > 1000, `${label}: ${what} is a PDF file (${body.length} bytes)`);
      check(/attachment; filename=".+\.pdf"/.test(disposition), `${label}: ${what} downloads as a .pdf`, disposition);
    }
  } catch (e) {
    fail(`${where}: ${firstLine(e)}`);
    await failureShot(page, 'pdf-downloads');
  } finally {
    await page.close().catch(() => {});
  }
}

// A training wave end to end, on a phone: the UMKM officer creates a programme and a wave with
// 5 seats in each of 10 kecamatan and two sessions, imports 120 applicants through the
// registry's importer, runs the selection (50, never more than 5 from a kecamatan, every
// outcome explained), invites, checks participants in by invitation code and by name, issues
// certificates, downloads one, and anyone verifies it on the public page.
const WAVE_KECAMATAN = ['Bandung', 'Tanara', 'Cikande', 'Kibin', 'Kragilan', 'Jawilan', 'Kopo', 'Ciruas', 'Pontang', 'Carenang'];
const APPLICANTS_FILE = path.join(UMKM_DIR, 'pendaftar-pelatihan-gelombang-7.xlsx');

async function programmesJourney(context, base) {
  const label = 'programmes journey';
  let page = await freshPage(context, null);
  try {
    where = `${label} login`;
    await loginAs(page, base, UMKM_OFFICER, label);
    await goto(page, base, '/program', `${label} programmes`);
    await shot(page, 'programmes-id');

    where = `${label} new programme`;
    await press(page, '[data-testid=new-programme]');
    await page.waitForURL((u) => u.pathname === '/program/baru', { waitUntil: 'load' });
    await page.fill('#title', 'Pelatihan Kemasan dan Label UMKM');
    await page.selectOption('#funding', 'apbd');
    await pressAndWaitForLoad(page, '[data-testid=save-programme]');
    check(/^\/program\/[0-9a-f-]{36}$/.test(pathname(page)), `${label}: programme created`, page.url());

    where = `${label} new wave`;
    await press(page, '[data-testid=new-wave]');
    await page.waitForURL((u) => u.pathname.endsWith('/gelombang/baru'), { waitUntil: 'load' });
    await page.fill('#number', '1');
    await page.fill('#total', '50');
    // A bad quota is refused with the kecamatan's field named, and nothing is written.
    await page.getByLabel('Bandung', { exact: true }).fill('lima');
    await page.selectOption('#max_class', '');
    await page.uncheck('input[name=requires_nib]');
    await page.fill('#day_0', '2026-12-14');
    await page.fill('#venue_0', 'Swiss-Belinn Modern Cikande');
    await page.fill('#day_1', '2026-12-15');
    await page.fill('#venue_1', 'Swiss-Belinn Modern Cikande');
    allowedStatuses = new Set([422]);
    await pressAndWaitForLoad(page, '[data-testid=save-wave]');
    allowedStatuses = new Set();
    check((await page.locator('[data-testid=quota-inputs] .field-error').count()) === 1, `${label}: a quota written in words is refused at its kecamatan`);
    await shot(page, 'wave-form-error-id');
    for (const k of WAVE_KECAMATAN) await page.getByLabel(k, { exact: true }).fill('5');
    await pressAndWaitForLoad(page, '[data-testid=save-wave]');
    check(/^\/program\/gelombang\/[0-9a-f-]{36}$/.test(pathname(page)), `${label}: wave created`, page.url());
    const wavePath = pathname(page);
    await pressAndWaitForLoad(page, '[data-testid=wave-to-open]');
    check((await page.locator('[data-testid=wave-status]').innerText()).includes('dibuka'), `${label}: applications open`);

    where = `${label} import applicants`;
    await press(page, '[data-testid=import-applicants]');
    await page.waitForURL((u) => u.pathname === '/umkm/impor', { waitUntil: 'load' });
    check(await page.locator('[data-testid=import-for-wave]').count() === 1, `${label}: the importer says the list is for the wave`);
    await page.setInputFiles('input[name=file]', APPLICANTS_FILE);
    await page.fill('input[name=year]', '2026');
    await pressAndWaitForLoad(page, '[data-testid=upload]');
    const count = async (id) => Number((await page.locator(`[data-testid=${id}]`).first().innerText()).replace(/\./g, '').trim());
    check(await count('count-accepted') === 120 && await count('count-rejected') === 0, `${label}: 120 applicants read, none rejected`);
    await pressAndWaitForLoad(page, '[data-testid=commit]');
    const applied = (await page.locator('[data-testid=summary-applied]').innerText()).trim();
    const m = applied.match(/(\d+) usaha didaftarkan ke gelombang; (\d+) sudah/);
    check(m && Number(m[1]) + Number(m[2]) === 120 && Number(m[1]) >= 110, `${label}: the list's businesses applied to the wave`, applied);
    await shot(page, 'wave-import-done-id');
    await pressAndWaitForLoad(page, '[data-testid=back-to-wave]');
    const applicants = await count('count-applicants');
    check(applicants >= 110 && applicants <= 120, `${label}: ${applicants} applicants on the wave`);

    where = `${label} selection`;
    await pressAndWaitForLoad(page, '[data-testid=run-selection]');
    check(await count('count-selected') === 50, `${label}: 50 selected`, String(await count('count-selected')));
    const perKecamatan = await page.locator('[data-testid=quota-selected]').allInnerTexts();
    check(perKecamatan.length === 10 && perKecamatan.every((n) => Number(n) <= 5), `${label}: no kecamatan above its 5 seats`, perKecamatan.join(','));
    const waiting = page.locator('[data-testid=applicant][data-decision=waitlisted]').first();
    check((await waiting.innerText()).includes('Kuota kecamatan sudah penuh'), `${label}: a waiting applicant is told why`);
    await shot(page, 'wave-selected-id', { fullPage: false });

    where = `${label} override`;
    const first = page.locator('[data-testid=applicant][data-decision=waitlisted]').first();
    const rowId = await first.getAttribute('id');
    await first.locator('summary').click();
    await first.locator('select[name=decision]').selectOption('ineligible');
    await first.locator('input[name=reason]').fill('Usaha sudah tutup menurut kecamatan');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), first.locator('button[type=submit]').click()]);
    check((await page.locator(`#${rowId}`).innerText()).includes('Usaha sudah tutup menurut kecamatan'), `${label}: the override and its reason are shown`);

    where = `${label} invitations`;
    await pressAndWaitForLoad(page, '[data-testid=send-invitations]');
    check(/undangan email masuk antrean/.test(await page.locator('[data-testid=notice]').innerText()), `${label}: invitation emails queued`);
    await press(page, '[data-testid=applicant][data-decision=selected] [data-testid=invitation-link]');
    await page.waitForURL((u) => u.pathname.includes('/undangan/'), { waitUntil: 'load' });
    check(await page.locator('[data-testid=invitation-qr] svg').count() === 1, `${label}: the invitation carries a QR code`);
    const code = (await page.locator('[data-testid=invitation-code]').innerText()).trim();
    const invited = (await page.locator('[data-testid=invitation] strong').first().innerText()).trim();
    await shot(page, 'wave-invitation-id');

    where = `${label} check-in`;
    await goto(page, base, wavePath, `${label} wave`);
    await pressAndWaitForLoad(page, '[data-testid=wave-to-running]');
    const sessionLinks = await page.locator('[data-testid=check-in-link]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    check(sessionLinks.length === 2, `${label}: two sessions to check in`);
    for (const [i, href] of sessionLinks.entries()) {
      await goto(page, base, href, `${label} session ${i + 1}`);
      await page.fill('#code', code.toLowerCase());
      await pressAndWaitForLoad(page, '[data-testid=check-in-code]');
      check((await page.locator('[data-testid=checked-in]').innerText()).includes(invited), `${label}: ${invited} checked in by code, session ${i + 1}`);
      // Two more by name, from the list.
      for (let n = 0; n < 2; n++) {
        await pressAndWaitForLoad(page, '[data-testid=participant] [data-testid=check-in-button]');
      }
      check((await page.locator('[data-testid=present-count]').innerText()).trim() === '3', `${label}: 3 present in session ${i + 1}`);
      if (i === 0) {
        allowedStatuses = new Set([422]);
        await page.fill('#code', 'ZZZZ-ZZZZ');
        await pressAndWaitForLoad(page, '[data-testid=check-in-code]');
        allowedStatuses = new Set();
        check(await page.locator('[data-testid=checkin-error]').count() === 1, `${label}: an unknown code is refused`);
        await shot(page, 'wave-checkin-id', { fullPage: false });
      }
    }

    where = `${label} certificates`;
    await goto(page, base, wavePath, `${label} wave`);
    await pressAndWaitForLoad(page, '[data-testid=issue-certificates]');
    check(/3 sertifikat diterbitkan/.test(await page.locator('[data-testid=notice]').innerText()), `${label}: 3 certificates for those at both sessions`);
    const certCode = (await page.locator('[data-testid=certificate-code]').first().innerText()).trim();
    const certHref = await page.locator('[data-testid=certificate-link]').first().getAttribute('href');
    const pdf = await page.request.get(base + certHref);
    check(pdf.status() === 200 && (pdf.headers()['content-type'] || '').includes('pdf') && (await pdf.body()).subarray(0, 5).toString() === '%PDF-', `${label}: the certificate downloads as a PDF`);

    where = `${label} public verification`;
    page = await freshPage(context, page);
    await goto(page, base, '/sertifikat', `${label} verification page`);
    await page.fill('#kode', certCode);
    await pressAndWaitForLoad(page, '[data-testid=verify]');
    check(await page.locator('[data-testid=certificate-valid]').count() === 1, `${label}: the certificate verifies without a login`);
    await shot(page, 'certificate-verify-id');
    allowedStatuses = new Set([404]);
    const wrong = await page.goto(`${base}/sertifikat?kode=AAAA-BBBB-CCCC`, { waitUntil: 'load' });
    check(wrong && wrong.status() === 404, `${label}: a wrong code answers 404`);
    allowedStatuses = new Set();
    check(await page.locator('[data-testid=certificate-unknown]').count() === 1, `${label}: an unknown code is said to be unknown`);
  } catch (e) {
    fail(`${where}: ${firstLine(e)}`);
    await failureShot(page, 'programmes-journey');
  } finally {
    allowedStatuses = new Set();
    await page.close().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------

// Markets: the UMKM officer opens SPPG Kibin (short of fifteen suppliers, local egg farms
// suggested), puts a suggested farm into its pipeline, is refused "requirements met" with the
// missing capacity check named, ticks it and moves on; then refers the farm to Bank BJB for KUR,
// and Bank BJB's own analyst moves the referral through assessed and approved to disbursed.
const BANK_USER = 'kur-bjb@kabupaten-serang.demo.sinergi.id';
const MARKET_FARM = 'Ayam Petelur Ketos Jaya';

async function marketsJourney(context, base) {
  const label = 'markets journey';
  let page = await freshPage(context, null);
  try {
    where = `${label} login`;
    await loginAs(page, base, UMKM_OFFICER, label);
    await goto(page, base, '/pasar/kanal', `${label} channels`);
    const kibin = page.locator('[data-testid=kitchen-row]').filter({ hasText: 'SPPG Kibin' });
    check((await kibin.locator('[data-testid=kitchen-short]').innerText()).includes('kurang 9'), `${label}: SPPG Kibin is short of suppliers in the list`);
    const tanara = page.locator('[data-testid=kitchen-row]').filter({ hasText: 'SPPG Tanara' });
    check(await tanara.locator('[data-testid=kitchen-dominant]').count() === 1, `${label}: SPPG Tanara's dominant supplier is flagged`);
    await shot(page, 'markets-channels-id');

    where = `${label} kitchen`;
    await kibin.locator('a').first().click();
    await page.waitForLoadState('load');
    check((await page.locator('[data-testid=kitchen-short]').innerText()).includes('kurang 9 pemasok'), `${label}: the kitchen page says it is short of 15`);
    const suggestion = page.locator('[data-testid=suggestion]').filter({ hasText: MARKET_FARM });
    check(await suggestion.count() === 1, `${label}: a local egg farm is suggested`);
    check(!(await pageText(page)).includes('Telur Kampung Pak Udin'), `${label}: a farm without an NIB is not suggested`);
    await shot(page, 'markets-kitchen-id');
    await suggestion.locator('[data-testid=add-suggestion]').click();
    await page.waitForLoadState('load');

    where = `${label} stage refused`;
    const entry = page.locator('[data-testid=entry]').filter({ hasText: MARKET_FARM });
    check(await entry.count() === 1, `${label}: the farm is in the pipeline`);
    await entry.locator('[data-testid=manage-entry] summary').click();
    await entry.locator('select[name=stage]').selectOption('syarat-lengkap');
    allowedStatuses = new Set([422]);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), entry.locator('[data-testid=move-entry]').click()]);
    allowedStatuses = new Set();
    const refusal = await formErrorText(page);
    check(refusal.includes('Kapasitas produksi'), `${label}: the refusal names the missing requirement`, refusal);
    await shot(page, 'markets-stage-refused-id');

    where = `${label} stage taken`;
    const row = page.locator('[data-testid=entry]').filter({ hasText: MARKET_FARM });
    await row.locator('input[name=requirement][value=kapasitas]').check();
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), row.locator('[data-testid=tick-entry]').click()]);
    const again = page.locator('[data-testid=entry]').filter({ hasText: MARKET_FARM });
    await again.locator('[data-testid=manage-entry] summary').click();
    await again.locator('select[name=stage]').selectOption('syarat-lengkap');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), again.locator('[data-testid=move-entry]').click()]);
    const stage = await page.locator('[data-testid=entry]').filter({ hasText: MARKET_FARM }).locator('[data-testid=entry-stage]').innerText();
    check(stage.includes('Syarat lengkap'), `${label}: the farm moved to requirements met`, stage);

    where = `${label} referral`;
    await goto(page, base, `/pembiayaan?q=${encodeURIComponent('Ketos Jaya')}`, `${label} find the farm`);
    await pressAndWaitForLoad(page, '[data-testid=choose-business]');
    await page.selectOption('#partner_id', { label: 'PT Bank Pembangunan Daerah Jawa Barat dan Banten Tbk (Bank BJB) Cabang Serang' });
    await page.selectOption('#scheme_code', 'kur-mikro');
    await page.fill('#amount_asked', 'Rp 30.000.000');
    await page.fill('#purpose', 'Kandang dan pakan untuk 1.000 ekor ayam petelur');
    await shot(page, 'markets-referral-form-id');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('[data-testid=create-referral]').click()]);
    const referral = pathname(page);
    check(/^\/pembiayaan\/[0-9a-f-]{36}$/.test(referral), `${label}: the referral is sent`, page.url());

    where = `${label} the bank moves it`;
    await page.context().clearCookies();
    await loginAs(page, base, BANK_USER, label);
    await goto(page, base, '/pembiayaan', `${label} the bank's referrals`);
    check((await pageText(page)).includes(MARKET_FARM), `${label}: Bank BJB sees the referral`);
    await shot(page, 'markets-bank-list-id');
    await goto(page, base, referral, `${label} the referral`);
    for (const [status, field, amount] of [['dinilai', null, null], ['disetujui', '#amount_approved', '30.000.000'], ['dicairkan', '#amount_disbursed', '30.000.000']]) {
      await page.selectOption('#status', status);
      if (field) await page.fill(field, amount);
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('[data-testid=move-referral]').click()]);
    }
    const status = await page.locator('[data-testid=referral-status]').innerText();
    check(status.includes('Dicairkan'), `${label}: the bank disbursed it`, status);
    await shot(page, 'markets-referral-disbursed-id');
  } catch (e) {
    fail(`${where}: ${firstLine(e)}`);
    await failureShot(page, 'markets-journey');
  } finally {
    allowedStatuses = new Set();
    await page.close().catch(() => {});
  }
}

// Issue 7: the Labkesda. A factory's HSE officer orders a wastewater test through the partner
// portal; the lab officer quotes it, records the retribution payment, receives the sample and
// enters the results (a wrong value is refused next to its field; the analyst is not offered
// the verification); the supervisor verifies and publishes; the factory downloads the
// certificate, anyone verifies its code, and the revenue shows on the dashboard and as the
// cooperation's PAD outcome on the agreement's page.
const LAB_OFFICER = 'lab-officer@kota-serang.demo.sinergi.id';
const LAB_VERIFIER = 'penyelia-lab@kota-serang.demo.sinergi.id';
const FACTORY = 'pabrik@kota-serang.demo.sinergi.id';

async function labkesdaJourney(context, base) {
  const label = 'labkesda journey';
  let page = await freshPage(context, null);
  try {
    where = `${label} factory orders`;
    await loginAs(page, base, FACTORY, label);
    await goto(page, base, '/lab/order', `${label} own orders`);
    await shot(page, 'lab-orders-factory-id');
    await goto(page, base, '/lab/order/baru', `${label} new order`);
    await page.locator('[data-testid=lab-package-choice]').first().check();
    await page.fill('#location', 'Outlet IPAL unit pencelupan');
    await shot(page, 'lab-order-new-id');
    await pressAndWaitForLoad(page, '[data-testid=submit-lab-order]');
    check(pathname(page).startsWith('/lab/order/'), `${label}: the order is registered`, page.url());
    const orderPath = pathname(page);
    const number = (await page.locator('h1').innerText()).trim();
    check((await page.locator('[data-testid=lab-status]').innerText()).includes('Terdaftar'), `${label}: registered`);
    check((await page.locator('[data-testid=lab-step-quote]').count()) === 0, `${label}: the factory cannot quote its own order`);

    where = `${label} officer`;
    page = await freshPage(context, page);
    await loginAs(page, base, LAB_OFFICER, label);
    await goto(page, base, orderPath, `${label} officer opens the order`);
    await pressAndWaitForLoad(page, '[data-testid=lab-do-quote]');
    check((await page.locator('[data-testid=lab-status]').innerText()).includes('Penawaran'), `${label}: quoted`);
    await page.fill('#invoice_number', `STS/LAB/E2E/${Date.now() % 10000}`);
    await pressAndWaitForLoad(page, '[data-testid=lab-do-pay]');
    check((await page.locator('[data-testid=lab-status]').innerText()).includes('Retribusi dibayar'), `${label}: payment recorded`);
    await page.fill('#samples', 'Air limbah outlet IPAL, 2 L, botol PE');
    await page.fill('#handed_by', 'Budi Santoso (petugas sampling)');
    await pressAndWaitForLoad(page, '[data-testid=lab-do-receive]');
    check((await page.locator('[data-testid=lab-sample]').count()) === 1, `${label}: the sample is received with its chain of custody`);
    const inputs = page.locator('[data-testid=lab-result-input]');
    const n = await inputs.count();
    check(n >= 5, `${label}: one result field per parameter`, `${n}`);
    for (let i = 0; i < n; i++) await inputs.nth(i).fill(i === 0 ? 'dua puluh' : `${7 + i},5`);
    allowedStatuses = new Set([422]);
    await pressAndWaitForLoad(page, '[data-testid=lab-do-submit]');
    allowedStatuses = new Set();
    check((await page.locator('.field-error').first().innerText()).includes('angka'), `${label}: a wrong value is refused next to its field`);
    await shot(page, 'lab-results-error-id');
    await inputs.nth(0).fill('24,5');
    await pressAndWaitForLoad(page, '[data-testid=lab-do-submit]');
    check((await page.locator('[data-testid=lab-status]').innerText()).includes('Menunggu verifikasi'), `${label}: results sent for verification`);
    check((await page.locator('[data-testid=lab-step-verify]').count()) === 0, `${label}: the analyst is not offered the verification`);
    await shot(page, 'lab-order-to-verify-id');

    where = `${label} verifier`;
    page = await freshPage(context, page);
    await loginAs(page, base, LAB_VERIFIER, label);
    await goto(page, base, orderPath, `${label} verifier opens the order`);
    await pressAndWaitForLoad(page, '[data-testid=lab-do-verify]');
    await pressAndWaitForLoad(page, '[data-testid=lab-do-publish]');
    const code = (await page.locator('[data-testid=lab-certificate-code]').innerText()).trim();
    check(/^LAB-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(code), `${label}: a certificate code is published`, code);
    await shot(page, 'lab-order-published-id');

    where = `${label} factory downloads`;
    page = await freshPage(context, page);
    await loginAs(page, base, FACTORY, label);
    await goto(page, base, orderPath, `${label} factory opens its order`);
    const href = await page.locator('[data-testid=lab-certificate-pdf]').getAttribute('href');
    const resp = await page.request.get(new URL(href, base).toString());
    const body = await resp.body();
    check(resp.status() === 200 && (resp.headers()['content-type'] || '') === 'application/pdf', `${label}: the certificate downloads`, `${resp.status()}`);
    check(body.subarray(0, 5).toString() === '%PDF-' && body.length > 1500, `${label}: the certificate is a PDF (${body.length} bytes)`);
    fs.writeFileSync(path.join(SHOTS_DIR, 'lab-certificate.pdf'), body);

    where = `${label} public check`;
    page = await freshPage(context, page);
    await goto(page, base, `/lab/sertifikat?kode=${encodeURIComponent(code.toLowerCase())}`, `${label} public verification`);
    check((await page.locator('[data-testid=lab-certificate-valid]').count()) === 1, `${label}: anyone verifies the certificate`);
    check((await page.locator('[data-testid=lab-certificate-customer]').innerText()).includes('Indah Tekstil'), `${label}: for the factory`);
    await shot(page, 'lab-verify-id');

    where = `${label} dashboard`;
    await loginAs(page, base, LAB_OFFICER, label);
    await goto(page, base, '/lab/dasbor', `${label} dashboard`);
    check((await page.locator('[data-testid=lab-by-customer]').innerText()).includes('Indah Tekstil Cikande'), `${label}: the revenue shows by customer`);
    check((await page.locator('[data-testid=lab-by-region]').innerText()).includes('Serang'), `${label}: and by the customer's kab/kota`);
    await shot(page, 'lab-dashboard-id');
    await pressAndWaitForLoad(page, '[data-testid=lang-en]');
    check((await pageText(page)).includes('Laboratory dashboard') && (await pageText(page)).includes('Revenue by month'), `${label}: the dashboard in English`);
    await shot(page, 'lab-dashboard-en');
    await pressAndWaitForLoad(page, '[data-testid=lang-id]');
    await goto(page, base, '/lab/katalog', `${label} catalogue`);
    await shot(page, 'lab-catalogue-id');
    await goto(page, base, '/lab/order', `${label} orders`);
    await shot(page, 'lab-orders-id');

    where = `${label} cooperation`;
    page = await freshPage(context, page);
    await loginAs(page, base, REGION_ADMIN, label);
    await goto(page, base, '/lab/dasbor', `${label} admin dashboard`);
    await pressAndWaitForLoad(page, '[data-testid=lab-agreement-link]');
    check((await pageText(page)).includes(number), `${label}: the payment is the cooperation's PAD outcome`, number);
    await shot(page, 'lab-agreement-outcome-id');

    where = `${label} money kept local`;
    await goto(page, base, '/nilai-lokal', `${label} money kept local`);
    check((await page.locator('[data-testid=local-cooperation]').innerText()) !== 'Rp 0', `${label}: the partner Pemda's share is counted`);
    await pressAndWaitForLoad(page, '[data-testid=local-months] tbody tr:first-child a');
    const lines = await page.locator('[data-testid=local-payments]').innerText();
    check(lines.includes(number) && lines.includes('Kerja sama'), `${label}: this month's lines hold the payment, marked as the cooperation's`, lines);
    await shot(page, 'local-value-id');
    await pressAndWaitForLoad(page, '[data-testid=lang-en]');
    check((await pageText(page)).includes('Money kept local'), `${label}: money kept local in English`);
    await shot(page, 'local-value-en');
    await pressAndWaitForLoad(page, '[data-testid=lang-id]');
  } catch (e) {
    fail(`${where}: ${firstLine(e)}`);
    await failureShot(page, 'labkesda-journey');
  } finally {
    allowedStatuses = new Set();
    await page.close().catch(() => {});
  }
}

// Issue 7: demand matching ------------------------------------------------------------------
// SPPG Cikande's manager posts a demand for eggs; the local egg farms are ranked with their
// reasons; the top ones are notified; H. Jaenudin's farm (its owner's login) offers; the kitchen
// accepts; the deal shows in the value captured locally.
const SPPG_USER = 'sppg-cikande@kabupaten-serang.demo.sinergi.id';
const EGG_OWNER = 'telur-jaenudin@kabupaten-serang.demo.sinergi.id';
const EGG_FARM = 'Peternakan Ayam Petelur H. Jaenudin';
const DEMAND_TITLE = 'Telur ayam negeri segar';

async function demandJourney(context, base) {
  const label = 'demand journey';
  let page = await freshPage(context, null);
  try {
    where = `${label} the kitchen posts`;
    await loginAs(page, base, SPPG_USER, label);
    await goto(page, base, '/permintaan', `${label} demands`);
    await shot(page, 'demand-list-id');
    await pressAndWaitForLoad(page, '[data-testid=demand-new]');
    const deadline = new Date(Date.now() + 20 * 86400_000).toISOString().slice(0, 10);
    await page.selectOption('#buyer_kind', 'sppg');
    await page.fill('#title', DEMAND_TITLE);
    await page.selectOption('#category', 'pertanian');
    await page.fill('#kbli', '01462');
    await page.fill('#description', 'Telur ayam segar ukuran sedang untuk 3.000 porsi sehari');
    await page.fill('#quantity', '800');
    await page.fill('#unit', 'kg');
    await page.selectOption('#frequency', 'mingguan');
    await page.selectOption('#region', '36.04.15.2001');
    await page.check('input[name=permits][value=nib]');
    await page.fill('#price_min', '26.000');
    await page.fill('#price_max', '29.000');
    await page.fill('#deadline', deadline);
    await shot(page, 'demand-form-id');
    await pressAndWaitForLoad(page, '[data-testid=demand-submit]');
    const demandPath = pathname(page);
    check(/^\/permintaan\/[0-9a-f-]{36}$/.test(demandPath), `${label}: the demand is posted`, page.url());

    where = `${label} matching`;
    const first = page.locator('[data-testid=match]').first();
    const firstText = await first.innerText();
    check(firstText.includes('desa yang sama') && firstText.includes('KBLI 01462'), `${label}: an egg farm of the same desa is ranked first, with its reasons`, firstText.slice(0, 300));
    const top5 = await page.locator('[data-testid=match]').evaluateAll((els) => els.slice(0, 5).map((e) => e.innerText).join('\n'));
    check(top5.includes(EGG_FARM), `${label}: H. Jaenudin's farm is among the top five`);
    check(await page.locator('[data-testid=match]').count() >= 5, `${label}: several local egg producers are listed`);
    await shot(page, 'demand-matches-id');
    await pressAndWaitForLoad(page, '[data-testid=notify]');
    check((await page.locator('[data-testid=notified]').innerText()).includes(EGG_FARM), `${label}: the top suppliers are notified`);
    await shot(page, 'demand-notified-id');

    where = `${label} the farm offers`;
    await page.context().clearCookies();
    await loginAs(page, base, EGG_OWNER, label);
    await goto(page, base, '/permintaan', `${label} the owner's demands`);
    check((await pageText(page)).includes(DEMAND_TITLE), `${label}: the owner sees the demand it was matched to`);
    await shot(page, 'demand-owner-list-id');
    await goto(page, base, demandPath, `${label} the demand`);
    check(await page.locator('[data-testid=match]').count() === 0, `${label}: a supplier does not see its competitors`);
    await page.fill('#price', '27.000');
    await page.fill('#quantity', '800');
    await page.fill('#delivery_on', deadline);
    await page.fill('#note', 'Telur grade A, dikirim pagi');
    await shot(page, 'demand-offer-form-id');
    await pressAndWaitForLoad(page, '[data-testid=submit-offer]');
    check((await page.locator('[data-testid=offers]').innerText()).includes('Rp 21.600.000'), `${label}: the offer is listed with its value`);

    where = `${label} the kitchen accepts`;
    await page.context().clearCookies();
    await loginAs(page, base, SPPG_USER, label);
    await goto(page, base, demandPath, `${label} the demand with its offer`);
    await pressAndWaitForLoad(page, '[data-testid=accept-offer]');
    const status = await page.locator('[data-testid=demand-status]').innerText();
    check(status.includes('Sepakat'), `${label}: the deal is made`, status);
    check((await page.locator('[data-testid=deal]').innerText()).includes('Rp 21.600.000'), `${label}: the deal's value is shown`);
    await shot(page, 'demand-deal-id');

    where = `${label} value captured`;
    await page.context().clearCookies();
    await loginAs(page, base, UMKM_OFFICER, label);
    await goto(page, base, '/permintaan/nilai', `${label} value captured locally`);
    const byKind = await page.locator('[data-testid=by-kind]').innerText();
    check(byKind.includes('Dapur SPPG'), `${label}: the deal counts for SPPG kitchens`, byKind);
    const total = await page.locator('[data-testid=value-total]').innerText();
    check(total.includes('Rp 24.450.000'), `${label}: the total holds the demo's deal and this one`, total);
    await shot(page, 'demand-value-id');
    await pressAndWaitForLoad(page, '[data-testid=lang-en]');
    check((await pageText(page)).includes('Value captured locally'), `${label}: the page in English`);
    await shot(page, 'demand-value-en');
    await pressAndWaitForLoad(page, '[data-testid=lang-id]');
    await goto(page, base, '/nilai-lokal', `${label} money kept local`);
    check((await page.locator('[data-testid=local-deals]').innerText()).includes('Rp 24.450.000'), `${label}: the deals count as money kept local`);
    check((await page.locator('[data-testid=local-payments]').innerText()).includes(EGG_FARM), `${label}: the deal's line names the farm`);
    await shot(page, 'local-value-deals-id');
  } catch (e) {
    fail(`${where}: ${firstLine(e)}`);
    await failureShot(page, 'demand-journey');
  } finally {
    allowedStatuses = new Set();
    await page.close().catch(() => {});
  }
}

async function main() {
  fs.rmSync(SHOTS_DIR, { recursive: true, force: true });
  fs.mkdirSync(SHOTS_DIR, { recursive: true });
  let context = null;
  let profileDir = null;
  try {
    const s = await startServer();
    profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sinergi-e2e-chromium-'));
    where = 'browser launch';
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: PHONE,
      locale: 'id-ID',
      timezoneId: 'Asia/Jakarta',
    });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(NAV_TIMEOUT_MS);
    watchContext(context, s.base);
    // A persistent context opens with one blank page; close it, each scenario opens its own.
    for (const p of context.pages()) await p.close().catch(() => {});

    // E2E_ONLY=csr runs one journey while working on it; CI always runs them all.
    const only = process.env.E2E_ONLY;
    if (only) note(`E2E_ONLY=${only}: running that journey only`);
    const journeys = [
      ['needs', needsJourney], ['partners', partnersJourney], ['agreements', agreementsJourney],
      ['pdf', pdfDownloads], ['meetings', meetingsJourney], ['csr', csrJourney], ['umkm', umkmJourney], ['owner', ownerJourney],
      ['programmes', programmesJourney],
      // Markets: channels, SPPG kitchens and KUR referrals.
      ['markets', marketsJourney],
      // Catalogue (issue 6, part 5)
      ['catalogue', catalogueJourney],
      // Issue 7: the Labkesda
      ['labkesda', labkesdaJourney],
      // Issue 7: demand matching
      ['demand', demandJourney],
    ];
    if (!only) {
      await wrongPassword(context, s.base);
      for (const [i, email] of ROLES.entries()) {
        await roleFlow(context, s.base, email, i === 0);
      }
      check(rolesLoggedIn === ROLES.length, `all ${ROLES.length} roles logged in`, `only ${rolesLoggedIn}`);
    }
    for (const [name, journey] of journeys) {
      if (!only || only === name) await journey(context, s.base);
    }
  } catch (e) {
    const msg = String(e?.message ?? e);
    if (msg.includes('\n')) console.log(msg); // e.g. Playwright's launch log
    fail(`${where}: ${firstLine(e)}`);
  } finally {
    if (context) await context.close().catch(() => {});
    if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
    await stopServer();
  }

  if (server && failures.length > 0) {
    console.log(`--- server output (tail; full log in ${path.relative(process.cwd(), server.runDir)}/server.log) ---`);
    console.log(tail(server.log(), 6000) || '(empty)');
  }
  if (server && failures.length === 0 && process.env.E2E_KEEP_TMP !== '1') {
    fs.rmSync(server.runDir, { recursive: true, force: true });
  }

  const rel = path.relative(process.cwd(), SHOTS_DIR) || '.';
  console.log(`e2e: ${rolesLoggedIn} roles logged in, ${screenshots} screenshots in ${rel}`);
  if (failures.length > 0) {
    console.log(`e2e: FAILED, ${failures.length} failure(s):`);
    for (const f of failures) console.log(`  - ${f}`);
    process.exit(1);
  }
  console.log('e2e: all checks passed');
  process.exit(0);
}

await main();
