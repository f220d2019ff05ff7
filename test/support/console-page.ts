import type { Locator, Page } from 'playwright-core';

/**
 * Finding the console's form fields the way a person does, by their labels, for the browser tests
 * (playwright-core). Mantine appends " *" to the label of a required field.
 */
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
