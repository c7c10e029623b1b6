// WebConsoleIT's browser: a real headless chromium (Debian's /usr/bin/chromium, driven by playwright-core) logs in to
// a running gateway's web console with HTTP basic auth, goes through EdgeHA's pages, uses the groups page's actions
// as an operator would (join as the web client, propose a state value), checks that a cross-site form post is refused,
// and saves a 1280x800 screenshot of each page.
//
// Settings (environment): EDGEHA_URL (http://127.0.0.1:PORT), EDGEHA_USER, EDGEHA_PASSWORD, EDGEHA_GROUP (a group
// the gateway has joined), EDGEHA_MEMBER (its member, e.g. 1/9999), EDGEHA_WEB_MEMBER (the web client's, 1/9998),
// EDGEHA_CONNECTION (an HA-aware connection the runtime does not own), EDGEHA_SCREENSHOTS (a folder),
// EDGEHA_PROFILE (a fresh user-data-dir), CHROMIUM (default /usr/bin/chromium).
// Prints one "ok ..." line per check; exits 1 with "FAILED: ..." at the first failure.
import { chromium } from 'playwright-core';

const env = (name, fallback) => {
  const v = process.env[name] ?? fallback;
  if (v === undefined) throw new Error(`${name} is not set`);
  return v;
};
const base = env('EDGEHA_URL');
const group = env('EDGEHA_GROUP');
const member = env('EDGEHA_MEMBER');
const webMember = env('EDGEHA_WEB_MEMBER');
const shots = env('EDGEHA_SCREENSHOTS');
const console_ = `${base}/system/console`;
const TIMEOUT = 20000;

function check(condition, what) {
  if (!condition) throw new Error(what);
  console.log(`ok ${what}`);
}

async function open(page, label) {
  const response = await page.goto(`${console_}/${label}`, { waitUntil: 'load', timeout: TIMEOUT });
  check(response && response.status() === 200, `${label}: HTTP 200 (got ${response && response.status()})`);
  check(await page.locator('#edgeha-default-password').count() === 0,
    `${label}: no stock-password warning (a password is set)`);
}

async function shot(page, name) {
  await page.screenshot({ path: `${shots}/web-${name}.png`, fullPage: false });
  console.log(`ok screenshot web-${name}.png`);
}

/** Reloads the page until the row of the group has text in the cell, or fails after TIMEOUT. */
async function awaitCell(page, label, cell, text) {
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    const content = (await page.locator(`tr[data-group="${group}"] ${cell}`).allInnerTexts().catch(() => [])).join(' ');
    if (content.includes(text)) return content;
    if (Date.now() > deadline) throw new Error(`${label}: ${cell} of ${group} never showed ${text} (last: ${content})`);
    await page.waitForTimeout(300);
    await page.goto(`${console_}/${label}`, { waitUntil: 'load', timeout: TIMEOUT });
  }
}

