import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expectAccessible } from '../support/a11y';
import { launchBrowser, newContext, logIn } from '../support/browser';
import { baseUrl, unique } from '../support/e2e-env';
import { apiSession, createActiveSig, grantSiteRole, type ApiSession, type TestSig } from '../support/sigs';
import { createVerifiedUser, type TestUser } from '../support/users';

const adminPath = (product: string) => `/bugs/admin/${encodeURIComponent(product)}`;

describe('bug tracker administration', () => {
  let browser: Browser;
  let admin: TestUser;
  let adminApi: ApiSession;
  let lead: TestUser;
  let sig: TestSig;
  const contexts: BrowserContext[] = [];

  async function freshPage(options: Parameters<typeof newContext>[1] = {}): Promise<Page> {
    const context = await newContext(browser, options);
    contexts.push(context);
    return context.newPage();
  }

  async function createProduct(name: string): Promise<void> {
    const res = await adminApi.call('POST', '/api/v1/bug-products', { name, packageComponents: false });
    if (res.status !== 201) throw new Error(`creating the product answered ${res.status}: ${await res.text()}`);
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    admin = await createVerifiedUser();
    await grantSiteRole(admin.username, 'admin');
    adminApi = await apiSession(admin);
    lead = await createVerifiedUser();
    sig = await createActiveSig(adminApi, [lead.username]);
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  afterAll(async () => {
    await browser.close();
  });

  it("lets a lead set and clear the SIG's default bug assignee on the manage page, without JavaScript", async () => {
    const context = await newContext(browser, { javaScriptEnabled: false });
    contexts.push(context);
    const page = await context.newPage();
    await logIn(page, lead, `/sigs/${sig.slug}/manage`);
    const select = page.getByLabel('Assignee', { exact: true });
    expect(await select.inputValue()).toBe('');
    await select.selectOption(lead.username);
    await page.getByRole('button', { name: 'Save assignee' }).click();
    await page.getByText(`New bugs now go to ${lead.username}.`).waitFor();
    await page.goto(`/sigs/${sig.slug}/manage`);
    expect(await page.getByLabel('Assignee', { exact: true }).inputValue()).toBe(lead.username);

    await page.getByLabel('Assignee', { exact: true }).selectOption('');
    await page.getByRole('button', { name: 'Save assignee' }).click();
    await page.getByText('New bugs are now left unassigned.').waitFor();
    expect(await page.getByLabel('Assignee', { exact: true }).inputValue()).toBe('');
  });

  it('lets an admin create a product, add a version and a routed component and retire the version, without JavaScript', async () => {
    const page = await freshPage({ javaScriptEnabled: false });
    await logIn(page, admin, '/bugs');
    await page.getByRole('link', { name: 'Products and components' }).click();
    await page.waitForURL((url) => url.pathname === '/bugs/admin');
    await page.getByRole('heading', { name: 'Bug tracker products', level: 1 }).waitFor();
    await page.getByText('Packages and their owners are managed by the SIGs, not here.').waitFor();
    await expectAccessible(page);

    const name = `E2E Boards ${unique()}`;
    const create = page.getByRole('region', { name: 'New product' });
    await create.getByLabel('Name', { exact: true }).fill(name);
    await create.getByLabel('Description').fill('Boards made by the browser tests.');
    await create.getByLabel('Template for new bugs (Markdown)').fill('**Board model:**\n');
    expect(await create.getByLabel('Open for new bugs').isChecked()).toBe(true);
    await create.getByRole('button', { name: 'Create product' }).click();
    await page.waitForURL((url) => url.pathname === adminPath(name));
    await page.getByText('The product is created.').waitFor();
    await page.getByText('This product has no active version, so nobody can file bugs against it.').waitFor();

    for (const version of ['1.0', '2.0']) {
      await page.getByLabel('New version').fill(version);
      await page.getByRole('button', { name: 'Add version' }).click();
      await page.getByText(`Version ${version} is added.`).waitFor();
    }
    const addComponent = page.locator('form[action="?/addComponent"]');
    await addComponent.getByLabel('Component', { exact: true }).fill('Boards');
    await addComponent.getByLabel('Description').fill('Board support packages');
    await addComponent.getByLabel('Routing SIG').selectOption(sig.slug);
    await addComponent.getByRole('button', { name: 'Add component' }).click();
    await page.getByText('Component Boards is added.').waitFor();
    const components = page.getByRole('table', { name: `General components of ${name}` });
    const row = components.getByRole('row').filter({ hasText: 'Board support packages' });
    await row.getByRole('link', { name: sig.nameEn }).waitFor();
    expect(await row.innerText()).toContain('The SIG’s default assignee');

    // the component's own form shows what is stored, and changes it
    await page.getByText('Change Boards').click();
    const edit = page.locator('details', { hasText: 'Change Boards' });
    expect(await edit.getByLabel('Routing SIG').inputValue()).toBe(sig.slug);
    await edit.getByLabel('Default assignee').fill(lead.username);
    await edit.getByRole('button', { name: 'Save Boards' }).click();
    await page.getByText('Component Boards is saved.').waitFor();
    await components
      .getByRole('row')
      .filter({ hasText: 'Boards' })
      .getByRole('link', { name: lead.username })
      .waitFor();

    await page.getByRole('button', { name: 'Deactivate version 1.0' }).click();
    await page.getByText('Version 1.0 is no longer offered for new bugs.').waitFor();
    await page.getByRole('button', { name: 'Reactivate version 1.0' }).waitFor();
    await expectAccessible(page);

    // the new product, its component and only its active version are offered when filing a bug
    await page.goto('/bugs/new');
    await page.getByRole('link', { name }).click();
    await page.getByRole('heading', { name: `A bug in ${name}` }).waitFor();
    const versions = page.getByLabel('Version', { exact: true }).locator('option');
    expect(await versions.allTextContents()).toEqual(['2.0']);
    expect(await page.locator('#bug-components option[value="Boards"]').count()).toBe(1);
    expect(await page.getByLabel('Description').inputValue()).toContain('**Board model:**');
    await page.getByLabel('Component').fill('Boards');
    const summary = `Board does not boot ${unique()}`;
    await page.getByLabel('Summary').fill(summary);
    await page.getByLabel('Description').fill('It does not boot.');
    await page.getByRole('button', { name: 'File bug' }).click();
    await page.waitForURL(/\/bugs\/\d+$/);
    await page.getByRole('heading', { name: summary, level: 1 }).waitFor();
    // routed to the component's SIG and its default assignee
    await page.getByRole('link', { name: sig.nameEn }).first().waitFor();
    await page.getByText(lead.username, { exact: true }).first().waitFor();
  });

  it('says why a product, version or component is refused and keeps what the admin typed, without JavaScript', async () => {
    const taken = `E2E Taken ${unique()}`;
    await createProduct(taken);
    const page = await freshPage({ javaScriptEnabled: false });
    await logIn(page, admin, '/bugs/admin');
    const create = page.getByRole('region', { name: 'New product' });
    const nameField = create.getByLabel('Name', { exact: true });

    // a name another product has, in other letter case
    await nameField.fill(taken.toLowerCase());
    await create.getByLabel('Description').fill('Typed before the refusal.');
    await create.getByLabel('Template for new bugs (Markdown)').fill('**Still here:**');
    await create.getByLabel('Open for new bugs').uncheck();
    await create.getByLabel('Every package is a component of this product').check();
    await create.getByRole('button', { name: 'Create product' }).click();
    await create.getByRole('alert').getByText('There is already a product with this name.').waitFor();
    expect(await page.locator('#new-product-name-error').innerText()).toBe(
      'There is already a product with this name.',
    );
    expect(await nameField.getAttribute('aria-invalid')).toBe('true');
    expect(await nameField.inputValue()).toBe(taken.toLowerCase());
    expect(await create.getByLabel('Description').inputValue()).toBe('Typed before the refusal.');
    expect(await create.getByLabel('Template for new bugs (Markdown)').inputValue()).toBe('**Still here:**');
    expect(await create.getByLabel('Open for new bugs').isChecked()).toBe(false);
    expect(await create.getByLabel('Every package is a component of this product').isChecked()).toBe(true);
    await expectAccessible(page);

    // a name of spaces only passes the browser's "required" check, not ours
    await nameField.fill('   ');
    await create.getByRole('button', { name: 'Create product' }).click();
    await create.getByRole('alert').getByText('Please correct the marked fields.').waitFor();
    expect(await page.locator('#new-product-name-error').innerText()).toMatch(/^Enter a name: up to 64 letters/);
    expect(await create.getByLabel('Description').inputValue()).toBe('Typed before the refusal.');

    // versions and components
    await page.goto(adminPath(taken));
    const versionField = page.getByLabel('New version');
    await versionField.fill('9.4');
    await page.getByRole('button', { name: 'Add version' }).click();
    await page.getByText('Version 9.4 is added.').waitFor();
    await versionField.fill('9.4');
    await page.getByRole('button', { name: 'Add version' }).click();
    await page.getByRole('alert').getByText('This product already has this version.').waitFor();
    expect(await versionField.inputValue()).toBe('9.4');
    await versionField.fill('nine four!');
    await page.getByRole('button', { name: 'Add version' }).click();
    expect(await page.locator('#new-version-error').innerText()).toMatch(/^Enter a version such as 9.4/);
    expect(await versionField.inputValue()).toBe('nine four!');

    const addComponent = page.locator('form[action="?/addComponent"]');
    await addComponent.getByLabel('Component', { exact: true }).fill('Firmware');
    await addComponent.getByRole('button', { name: 'Add component' }).click();
    await page.getByText('Component Firmware is added.').waitFor();
    await addComponent.getByLabel('Component', { exact: true }).fill('firmware');
    await addComponent.getByLabel('Description').fill('Would overwrite the first one');
    await addComponent.getByLabel('Routing SIG').selectOption(sig.slug);
    await addComponent.getByLabel('Default assignee').fill(lead.username);
    await addComponent.getByRole('button', { name: 'Add component' }).click();
    await page.getByRole('alert').getByText('This product already has a component with this name.').waitFor();
    expect(await addComponent.getByLabel('Component', { exact: true }).inputValue()).toBe('firmware');
    expect(await addComponent.getByLabel('Description').inputValue()).toBe('Would overwrite the first one');
    expect(await addComponent.getByLabel('Routing SIG').inputValue()).toBe(sig.slug);
    expect(await addComponent.getByLabel('Default assignee').inputValue()).toBe(lead.username);
    await expectAccessible(page);
    // and the first one is unchanged
    const row = page
      .getByRole('table', { name: `General components of ${taken}` })
      .getByRole('row', { name: /Firmware/ });
    expect(await row.innerText()).not.toContain('Would overwrite');

    // an unknown assignee on an existing component: its form comes back open with the reason
    await page.getByText('Change Firmware').click();
    const edit = page.locator('details', { hasText: 'Change Firmware' });
    await edit.getByLabel('Default assignee').fill('no-such-user-here');
    await edit.getByRole('button', { name: 'Save Firmware' }).click();
    const reopened = page.locator('details[open]', { hasText: 'Change Firmware' });
    await reopened.getByRole('alert').getByText('There is no user with this username.').waitFor();
    expect(await reopened.getByLabel('Default assignee').inputValue()).toBe('no-such-user-here');

    // a new name another component has (in any case) is refused; a free one renames it
    await page.goto(adminPath(taken));
    await addComponent.getByLabel('Component', { exact: true }).fill('Bootloader');
    await addComponent.getByRole('button', { name: 'Add component' }).click();
    await page.getByText('Component Bootloader is added.').waitFor();
    await page.getByText('Change Firmware').click();
    await edit.getByLabel('New name').fill('bootloader');
    await edit.getByRole('button', { name: 'Save Firmware' }).click();
    await reopened.getByRole('alert').getByText('This product already has a component with this name.').waitFor();
    expect(await reopened.getByLabel('New name').inputValue()).toBe('bootloader');
    await reopened.getByLabel('New name').fill('Firmware blobs');
    await reopened.getByRole('button', { name: 'Save Firmware' }).click();
    await page.getByText('Component Firmware blobs is saved.').waitFor();
    await page
      .getByRole('table', { name: `General components of ${taken}` })
      .getByRole('row', { name: /Firmware blobs/ })
      .waitFor();
    expect(await page.getByText('Change Firmware blobs').count()).toBe(1);
  });

  it('refuses the product pages and their forms to everyone but admins', async () => {
    const product = `E2E Closed ${unique()}`;
    await createProduct(product);
    const page = await freshPage({ javaScriptEnabled: false });
    await page.goto('/bugs/admin');
    await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('next') === '/bugs/admin');

    await logIn(page, lead, '/bugs');
    expect(await page.getByRole('link', { name: 'Products and components' }).count()).toBe(0);
    expect((await page.goto('/bugs/admin'))?.status()).toBe(403);
    expect((await page.goto(adminPath(product)))?.status()).toBe(403);
    // a form posted straight to an action is refused as well, and changes nothing
    const post = await page.request.post(`${adminPath(product)}?/addVersion`, {
      form: { name: '6.6' },
      headers: { origin: baseUrl() },
      maxRedirects: 0,
    });
    expect(post.status()).toBe(403);
    const stored = await (
      await adminApi.call('GET', `/api/v1/admin/bug-products/${encodeURIComponent(product)}`)
    ).json();
    expect(stored.versions).toEqual([]);
  });
});
