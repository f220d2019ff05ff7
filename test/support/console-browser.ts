import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';

/**
 * What the console's browser tests share: Debian's Chromium driven by playwright-core (never a
 * downloaded browser), a page set up like a person's, and how the tests find Mantine's fields.
 */
export const CHROMIUM = process.env.MAILKEEP_TEST_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Upper bound for one wait on the page (an element, a navigation): a loaded 2-core machine renders
 * in well under a second; 20 s only keeps a broken step from hanging until the test timeout.
 */
export const STEP_TIMEOUT_MS = 20_000;

export function launchChromium(): Promise<Browser> {
  // Root in a container has no user namespaces for Chromium's sandbox.
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

export async function openConsolePage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 860 },
    permissions: ['clipboard-read', 'clipboard-write'],
    // No transitions: a screenshot never catches a drawer or dialog half-way.
    reducedMotion: 'reduce',
    acceptDownloads: true,
  });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  return { context, page: await context.newPage() };
}

export function labelled(label: string): RegExp {
  // Mantine appends " *" to the label of a required field.
  return new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?$`);
}

/** A text field (input or textarea) by its label; a select's listbox has the label too. */
export function fieldOf(page: Page, label: string): Locator {
  return page.locator('input, textarea').and(page.getByLabel(labelled(label)));
}

/** Picks an option of a Mantine select (searchable ones are narrowed by typing first). */
export async function chooseOption(
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

/** A browser with one console page, closed together (for a test file that needs no more). */
export interface ConsoleBrowser {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

export async function openConsoleBrowser(): Promise<ConsoleBrowser> {
  const browser = await launchChromium();
  const { context, page } = await openConsolePage(browser);
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
  await fieldOf(page, 'API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}