const browser = await chromium.launchPersistentContext(env('EDGEHA_PROFILE'), {
  executablePath: env('CHROMIUM', '/usr/bin/chromium'),
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
  httpCredentials: { username: env('EDGEHA_USER'), password: env('EDGEHA_PASSWORD') },
  viewport: { width: 1280, height: 800 },
});
let failed = false;
try {
  const page = browser.pages()[0] ?? await browser.newPage();
  page.setDefaultTimeout(TIMEOUT);

  // Groups: the group the gateway joined, with its member
  await open(page, 'edgeha-groups');
  check(await page.locator(`tr[data-group="${group}"] td.edgeha-group`).innerText() === group,
    `groups: ${group} is listed`);
  const members = await page.locator(`tr[data-group="${group}"] td.edgeha-members`).innerText();
  check(members.includes(member), `groups: ${group} has member ${member} (${members})`);
  check(await page.locator('a', { hasText: 'HA connections' }).count() > 0, 'the EdgeHA pages are in the navigation');

  // Actions: join as the web client, then propose a state value (same-origin form posts with the page's token)
  await page.locator(`tr[data-group="${group}"] button`, { hasText: 'Join as web' }).click();
  await page.waitForLoadState('load');
  check((await page.locator('#edgeha-message').innerText()).includes(`joining ${group}`), 'groups: join accepted');
  await awaitCell(page, 'edgeha-groups', 'td.edgeha-members', webMember);
  console.log(`ok groups: the web client ${webMember} is a member`);
  await awaitCell(page, 'edgeha-groups', 'button', 'Propose state');
  await page.locator(`tr[data-group="${group}"] input[name="value"]`).fill('running');
  await page.locator(`tr[data-group="${group}"] button`, { hasText: 'Propose state' }).click();
  await page.waitForLoadState('load');
  check((await page.locator('#edgeha-message').innerText()).includes('proposed state "running"'),
    'groups: proposal accepted');
  await awaitCell(page, 'edgeha-groups', 'td.edgeha-state', '"running"');
  console.log('ok groups: the state value is "running"');
  const recent = await page.locator(`tr[data-group="${group}"] ul.edgeha-recent`).innerText();
  check(recent.includes('STATE_CHANGE approved'), `groups: the recent protocols show the state change (${recent})`);
  await shot(page, 'groups');

  // The same form posted from another origin (a page of its own, Origin: null), token included: refused
  const token = await page.locator('input[name="csrf"]').first().getAttribute('value');
  const foreign = await browser.newPage();
  await foreign.setContent(`<form method="post" action="${console_}/edgeha-groups">`
    + `<input name="action" value="leave"><input name="group" value="${group}"><input name="csrf" value="${token}">`
    + '<button>go</button></form>');
  const [posted] = await Promise.all([foreign.waitForResponse(r => r.request().method() === 'POST'),
    foreign.locator('button').click()]);
  check(posted.status() === 403, `a cross-site post is refused with 403 (got ${posted.status()})`);
  await foreign.close();
  await open(page, 'edgeha-groups');
  check((await page.locator(`tr[data-group="${group}"] td.edgeha-members`).innerText()).includes(webMember),
    'groups: the web client is still a member after the refused post');

  // HA connections: the MQTT link's own connection, owned by the bridge (no action offered), and the operator's
  // connection, whose recovery is suspended and resumed from the page
  await open(page, 'edgeha-connections');
  const connections = await page.locator('#edgeha-connections').innerText();
  check(connections.includes('mqtt-default') && connections.includes('owned by the MQTT bridge'),
    'connections: mqtt-default, owned by the MQTT bridge');
  check(await page.locator('tr[data-connection="mqtt-default"] button').count() === 0,
    'connections: no action on the owned connection');
  check((await page.locator('#edgeha-recovery-functions').innerText()).includes('backoff'),
    'connections: the backoff strategy is in charge');
  const conn = env('EDGEHA_CONNECTION');
  const row = `tr[data-connection="${conn}"]`;
  await page.locator(`${row} button`, { hasText: 'Suspend recovery' }).click();
  await page.waitForLoadState('load');
  check((await page.locator('#edgeha-message').innerText()).includes('suspended from the web console'),
    `connections: recovery of ${conn} suspended`);
  check((await page.locator(`${row} .edgeha-state`).innerText()).includes('recovery suspended'),
    `connections: ${conn} shows its recovery suspended`);
  await page.locator(`${row} button`, { hasText: 'Resume recovery' }).click();
  await page.waitForLoadState('load');
  check((await page.locator('#edgeha-message').innerText()).includes('resumed from the web console'),
    `connections: recovery of ${conn} resumed`);
  check(!(await page.locator(`${row} .edgeha-state`).innerText()).includes('suspended'),
    `connections: ${conn} is no longer suspended`);
  await shot(page, 'connections');

  // The MQTT link: connected, with this gateway online
  await open(page, 'edgeha-mqtt');
  const mqtt = await page.locator('table.edgeha-mqtt').first().innerText();
  check(mqtt.includes('CONNECTED') && mqtt.includes('Store depth') && mqtt.includes('Gateways online'),
    'mqtt: connected, store depth and presence shown');
  await shot(page, 'mqtt');

  // Features: built-in, installed (webconsole among them), available
  await open(page, 'edgeha-features');
  const features = await page.locator('#edgeha-features').innerText();
  check(/org\.edgeha:core\s+\S+\s+built-in/.test(features), 'features: core is built-in');
  check(/org\.edgeha:webconsole\s+\S+\s+installed/.test(features), 'features: webconsole is installed');
  check(/org\.edgeha:examples\s+\S+\s+available/.test(features), 'features: examples is available');
  await shot(page, 'features');
} catch (e) {
  failed = true;
  console.log(`FAILED: ${e.message}`);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
