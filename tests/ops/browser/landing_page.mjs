// Checks the exporter's landing page in Debian's headless Chromium, driven by playwright-core
// (no browser download: executablePath is the system Chromium).
//
//   node landing_page.mjs --url http://127.0.0.1:PORT --tenants 101,102,103 \
//        --screenshot /path/landing.png [--chromium /usr/bin/chromium]
//
// Checks: the page loads with one row per tenant in <table id="tenants"> (no other rows), each
// row shows numbers (calls > 0, ASR %, median MOS, watermark and last success times, errors);
// the table is live (a reload shows more calls while the simulator makes them); the link to
// /metrics works and serves the tenants' series. Saves a full-page screenshot.
// Exit status 0 when every check passes, 1 otherwise (also when Chromium or playwright-core is
// missing: run scripts/setup.sh).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    url: { type: 'string' },
    tenants: { type: 'string' },
    screenshot: { type: 'string' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
});
if (!opts.url || !opts.tenants || !opts.screenshot) {
  console.error('usage: landing_page.mjs --url URL --tenants ID,ID --screenshot FILE [--chromium PATH]');
  process.exit(1);
}
const tenants = opts.tenants.split(',').map((t) => t.trim()).filter(Boolean);

const failures = [];
let checks = 0;
function check(ok, what) {
  checks += 1;
  if (!ok) failures.push(what);
  return ok;
}
function finish() {
  for (const f of failures) console.error(`FAIL ${f}`);
  console.log(`landing page in headless Chromium: ${checks} checks, ${failures.length} failed`);
  process.exit(failures.length ? 1 : 0);
}

if (!fs.existsSync(opts.chromium)) {
  console.error(`FAIL Chromium not found at ${opts.chromium}: install the Debian package ` +
    '`chromium` (scripts/setup.sh does, from scripts/packages.txt)');
  process.exit(1);
}
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch (e) {
  console.error('FAIL playwright-core is not installed in tests/ops/browser/node_modules: ' +
    `run scripts/setup.sh (npm ci there) (${e.message})`);
  process.exit(1);
}

// Flags for a closed network: no background connections, no first-run, no sync.
const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'voxo-chromium-'));
let context;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: opts.chromium, headless: true, args, viewport: { width: 1400, height: 700 },
  });
  const page = context.pages()[0] ?? await context.newPage();

  const readRows = () => page.$$eval('table#tenants tbody tr', (trs) => trs.map((tr) => ({
    tenant: tr.getAttribute('data-tenant'),
    cells: [...tr.querySelectorAll('td')].map((td) => td.textContent.trim()),
    times: [...tr.querySelectorAll('td time')].map((t) => t.getAttribute('datetime')),
  })));

  const response = await page.goto(`${opts.url}/`, { waitUntil: 'load' });
  check(response && response.status() === 200, `GET / answered ${response && response.status()}`);
  check((await page.title()) === 'VOXO Exporter', `title is "${await page.title()}"`);
  check(await page.isVisible('table#tenants'), 'table#tenants is not visible');
  const headers = await page.$$eval('table#tenants thead th', (ths) => ths.map((th) => th.textContent.trim()));
  for (const h of ['Tenant', 'Calls', 'ASR', 'Median MOS', 'Watermark (UTC)', 'Last success (UTC)', 'Errors']) {
    check(headers.includes(h), `no column "${h}" (columns: ${headers.join(', ')})`);
  }
  const col = (name) => headers.indexOf(name);

  const rows = await readRows();
  const seen = rows.map((r) => r.tenant);
  check(seen.length === tenants.length && tenants.every((t) => seen.filter((s) => s === t).length === 1),
    `rows are for tenants [${seen.join(', ')}], expected one each for [${tenants.join(', ')}]`);
  for (const r of rows) {
    const cell = (name) => r.cells[col(name)] ?? '';
    const t = `tenant ${r.tenant}`;
    check(/^\d+$/.test(cell('Calls')) && Number(cell('Calls')) > 0, `${t}: calls "${cell('Calls')}"`);
    check(/^\d{1,3}\.\d%$/.test(cell('ASR')), `${t}: ASR "${cell('ASR')}"`);
    const mos = Number(cell('Median MOS'));
    check(/^\d\.\d\d$/.test(cell('Median MOS')) && mos >= 1 && mos <= 5, `${t}: median MOS "${cell('Median MOS')}"`);
    check(r.times.length === 2 && r.times.every((s) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(s)),
      `${t}: watermark / last success times ${JSON.stringify(r.times)}`);
    check(/^\d+$/.test(cell('Errors')), `${t}: errors "${cell('Errors')}"`);
  }

  fs.mkdirSync(path.dirname(opts.screenshot), { recursive: true });
  await page.screenshot({ path: opts.screenshot, fullPage: true });
  console.log(`screenshot: ${opts.screenshot}`);

  // Live: the simulator keeps making calls, so a reload soon shows a larger count.
  const total = (rs) => rs.reduce((n, r) => n + Number(r.cells[col('Calls')] || 0), 0);
  const before = total(rows);
  let after = before;
  for (let i = 0; i < 30 && after <= before; i += 1) {
    await page.waitForTimeout(1000);
    await page.reload({ waitUntil: 'load' });
    after = total(await readRows());
  }
  check(after > before, `calls did not grow on reload (${before} -> ${after}): the table is not live`);

  // The link to /metrics: follow it like a user and read what the browser shows.
  const link = page.locator('a', { hasText: 'Metrics' }).first();
  check(await link.count() === 1 && (await link.getAttribute('href')) === '/metrics',
    'no link "Metrics" to /metrics');
  const [metricsResponse] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    link.click(),
  ]);
  check(metricsResponse && metricsResponse.status() === 200,
    `/metrics answered ${metricsResponse && metricsResponse.status()}`);
  check(new URL(page.url()).pathname === '/metrics', `the link led to ${page.url()}`);
  const text = await page.innerText('body');
  for (const t of tenants) {
    check(text.includes(`voxo_up{tenant="${t}"} 1`), `/metrics has no voxo_up{tenant="${t}"} 1`);
    check(new RegExp(`voxo_calls_total\\{[^}]*tenant="${t}"`).test(text), `/metrics has no voxo_calls_total for ${t}`);
  }
} catch (e) {
  failures.push(`browser check aborted: ${e.stack || e}`);
} finally {
  if (context) await context.close().catch(() => {});
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
finish();
