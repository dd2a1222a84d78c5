/**
 * The HTML simulation report in a real browser: Debian's Chromium (/usr/bin/chromium) driven by
 * playwright-core. The report of the bundled example, made by the real CLI, and a hand-made run
 * with an `--against` diff and hostile ids are loaded; every chart must render with a size and
 * marks, the console and the page must stay free of errors, the page must make no request but its
 * own, and a hostile asset id must show as text without a dialog. The example's full-page
 * screenshot is what docs/simulate.md shows: MONETIZE_UPDATE_SCREENSHOT=1 writes it to
 * docs/img/simulate-report.png, otherwise it goes to a temporary folder.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../src/sim/html.js';
import { LOG_PATH, STRIPE_TEST_SECRET, EXAMPLE_DIR } from '../../scripts/gen-sim-example.js';
import { monetize, requireBuild, ROOT } from '../helpers/cli.js';
import { tempFolder } from '../helpers/tmp.js';
import { fixtureOutcome, HOSTILE_ASSET, HOSTILE_USER, INFO } from '../sim/html-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
/** Where the page is served from: a name that cannot resolve, answered by the test itself. */
const PAGE_URL = 'http://report.invalid/';
const SCREENSHOT = join(ROOT, 'docs/img/simulate-report.png');
/** The flags the browser runs with: no GPU, no background traffic of its own, a fresh profile. */
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const CHARTS = 9;

const dir = tempFolder('monetize-browser-');
let context: BrowserContext | undefined;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the HTML report's browser test needs Debian's chromium package. Install it with \`apt-get install chromium\` (as root; on a fresh machine \`apt-get update\` first).`);
  }
  const { chromium } = await import('playwright-core');
  context = await chromium.launchPersistentContext(join(dir(), 'profile'), { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1100, height: 900 } });
});

afterAll(async () => {
  await context?.close();
});

interface Loaded {
  readonly page: Page;
  readonly requests: string[];
  readonly consoleErrors: string[];
  readonly pageErrors: string[];
  readonly dialogs: string[];
}

/** Open `html` as the only thing the (routed) network serves, recording everything the page asks for or says. */
async function load(html: string): Promise<Loaded> {
  const page = await context!.newPage();
  const loaded: Loaded = { page, requests: [], consoleErrors: [], pageErrors: [], dialogs: [] };
  page.on('request', (r) => loaded.requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') loaded.consoleErrors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => loaded.pageErrors.push(e.message));
  page.on('dialog', (d) => {
    loaded.dialogs.push(d.message());
    void d.dismiss();
  });
  await page.route('**/*', (route) => (route.request().url() === PAGE_URL ? route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }) : route.abort()));
  await page.goto(PAGE_URL, { waitUntil: 'load' });
  return loaded;
}

/** Each chart's accessible name, size, and how many marks (bars, lines) it draws with a size. */
async function charts(page: Page): Promise<{ label: string; width: number; height: number; marks: number }[]> {
  return page.$$eval('svg.chart', (svgs) =>
    svgs.map((svg) => {
      const box = svg.getBoundingClientRect();
      const marks = [...svg.querySelectorAll('rect, path')].filter((m) => {
        if (m.getAttribute('fill') === 'transparent') return false;
        const b = m.getBoundingClientRect();
        return b.width > 0 && b.height > 0 && (m.tagName === 'rect' || m.getAttribute('stroke-dasharray') !== null);
      });
      return { label: svg.getAttribute('aria-label') ?? '', width: box.width, height: box.height, marks: marks.length };
    }),
  );
}

/** What every loaded report must satisfy. */
async function expectClean(l: Loaded): Promise<void> {
  const found = await charts(l.page);
  expect(found).toHaveLength(CHARTS);
  for (const c of found) {
    expect(c.width, c.label).toBeGreaterThan(300);
    expect(c.height, c.label).toBeGreaterThan(40);
    expect(c.marks, `${c.label}: no bar or line drawn`).toBeGreaterThan(0);
  }
  expect(l.consoleErrors).toEqual([]);
  expect(l.pageErrors).toEqual([]);
  expect(l.dialogs).toEqual([]);
  expect(l.requests).toEqual([PAGE_URL]);
  expect(await l.page.title()).toMatch(/^Simulation report: /);
}

describe('the HTML report in Chromium', () => {
  it('renders the bundled example, made by the real CLI: every chart drawn, no error, no request, and the screenshot', async () => {
    requireBuild();
    const out = join(dir(), 'report.html');
    const r = monetize('simulate', 'examples/marketplace-policy.yaml', '--replay', LOG_PATH, '--webhooks', `${EXAMPLE_DIR}/webhooks`, '--webhook-secret', `stripe=${STRIPE_TEST_SECRET}`, '--format', 'html', '-o', out);
    expect(r.status, r.stderr).toBe(0);
    const l = await load(readFileSync(out, 'utf8'));
    await expectClean(l);
    // The headline as a reader sees it.
    await expect(l.page.locator('#headline .card').first().innerText()).resolves.toBe('Decisions\n2,410\nallowed 1,967 (81.6%) · denied 443 (18.4%)');
    const shot = await l.page.screenshot({ fullPage: true });
    expect(shot.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(shot.readUInt32BE(16)).toBe(1100); // IHDR width
    writeFileSync(process.env['MONETIZE_UPDATE_SCREENSHOT'] === '1' ? SCREENSHOT : join(dir(), 'simulate-report.png'), shot);
    await l.page.close();
  });

  it('shows a hostile asset id as text, runs nothing, and draws the --against overlays', async () => {
    const l = await load(renderReportHtml(fixtureOutcome(true), INFO));
    await expectClean(l);
    expect(await l.page.getByText(HOSTILE_ASSET, { exact: true }).count()).toBeGreaterThanOrEqual(2);
    expect(await l.page.getByText(HOSTILE_USER, { exact: true }).count()).toBeGreaterThanOrEqual(2);
    expect(await l.page.locator('img, script, iframe, object, embed, b').count()).toBe(0);
    // Three time charts carry the dashed lines of the "before" policy: decisions, tokens, revenue (paid and refunded).
    expect(await l.page.locator('svg.chart path[stroke-dasharray="5 3"]').count()).toBe(4);
    await expect(l.page.locator('#changes details[open] summary').innerText()).resolves.toBe('1 sample request');
    await l.page.screenshot({ fullPage: true, path: join(dir(), 'simulate-report-against.png') });
    await l.page.close();
  });
});
