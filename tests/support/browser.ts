import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's chromium (`apt-get install -y chromium`, as .ci/run does); CHROMIUM_PATH for another. */
const EXECUTABLE = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
/**
 * Without the background-networking flags Chromium calls home at start-up, and on a closed network
 * those connections are refused; the rest keeps a test browser quiet and alike on every machine.
 */
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Screenshots of the browser tests, git-ignored: CI keeps them as the run's artefacts. */
export const ARTEFACTS_DIR = path.join(import.meta.dirname, '..', '..', 'artefacts', 'screenshots');

export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A headless Chromium with a fresh profile, French, a laptop's window. */
export async function openBrowser(options: { javaScriptEnabled?: boolean } = {}): Promise<TestBrowser> {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'pas-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: EXECUTABLE,
    headless: true,
    args: ARGS,
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    locale: 'fr-FR',
    viewport: { width: 1200, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** `fullPage: false`: the window only, as the visitor first sees it. */
export async function saveScreenshot(
  page: Page,
  name: string,
  options = { fullPage: true },
): Promise<string> {
  await mkdir(ARTEFACTS_DIR, { recursive: true });
  const file = path.join(ARTEFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: options.fullPage });
  return file;
}

export interface AccessibilityViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * axe-core's WCAG 2.1 A and AA rules on the page as it is now, shadow roots included. Evaluated
 * through the DevTools protocol, which the page's Content-Security-Policy does not govern.
 */
export async function accessibilityViolations(page: Page): Promise<AccessibilityViolation[]> {
  const source = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(source);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (context: Document, options: object) => Promise<AxeResults> } }
    ).axe;
    const results = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.map((node) => JSON.stringify(node.target)),
    }));
  });
}

interface AxeResults {
  violations: { id: string; impact: string | null; help: string; nodes: { target: unknown }[] }[];
}

export const isSeriousOrCritical = (violation: AccessibilityViolation) =>
  violation.impact === 'serious' || violation.impact === 'critical';
