import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';

/**
 * Driving the web console in Debian's Chromium (playwright-core) for browser tests: a fresh
 * context per test file, and the few ways of finding things on a Mantine page that every step
 * needs. Every wait is for a state of the page, bounded by STEP_TIMEOUT_MS, never for a time.
 */
export const CHROMIUM = process.env['MAILKEEP_TEST_CHROMIUM'] ?? '/usr/bin/chromium';
/**
 * Upper bound for one wait on the page (an element, a navigation): a loaded 2-core machine renders
 * in well under a second; 20 s only keeps a broken step from hanging until the test timeout.
 */
export const STEP_TIMEOUT_MS = 20_000;

export interface ConsoleBrowser {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

export async function openConsoleBrowser(): Promise<ConsoleBrowser> {
  // Root in a container has no user namespaces for Chromium's sandbox.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const context = await browser.newContext({
    viewport: { width: 1280, height: 860 },
    // No transitions: a screenshot never catches a drawer or dialog half-way.
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  const page = await context.newPage();
  return {
    browser,
    context,
    page,
    close: async () => {
      await context.close();
      await browser.close();
    },
  };
}

/** A field label as Mantine renders it: it appends " *" to the label of a required field. */
export function labelled(label: string): RegExp {
  return new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?$`);
}

/** A text field (input or textarea) by its label; a select's listbox has the label too. */
export function field(page: Page, label: string): Locator {
  return page.locator('input, textarea').and(page.getByLabel(labelled(label)));
}

/** Picks an option of a Mantine select (searchable ones are narrowed by typing first). */
export async function choose(
  page: Page,
  label: string,
  option: string | RegExp,
  search?: string,
): Promise<void> {
  const input = page.getByRole('combobox', { name: labelled(label) });
  await input.click();
  if (search !== undefined) await input.fill(search);
  await page.getByRole('option', { name: option }).click();
}

/** A row of the table named `tableName` that contains `text`. */
export function row(page: Page, tableName: string, text: string): Locator {
  return page.getByRole('table', { name: tableName }).getByRole('row').filter({ hasText: text });
}

/** Follows a link of the navigation and waits for the page's heading. */
export async function nav(page: Page, label: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('link', { name: label, exact: true })
    .click();
  await page.getByRole('heading', { level: 1, name: label }).waitFor();
}

/** Opens a deep link, signs in with the key on the sign-in page it shows, and waits for `heading`. */
export async function signIn(page: Page, url: string, key: string, heading: string): Promise<void> {
  await page.goto(url);
  await field(page, 'API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}
