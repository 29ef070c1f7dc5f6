import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

const SCREENSHOTS = path.resolve(__dirname, '../../../../docs/screenshots');

/** The closing picture of a task, kept in docs/screenshots for the README and reviews. */
export async function screenshot(page: Page, name: string): Promise<void> {
  // From the top: a full-page capture of a scrolled page paints the sticky top bar mid-page.
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** axe-core over the page as it is now: no serious or critical violation (WCAG 2.1 AA rules). */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const blocking = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  expect(blocking, 'serious or critical accessibility violations').toEqual([]);
}
