import type { Browser, BrowserContext } from 'playwright-core';
import { expectAccessible } from '../support/a11y';
import { createBugProduct, fileBug } from '../support/bugs';
import { launchBrowser, newContext } from '../support/browser';
import { baseUrl } from '../support/e2e-env';
import { castBallot, logIn, openVoting, seatBody, sessionOf, signIn } from '../support/governance';
import { linkIn, waitForMail } from '../support/mailbox';
import { apiSession, createActiveSig, grantSiteRole } from '../support/sigs';
import { createVerifiedUser, makeUser } from '../support/users';

describe('joining the community', () => {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const freshPage = async (options: Parameters<typeof newContext>[1] = {}) => {
    const context = await newContext(browser, options);
    contexts.push(context);
    return context.newPage();
  };

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await browser.close();
  });

  it('takes a newcomer from an account through the CLA to a followed SIG and a first good bug, without JavaScript', async () => {
    const adminUser = await createVerifiedUser();
    await grantSiteRole(adminUser.username, 'admin');
    const admin = await apiSession(adminUser);
    const lead = await createVerifiedUser();
    const sig = await createActiveSig(admin, [lead.username]);
    const product = await createBugProduct(sig.slug);
    const good = { product: product.name, component: 'General', version: '9.2', summary: 'Typo in the welcome screen' };
    const goodId = await fileBug(admin, { ...good, keywords: ['good-first-bug'] } as typeof good);

    const page = await freshPage({ javaScriptEnabled: false });
    await page.goto('/join');
    await page.getByRole('heading', { name: 'Join the OpenCloudOS community', level: 1 }).waitFor();
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.waitForURL('**/register?next=%2Fjoin');
    const user = makeUser();
    await page.getByLabel('Email address').fill(user.email);
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    const mail = await waitForMail(user.email, (m) => /verify-email/.test(m.text + m.html));
    // the way back to the join path is kept for the login after verifying
    const toLogin = page.getByRole('link', { name: 'Go to login', exact: true });
    expect(await toLogin.getAttribute('href')).toBe('/login?next=%2Fjoin');
    await page.goto(linkIn(mail, '/verify-email'));
    await page.getByText('Your email address is verified').waitFor();
    await logIn(page, user, '/join');

    // the CLA: a name and the box, then it is recorded and the page moves on
    await page.getByText(`You are logged in as ${user.username}.`).waitFor();
    await page.getByRole('button', { name: 'Sign the agreement' }).click();
    await page.locator('#field-fullName[aria-invalid="true"], #field-fullName:invalid').first().waitFor();
    await page.getByLabel('Your full name').fill('Li Ming');
    await page.getByLabel(/I have read and accept the contributor licence agreement/).check();
    await page.getByRole('button', { name: 'Sign the agreement' }).click();
    await page.waitForURL('**/join?signed=1#sigs');
    await page.getByText(/You signed version 1\.0 on/).waitFor();
    expect(await page.getByRole('button', { name: 'Sign the agreement' }).count()).toBe(0);

    await page.getByRole('button', { name: `Follow bugs of ${sig.nameEn}` }).click();
    await page.getByText('You now follow the bugs of this SIG.').waitFor();
    const firstBugs = page.getByRole('region', { name: /first good bug/ });
    await firstBugs.getByRole('link', { name: `#${goodId} ${good.summary}` }).waitFor();
    await expectAccessible(page);
    await firstBugs.getByRole('link', { name: /All first good bugs/ }).click();
    await page.waitForURL(/\/bugs\?q=kw%3Agood-first-bug%2Ceasyfix/);
    await page.getByRole('link', { name: good.summary }).first().waitFor();

    const status = await fetch(`${baseUrl()}/api/v1/cla/status?username=${user.username}`);
    expect(await status.json()).toMatchObject({ signed: true, version: '1.0' });
    const watch = await (await sessionOf(user)).call('GET', `/api/v1/sigs/${sig.slug}/bug-watch`);
    expect(await watch.json()).toMatchObject({ watching: true });

    await page.goto('/profile');
    const cla = page.getByRole('region', { name: 'Contributor licence agreement' });
    await cla.getByText('Signed', { exact: true }).waitFor();
    await page.getByRole('region', { name: 'Notification settings' }).waitFor();
    await expectAccessible(page);
  });

  it('admits an organisation the council votes for, after a member organisation nominates it', async () => {
    const adminUser = await createVerifiedUser();
    await grantSiteRole(adminUser.username, 'admin');
    const [chair, councillor, founderRep, applicant] = await Promise.all([
      createVerifiedUser(),
      createVerifiedUser(),
      createVerifiedUser(),
      createVerifiedUser(),
    ]);
    await seatBody('council', [
      [chair, 'chair'],
      [councillor, null],
    ]);
    const chairApi = await sessionOf(chair);
    const councilApi = await sessionOf(councillor);
    const vote = async (proposalId: number) => {
      await openVoting(chairApi, proposalId, 48);
      await castBallot(chairApi, proposalId, { vote: 'yes' });
      expect(await castBallot(councilApi, proposalId, { vote: 'yes' })).toBe(true);
    };
    // a founding member, nominated by an admin (no member organisation exists to do it)
    const founder = `Founding ${founderRep.username}`;
    const applied = await (
      await sessionOf(founderRep)
    ).call('POST', '/api/v1/organisations/applications', {
      name: founder,
      website: 'https://founding.example',
      description: 'A founding member of the council.',
      contactName: 'Zhang',
      contactEmail: 'zhang@founding.example',
    });
    const founding = (await applied.json()) as { id: number };
    const nominatedFounder = await (
      await sessionOf(adminUser)
    ).call('POST', `/api/v1/organisations/applications/${founding.id}/nominate`, {});
    await vote(((await nominatedFounder.json()) as { proposalId: number }).proposalId);

    // the applicant applies in the browser
    const org = `Example Cloud ${applicant.username}`;
    const page = await freshPage();
    await logIn(page, applicant, '/council/apply');
    await page.waitForLoadState('networkidle');
    await expectAccessible(page);
    await page.getByLabel('Organisation name').fill(org);
    await page.getByLabel('Website').fill('https://cloud.example.cn');
    await page.getByLabel('About the organisation').fill('We run OpenCloudOS on twenty thousand servers.');
    await page.getByLabel('Contact person').fill('Chen');
    await page.getByLabel('Contact e-mail').fill('partner@cloud.example.cn');
    await page.getByRole('button', { name: 'Send the application' }).click();
    await page.waitForURL(/\/council\/applications\/\d+\?sent=1$/);
    const appPath = new URL(page.url()).pathname;
    expect(await page.getByTestId('org-status').textContent()).toBe('Waiting for a nomination');
    await page.getByText('partner@cloud.example.cn').waitFor();
    await expectAccessible(page);
    await waitForMail(applicant.email, (m) => m.subject.includes(org));

    // the founding member's representative nominates; contacts stay hidden from them
    const rep = await freshPage();
    await signIn(rep.context(), founderRep);
    await rep.goto(appPath);
    await rep.getByRole('heading', { name: org, level: 1 }).waitFor();
    expect(await rep.getByText('partner@cloud.example.cn').count()).toBe(0);
    await rep.getByLabel(/Why the council should admit them/).fill('They maintain the storage stack.');
    await rep.getByRole('button', { name: 'Nominate', exact: true }).click();
    await rep.getByText('Nominated. The council will discuss and vote.').waitFor();
    const voteLink = rep.getByRole('link', { name: 'The council’s proposal and vote' });
    const proposalId = Number((await voteLink.getAttribute('href'))!.split('/').pop());
    await waitForMail(applicant.email, (m) => m.subject.includes('was nominated'));
    // and the vote links back to the application, for those who may read it
    await voteLink.click();
    await rep.getByTestId('application-link').click();
    await rep.waitForURL((u) => u.pathname === appPath);
    await rep.getByRole('heading', { name: org, level: 1 }).waitFor();

    await vote(proposalId);
    await waitForMail(applicant.email, (m) => m.subject.includes('is now a member organisation'));
    await page.goto(appPath);
    expect(await page.getByTestId('org-status').textContent()).toBe('Member');
    await page.goto('/council');
    const members = page.getByRole('region', { name: 'Member organisations' });
    await members.getByRole('link', { name: org }).waitFor();
    await members.getByRole('link', { name: founder }).waitFor();
    await expectAccessible(page);
  });

  it('lets the council chair turn down an application before a nomination, without JavaScript', async () => {
    const [chair, applicant] = await Promise.all([createVerifiedUser(), createVerifiedUser()]);
    await seatBody('council', [[chair, 'chair']]);
    const org = `Buy Followers ${applicant.username}`;
    const applied = await (
      await sessionOf(applicant)
    ).call('POST', '/api/v1/organisations/applications', {
      name: org,
      website: 'https://followers.example',
      description: 'Followers for sale.',
      contactName: 'Spam',
      contactEmail: 'spam@followers.example',
    });
    const { id } = (await applied.json()) as { id: number };

    const page = await freshPage({ javaScriptEnabled: false });
    await signIn(page.context(), chair);
    await page.goto(`/council/applications/${id}`);
    await page.getByLabel('Reason').fill('Not an organisation that uses OpenCloudOS.');
    await page.getByRole('button', { name: 'Decline the application' }).click();
    await page.getByText('The application was declined; the applicant has been told why.').waitFor();
    expect(await page.getByTestId('org-status').textContent()).toBe('Declined');
    expect(await page.getByTestId('decline-reason').textContent()).toBe('Not an organisation that uses OpenCloudOS.');
    expect(await page.getByRole('button', { name: 'Decline the application' }).count()).toBe(0);
    const mail = await waitForMail(applicant.email, (m) => m.subject.includes('was declined'));
    expect(mail.text).toContain('Not an organisation that uses OpenCloudOS.');
  });
});
