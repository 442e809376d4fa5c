import { expect, test } from './fixtures';

test.describe('browser mode refuses visitors without the token', () => {
  test.beforeEach(() => {
    test.skip(test.info().project.name !== 'browser', 'browser mode only');
  });

  test('the page without the token is refused with 401, a wrong token with 403', async ({ request }) => {
    const url = new URL(process.env.LOOPWRIGHT_URL!);
    const base = `${url.origin}/`;
    expect((await request.get(base)).status()).toBe(401);
    expect((await request.get(`${base}?token=not-the-token`)).status()).toBe(403);
    expect((await request.get(url.toString())).status()).toBe(200);
  });

  test('a page opened without the token says how to get in', async ({ browser }) => {
    const page = await browser.newPage();
    const url = new URL(process.env.LOOPWRIGHT_URL!);
    const response = await page.goto(`${url.origin}/`);
    expect(response?.status()).toBe(401);
    await expect(page.getByText('Open the address printed by npm start')).toBeVisible();
    await page.close();
  });
});
