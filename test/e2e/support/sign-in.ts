import { expect, type Page } from '@playwright/test';
import { ADMIN } from './server';

/** Signs in through the console's sign-in page (the administrator unless told otherwise). */
export async function signIn(page: Page, url: string, who: { email: string; password: string } = ADMIN): Promise<void> {
  await page.goto(`${url}/`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}
