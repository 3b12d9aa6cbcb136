import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchBrowser, newContext, logIn } from '../support/browser';
import { addComment, createBugProduct, fileBug, type TestProduct } from '../support/bugs';
import { unique } from '../support/e2e-env';
import {
  apiSession,
  createActiveSig,
  createPackage,
  grantSiteRole,
  type ApiSession,
  type TestSig,
} from '../support/sigs';
import { createVerifiedUser, type TestUser } from '../support/users';

async function expectOk(response: Response, what: string): Promise<void> {
  if (!response.ok) throw new Error(`${what} answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
}

/** The visible header cells of the results table. */
function headers(page: Page): Promise<string[]> {
  return page.locator('table thead th').allInnerTexts();
}

const MODES = [
  ['with JavaScript', true],
  ['without JavaScript', false],
] as const;

describe('Bug actions', () => {
  let browser: Browser;
  let admin: ApiSession;
  let lead: TestUser;
  let leadApi: ApiSession;
  let reporter: TestUser;
  let reporterApi: ApiSession;
  let sig: TestSig;
  let pkg: string;
  let product: TestProduct;
  const contexts: BrowserContext[] = [];

  async function freshPage(options: Parameters<typeof newContext>[1] = {}): Promise<Page> {
    const context = await newContext(browser, options);
    contexts.push(context);
    return context.newPage();
  }

  /** A new bug by the suite's reporter, in the lead's SIG. */
  async function newBug(summary = `bug actions ${unique()}`, session = reporterApi): Promise<number> {
    return fileBug(session, { product: product.name, component: pkg, version: product.version, summary });
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    const adminUser = await createVerifiedUser();
    await grantSiteRole(adminUser.username, 'admin');
    admin = await apiSession(adminUser);
    lead = await createVerifiedUser();
    sig = await createActiveSig(admin, [lead.username]);
    pkg = (await createPackage(admin, sig.slug)).name;
    product = await createBugProduct(sig.slug);
    leadApi = await apiSession(lead);
    reporter = await createVerifiedUser();
    reporterApi = await apiSession(reporter);
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  afterAll(async () => {
    await browser.close();
  });

  it('lets a SIG lead ask the reporter for information, clear it, and the reporter answer it by commenting', async () => {
    const id = await newBug();
    const bugPath = `/bugs/${id}`;
    const asked = `${lead.username} asks ${reporter.username} for information`;

    const page = await freshPage();
    await logIn(page, lead, bugPath);
    const needinfo = page.getByRole('region', { name: 'Need info' });
    const ask = async () => {
      await needinfo.getByLabel('Ask user (username)').fill(`@${reporter.username}`);
      await needinfo.getByLabel('Question (added as a comment)').fill('Which firmware version?');
      await needinfo.getByRole('button', { name: 'Request information' }).click();
      await needinfo.getByText('The information request has been updated.').waitFor();
      await needinfo.getByText(asked).waitFor();
    };
    await ask();
    // the question is a comment too
    await page
      .getByRole('region', { name: /^Comments/ })
      .getByText('Which firmware version?')
      .waitFor();

    await needinfo.getByRole('button', { name: new RegExp(`^Clear\\s*: ${reporter.username}$`) }).click();
    await needinfo.getByText(asked).waitFor({ state: 'detached' });
    await page.reload();
    expect(await needinfo.getByText(asked).count()).toBe(0);

    await ask();
    const reporterPage = await freshPage();
    await logIn(reporterPage, reporter, bugPath);
    await reporterPage.getByRole('region', { name: 'Need info' }).getByText(asked).waitFor();
    await reporterPage.getByLabel('Comment', { exact: true }).fill('Firmware 1.2.3.');
    await reporterPage.getByRole('button', { name: 'Comment', exact: true }).click();
    await reporterPage.getByText('Your comment has been added.').waitFor();
    await reporterPage.getByRole('region', { name: 'Need info' }).getByText(asked).waitFor({ state: 'detached' });
    await page.reload();
    expect(await needinfo.getByText(asked).count()).toBe(0);
  });

  it.each(MODES)(
    'lets a user CC themselves and say the bug affects them too, and take both back, %s',
    async (_mode, js) => {
      const id = await newBug();
      const user = await createVerifiedUser();
      const page = await freshPage({ javaScriptEnabled: js });
      await logIn(page, user, `/bugs/${id}`);
      const me = page.getByRole('region', { name: 'You and this bug' });
      const facts = page.getByRole('region', { name: 'Details' });
      const fact = (name: string): Locator =>
        facts.locator('dt', { hasText: name }).locator('xpath=following-sibling::dd[1]');

      expect(await fact('CC').innerText()).toBe('0 people');
      await me.getByRole('button', { name: 'CC me' }).click();
      await me.getByRole('button', { name: 'Remove me from CC' }).waitFor();
      expect(await fact('CC').innerText()).toBe('1 people');

      await me.getByRole('button', { name: 'This affects me too' }).click();
      const notAffected = me.getByRole('button', { name: 'It no longer affects me' });
      await notAffected.waitFor();
      expect(await notAffected.getAttribute('aria-pressed')).toBe('true');
      expect(await fact('Also affected').innerText()).toBe('1');

      // what the page shows is what the API stored
      await page.reload();
      await me.getByRole('button', { name: 'Remove me from CC' }).click();
      await me.getByRole('button', { name: 'CC me' }).waitFor();
      await notAffected.click();
      await me.getByRole('button', { name: 'This affects me too' }).waitFor();
      expect(await fact('CC').innerText()).toBe('0 people');
      expect(await fact('Also affected').innerText()).toBe('0');
    },
  );

  it.each(MODES)('lets a SIG lead resolve a bug as a duplicate of another, %s', async (_mode, js) => {
    const original = await newBug();
    const id = await newBug();
    const page = await freshPage({ javaScriptEnabled: js });
    await logIn(page, lead, `/bugs/${id}`);
    const status = page.getByRole('region', { name: 'Change status' });
    await status.getByLabel('Status', { exact: true }).selectOption('RESOLVED');
    await status.getByLabel('Resolution').selectOption('DUPLICATE');
    await status.getByLabel('Duplicate of bug').fill(`#${original}`);
    await status.getByLabel('Comment (optional)').fill('Same panic as the original.');
    await status.getByRole('button', { name: 'Change status' }).click();
    await page.getByText('The status has been changed.').waitFor();
    const head = page.locator('header.head');
    await head.locator('.badge', { hasText: 'Resolved' }).waitFor();
    await head.locator('.badge', { hasText: 'Duplicate' }).waitFor();
    await head.getByRole('link', { name: `#${original}` }).waitFor();
    await page
      .getByRole('region', { name: /^Comments/ })
      .getByText('Same panic as the original.')
      .waitFor();
    // the history names the fields as the page does, not with Bugzilla's column names
    const history = page.getByRole('region', { name: 'History' });
    await history.locator('summary').click();
    const fields = await history.locator('tbody th[scope="row"]').allInnerTexts();
    expect(fields).toEqual(expect.arrayContaining(['Status', 'Resolution', 'Duplicate of bug']));
    expect(fields).not.toContain('dupe_of');

    const originalPage = await freshPage({ javaScriptEnabled: js });
    await originalPage.goto(`/bugs/${original}`);
    const duplicates = originalPage
      .getByRole('region', { name: 'Details' })
      .locator('dt', { hasText: 'Duplicates' })
      .locator('xpath=following-sibling::dd[1]');
    expect(await duplicates.innerText()).toBe(`#${id}`);
  });

  it.each(MODES)(
    'shows the reporter only the fields they may edit, and sends only the fields that changed, %s',
    async (_mode, js) => {
      const id = await newBug();
      const reporterPage = await freshPage({ javaScriptEnabled: js });
      await logIn(reporterPage, reporter, `/bugs/${id}`);
      const reporterEdit = reporterPage.locator('form[action="?/edit"]');
      await reporterPage.getByText('Show the fields you may change').click();
      await reporterEdit.getByLabel('Summary').waitFor();
      for (const hidden of ['Component', 'Severity', 'Priority', 'Assignee', 'Whiteboard', 'Keywords'])
        expect(await reporterEdit.getByLabel(hidden, { exact: true }).count()).toBe(0);

      const page = await freshPage({ javaScriptEnabled: js });
      await logIn(page, lead, `/bugs/${id}`);
      const edit = page.locator('form[action="?/edit"]');
      const openEdit = async () => {
        if (!(await edit.isVisible())) await page.getByText('Show the fields you may change').click();
      };
      const facts = page.getByRole('region', { name: 'Details' });
      const fact = (name: string): Locator =>
        facts.locator('dt', { hasText: new RegExp(`^${name}$`) }).locator('xpath=following-sibling::dd[1]');
      const changed = async () =>
        ((await (await leadApi.call('GET', `/api/v1/bugs/${id}/history`)).json()) as { field: string }[])
          .map((entry) => entry.field)
          .sort();

      await openEdit();
      await edit.getByLabel('Whiteboard').fill('needs-bisect');
      await edit.getByLabel('Assignee').fill(reporter.username);
      await edit.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText('The bug has been updated.').waitFor();
      expect(await fact('Whiteboard').innerText()).toBe('needs-bisect');
      expect(await fact('Assignee').innerText()).toBe(reporter.username);
      expect(await changed()).toEqual(['assigned_to', 'status_whiteboard']);

      // a second change from the same page: the form shows the bug as it is now, not as first loaded
      await openEdit();
      expect(await edit.getByLabel('Whiteboard').inputValue()).toBe('needs-bisect');
      await edit.getByLabel('Keywords').fill('regression, nvme');
      await edit.getByRole('button', { name: 'Save changes' }).click();
      await fact('Keywords').getByText('regression, nvme').waitFor();
      expect(await fact('Whiteboard').innerText()).toBe('needs-bisect');
      expect(await fact('Severity').innerText()).toBe('Normal');
      expect(await changed()).toEqual(['assigned_to', 'keywords', 'status_whiteboard']);
    },
  );

  it.each(MODES)(
    'tells an editor about a mid-air collision instead of overwriting a change made since the page loaded, %s',
    async (_mode, js) => {
      const id = await newBug();
      const page = await freshPage({ javaScriptEnabled: js });
      await logIn(page, lead, `/bugs/${id}`);
      await expectOk(await admin.call('PATCH', `/api/v1/bugs/${id}`, { priority: 'P1' }), 'the admin’s change');

      const edit = page.locator('form[action="?/edit"]');
      await page.getByText('Show the fields you may change').click();
      await edit.getByLabel('Whiteboard').fill('mid-air');
      await edit.getByRole('button', { name: 'Save changes' }).click();
      await page
        .getByRole('alert')
        .getByText(/Someone else changed this bug while you were editing it/)
        .waitFor();
      const stored = async () => {
        const bug = (await (await leadApi.call('GET', `/api/v1/bugs/${id}`)).json()) as {
          whiteboard: string;
          priority: string;
        };
        return { whiteboard: bug.whiteboard, priority: bug.priority };
      };
      expect(await stored()).toEqual({ whiteboard: '', priority: 'P1' });

      // the page now shows the bug as it is, so trying again saves without undoing the other change
      const priority = page
        .getByRole('region', { name: 'Details' })
        .locator('dt', { hasText: /^Priority$/ })
        .locator('xpath=following-sibling::dd[1]');
      await priority.getByText('P1').waitFor();
      if (!(await edit.isVisible())) await page.getByText('Show the fields you may change').click();
      expect(await edit.getByLabel('Priority').inputValue()).toBe('P1');
      await edit.getByLabel('Whiteboard').fill('mid-air');
      await edit.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText('The bug has been updated.').waitFor();
      expect(await stored()).toEqual({ whiteboard: 'mid-air', priority: 'P1' });
    },
  );

  it('marks the invalid field of the edit form and keeps what was typed, without JavaScript', async () => {
    const id = await newBug();
    const page = await freshPage({ javaScriptEnabled: false });
    await logIn(page, lead, `/bugs/${id}`);
    const edit = page.locator('form[action="?/edit"]');
    await page.getByText('Show the fields you may change').click();
    await edit.getByLabel('Whiteboard').fill('kept');
    await edit.getByLabel('Depends on').fill('12, abc');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    const alert = page.getByRole('region', { name: 'Edit fields' }).getByRole('alert');
    await alert.getByText('Please correct the marked fields.').waitFor();
    expect(await alert.getByRole('listitem').allInnerTexts()).toEqual(['Depends on']);
    expect(await edit.getByLabel('Depends on').getAttribute('aria-invalid')).toBe('true');
    expect(await edit.getByLabel('Depends on').inputValue()).toBe('12, abc');
    expect(await edit.getByLabel('Whiteboard').inputValue()).toBe('kept');
  });

  it.each(MODES)('lets a visitor choose the result columns, kept in a cookie, %s', async (_mode, js) => {
    const page = await freshPage({ javaScriptEnabled: js });
    await page.goto('/bugs');
    await page.waitForLoadState('networkidle');
    expect(await headers(page)).toContain('Severity');
    expect(await headers(page)).not.toContain('Reporter');
    await page.locator('summary', { hasText: 'Columns' }).click();
    await page.getByRole('checkbox', { name: 'Severity' }).uncheck();
    await page.getByRole('checkbox', { name: 'Reporter' }).check();
    await page.getByRole('button', { name: 'Apply columns' }).click();
    await page.waitForURL(/cols=1/);
    await page.locator('table thead th', { hasText: 'Reporter' }).waitFor();
    expect(await headers(page)).not.toContain('Severity');

    // the choice outlives the URL
    await page.goto('/bugs');
    expect(await headers(page)).toContain('Reporter');
    expect(await headers(page)).not.toContain('Severity');
  });

  it('saves a shared, watched search, lists it for its owner and others, and deletes it', async () => {
    const marker = `saved${unique()}`;
    const summary = `saved search finds ${marker}`;
    await newBug(summary);
    const owner = await createVerifiedUser();
    const page = await freshPage();
    await logIn(page, owner, `/bugs?q=${marker}`);
    await page.getByRole('link', { name: summary }).waitFor();
    const save = page.getByRole('region', { name: 'Save this search' });
    await save.getByLabel('Name').fill(`My ${marker}`);
    await save.getByLabel('Share with everyone').check();
    await save.getByLabel('Mail me about new and changed bugs it finds').check();
    await save.getByRole('button', { name: 'Save search' }).click();
    await page.getByText('The search has been saved.').waitFor();
    const list = page.getByRole('region', { name: 'Saved searches' });
    const item = list.getByRole('listitem').filter({ hasText: `My ${marker}` });
    await item.getByText('shared').waitFor();
    await item.getByText('watched').waitFor();

    // another user sees the shared search but may not delete it
    const other = await createVerifiedUser();
    const otherPage = await freshPage();
    await logIn(otherPage, other, '/bugs');
    const otherItem = otherPage
      .getByRole('region', { name: 'Saved searches' })
      .getByRole('listitem')
      .filter({ hasText: `My ${marker}` });
    await otherItem.getByText(owner.username).waitFor();
    expect(await otherItem.getByRole('button').count()).toBe(0);
    await otherItem.getByRole('link', { name: `My ${marker}` }).click();
    await otherPage.waitForURL(/[?&]q=/);
    await otherPage.getByRole('link', { name: summary }).waitFor();
    expect(await otherPage.getByRole('searchbox', { name: 'Search bugs' }).inputValue()).toBe(marker);

    await item.getByRole('button', { name: new RegExp(`^Delete\\s*: My ${marker}$`) }).click();
    await page.getByText('The saved search has been deleted.').waitFor();
    await item.waitFor({ state: 'detached' });
    await list.getByText('No saved searches yet.').waitFor();
  });

  it('sorts my bugs into reported, assigned, CC and need-info tabs', async () => {
    const user = await createVerifiedUser();
    const userApi = await apiSession(user);
    const reported = `mine reported ${unique()}`;
    const assigned = `mine assigned ${unique()}`;
    const cc = `mine cc ${unique()}`;
    const needinfo = `mine needinfo ${unique()}`;
    await newBug(reported, userApi);
    const assignedId = await newBug(assigned);
    await expectOk(await leadApi.call('PATCH', `/api/v1/bugs/${assignedId}`, { assignee: user.username }), 'assigning');
    const ccId = await newBug(cc);
    await expectOk(await userApi.call('PATCH', `/api/v1/bugs/${ccId}`, { cc: { add: [user.username] } }), 'CC');
    const needinfoId = await newBug(needinfo);
    await expectOk(await leadApi.call('POST', `/api/v1/bugs/${needinfoId}/needinfo`, { user: user.username }), 'ask');

    const page = await freshPage();
    await logIn(page, user, '/bugs/mine');
    const tabs = page.getByRole('navigation', { name: 'My bugs by role' });
    const all = [reported, assigned, cc, needinfo];
    for (const [tab, expected] of [
      ['Reported', reported],
      ['Assigned', assigned],
      ['CC', cc],
      ['Need info', needinfo],
    ] as const) {
      if (tab !== 'Reported') await tabs.getByRole('link', { name: tab, exact: true }).click();
      await tabs.getByRole('link', { name: tab, exact: true }).and(page.locator('[aria-current="page"]')).waitFor();
      await page.getByRole('link', { name: expected }).waitFor();
      const shown = await page.locator('tbody th a').allInnerTexts();
      expect(shown.filter((text) => all.includes(text))).toEqual([expected]);
    }
  });

  it('saves the bug mail matrix from the profile page', async () => {
    const user = await createVerifiedUser();
    const page = await freshPage();
    await logIn(page, user, '/profile');
    const matrix = page.getByRole('region', { name: 'Bug mail' });
    const commentAsCc = matrix.getByRole('checkbox', { name: 'A comment is added, as CC' });
    const fieldsAsWatcher = matrix.getByRole('checkbox', { name: 'Other fields change, as Watcher' });
    expect(await commentAsCc.isChecked()).toBe(true);
    await commentAsCc.uncheck();
    await fieldsAsWatcher.uncheck();
    await matrix.getByRole('button', { name: 'Save mail settings' }).click();
    await matrix.getByText('Your bug mail settings have been saved.').waitFor();
    // a second save from the same page keeps what the first one turned off
    const statusAsQa = matrix.getByRole('checkbox', { name: 'The status changes, as QA contact' });
    await statusAsQa.uncheck();
    await statusAsQa.check();
    await matrix.getByRole('button', { name: 'Save mail settings' }).click();
    await page.waitForLoadState('networkidle');
    expect(await commentAsCc.isChecked()).toBe(false);

    await page.reload();
    expect(await commentAsCc.isChecked()).toBe(false);
    expect(await fieldsAsWatcher.isChecked()).toBe(false);
    expect(await matrix.getByRole('checkbox', { name: 'A comment is added, as Reporter' }).isChecked()).toBe(true);
    const prefs = (await (await (await apiSession(user)).call('GET', '/api/v1/me/bug-mail')).json()) as {
      prefs: { role: string; event: string; enabled: boolean }[];
    };
    expect(
      prefs.prefs
        .filter((pref) => !pref.enabled)
        .map((pref) => `${pref.role}:${pref.event}`)
        .sort(),
    ).toEqual(['cc:comment', 'watcher:fields']);
  });

  it("shows an edited comment's earlier versions on a page of their own, as inert text", async () => {
    const id = await newBug();
    await addComment(reporterApi, id, 'First **draft** <img src=x onerror=alert(1)>');
    const bug = (await (await reporterApi.call('GET', `/api/v1/bugs/${id}`)).json()) as {
      comments: { id: number; count: number }[];
    };
    const comment = bug.comments.find((candidate) => candidate.count === 1);
    if (!comment) throw new Error('the comment was not found');
    await expectOk(
      await reporterApi.call('PATCH', `/api/v1/bugs/${id}/comments/${comment.id}`, { body: 'Final wording' }),
      'editing the comment',
    );

    const page = await freshPage({ javaScriptEnabled: false });
    await page.goto(`/bugs/${id}`);
    await page.locator('#c1').getByRole('link', { name: 'edited' }).click();
    await page.waitForURL(`**/bugs/${id}/comments/${comment.id}/revisions`);
    await page.getByRole('heading', { name: 'Edit history of comment #1', level: 1 }).waitFor();
    const current = page.getByRole('region', { name: /^Current version/ });
    expect(await current.locator('.markdown').innerText()).toBe('Final wording');
    const earlier = page.getByRole('region', { name: /^Version 1/ });
    await earlier.getByText(`replaced by ${reporter.username}`).waitFor();
    expect(await earlier.locator('.markdown strong').innerText()).toBe('draft');
    expect(await earlier.locator('.markdown').innerText()).toContain('<img src=x onerror=alert(1)>');
    expect(await page.locator('.markdown img').count()).toBe(0);
    await page.getByRole('link', { name: new RegExp(`^← Bug ${id}`) }).click();
    await page.waitForURL(`**/bugs/${id}#c1`);
  });
});
