import { expectAccessible } from '../support/a11y';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchBrowser, newContext } from '../support/browser';
import { ARTIFACTS_DIR, baseUrl, unique } from '../support/e2e-env';
import { castBallot, logIn, openVoting, propose, seatBody, sessionOf, signIn } from '../support/governance';
import type { ApiSession } from '../support/sigs';
import { createVerifiedUser, type TestUser } from '../support/users';

/** What the pages say, in each language the motion test runs in. */
const WORDS = {
  en: {
    newLink: 'New proposal',
    title: 'Title',
    text: 'Text',
    create: 'Create draft',
    draft: 'Draft',
    discuss: 'Start the discussion',
    discussion: 'Discussion',
    comment: 'Add a comment',
    commentSubmit: 'Comment',
    hours: 'Voting window (hours)',
    open: 'Open voting',
    voting: 'Voting',
    yes: 'Yes',
    cast: 'Cast ballot',
    recorded: 'Your ballot was recorded.',
    closed: 'Closed',
    passed: 'Passed',
    chainOk: 'Hash chain verified',
    rollCall: 'Who voted what',
  },
  'zh-CN': {
    newLink: '新建议案',
    title: '标题',
    text: '正文',
    create: '创建草稿',
    draft: '草稿',
    discuss: '开始讨论',
    discussion: '讨论中',
    comment: '发表评论',
    commentSubmit: '评论',
    hours: '投票时长（小时）',
    open: '开始投票',
    voting: '投票中',
    yes: '赞成',
    cast: '投出选票',
    recorded: '您的选票已记录。',
    closed: '已结束',
    passed: '通过',
    chainOk: '哈希链校验通过',
    rollCall: '投票明细',
  },
} as const;
type Lang = keyof typeof WORDS;

/** Waits until the locator's text is exactly `text` (after trimming). */
async function hasText(locator: Locator, text: string): Promise<void> {
  await locator.filter({ hasText: new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) }).waitFor();
}

/** Opens `next` signed in and, for Chinese, switches the language from the header as a visitor would. */
async function enter(page: Page, user: TestUser, next: string, lang: Lang): Promise<void> {
  await signIn(page.context(), user);
  await page.goto(next);
  if (lang === 'zh-CN') {
    await page.getByRole('button', { name: '简体中文' }).click();
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  }
  await page.waitForLoadState('networkidle');
}

/** The numbers of one row of a result matrix (the diagonal is null). */
async function matrixRow(page: Page, matrix: string, row: number): Promise<(number | null)[]> {
  const cells = page.locator(`table[data-matrix="${matrix}"] tbody tr`).nth(row).locator('td');
  return (await cells.allTextContents()).map((text) => {
    const n = /^\s*(\d+)/.exec(text);
    return n ? Number(n[1]) : null;
  });
}

describe('governance', () => {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  // five people the tests seat in the TOC in different roles (seatBody replaces the members each time)
  let people: TestUser[];
  let api: Map<string, ApiSession>;
  const session = (user: TestUser): ApiSession => api.get(user.username)!;

  /** A new browser profile; English by explicit choice, as the people may have saved Chinese earlier. */
  async function freshPage(options: Parameters<typeof newContext>[1] = {}): Promise<Page> {
    const context = await newContext(browser, options);
    await context.addCookies([{ name: 'och_lang', value: 'en', url: baseUrl() }]);
    contexts.push(context);
    return context.newPage();
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    people = await Promise.all(Array.from({ length: 5 }, () => createVerifiedUser()));
    api = new Map(await Promise.all(people.map(async (p) => [p.username, await sessionOf(p)] as const)));
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  afterAll(async () => {
    await browser.close();
  });

  it.each([['en'], ['zh-CN']] as const)(
    'takes a TOC motion from draft to a published roll-call result in the browser (%s)',
    async (lang) => {
      const w = WORDS[lang];
      const [chair, proposer, voter, m4, m5] = people as [TestUser, TestUser, TestUser, TestUser, TestUser];
      await seatBody('toc', [
        [chair, 'chair'],
        [proposer, null],
        [voter, null],
        [m4, null],
        [m5, null],
      ]);
      const title = `Adopt the ${unique()} release schedule`;

      // the proposer drafts it and starts the discussion
      const author = await freshPage();
      await enter(author, proposer, '/governance', lang);
      await author.getByRole('link', { name: w.newLink }).click();
      await author.waitForURL('**/governance/new');
      await author.waitForLoadState('networkidle');
      await author.getByLabel(w.title, { exact: true }).fill(title);
      await author.getByLabel(w.text, { exact: true }).fill('OC 9.4 ships in **June**.');
      await author.getByRole('button', { name: w.create }).click();
      await author.waitForURL(/\/governance\/proposals\/\d+$/);
      const url = new URL(author.url()).pathname;
      if (lang === 'en') await expectAccessible(author);
      const id = Number(url.split('/').pop());
      await author.getByRole('heading', { name: title, level: 1 }).waitFor();
      await author.locator('.markdown strong', { hasText: 'June' }).waitFor();
      await hasText(author.getByTestId('status'), w.draft);
      await author.getByRole('button', { name: w.discuss }).click();
      await hasText(author.getByTestId('status'), w.discussion);

      // a member comments; the chair opens the vote
      const voterPage = await freshPage();
      await enter(voterPage, voter, url, lang);
      if (lang === 'en') {
        await voterPage.getByLabel(w.comment).fill('I support *this* plan.');
        await voterPage.getByRole('button', { name: w.commentSubmit, exact: true }).click();
        await voterPage.locator('.comments em', { hasText: 'this' }).waitFor();
      }

      const chairPage = await freshPage();
      await enter(chairPage, chair, url, lang);
      await chairPage.getByLabel(w.hours).fill('48');
      await chairPage.getByRole('button', { name: w.open }).click();
      await hasText(chairPage.getByTestId('status'), w.voting);
      await chairPage.locator('time[datetime]').first().waitFor();

      // one member votes in the browser, the others over the API; the last ballot closes the vote
      await voterPage.reload();
      await voterPage.waitForLoadState('networkidle');
      await voterPage.getByRole('radio', { name: w.yes }).check();
      await voterPage.getByRole('button', { name: w.cast }).click();
      await voterPage.getByText(w.recorded).waitFor();
      await voterPage
        .getByRole('region', { name: w.rollCall })
        .getByRole('row', { name: new RegExp(voter.username) })
        .waitFor();
      await hasText(voterPage.getByTestId('turnout'), lang === 'en' ? '1 of 5 have voted' : '5 人中已有 1 人投票');

      const closes: boolean[] = [];
      for (const [who, vote] of [
        [chair, 'yes'],
        [proposer, 'yes'],
        [m4, 'no'],
        [m5, 'abstain'],
      ] as const) {
        closes.push(await castBallot(session(who), id, { vote }));
      }
      expect(closes).toEqual([false, false, false, true]);

      await author.reload();
      await hasText(author.getByTestId('status'), w.closed);
      const banner = author.locator('.outcome .banner strong');
      await hasText(banner, w.passed);
      expect(await author.locator('[data-vote="yes"]').textContent()).toBe('3');
      expect(await author.locator('[data-vote="no"]').textContent()).toBe('1');
      expect(await author.locator('[data-vote="abstain"]').textContent()).toBe('1');
      const ballots = author.locator('table.ballots tbody');
      for (const person of [chair, proposer, voter, m4, m5]) {
        await ballots.getByRole('row', { name: new RegExp(person.username) }).waitFor();
      }
      await author.getByText(w.chainOk).waitFor();
      await author.screenshot({ path: path.join(ARTIFACTS_DIR, `governance-motion-${lang}.png`), fullPage: true });

      // the decision is listed on the governance page
      await author.goto('/governance');
      await author
        .getByRole('row', { name: new RegExp(title) })
        .getByText(w.passed)
        .waitFor();
      await author.screenshot({ path: path.join(ARTIFACTS_DIR, `governance-${lang}.png`), fullPage: true });
    },
  );

  it('lets a voter rank a secret Schulze election by keyboard and find the ballot by its receipt', async () => {
    const [chair, ranker, v2, v3] = people as [TestUser, TestUser, TestUser, TestUser];
    await seatBody('toc', [
      [chair, 'chair'],
      [ranker, null],
      [v2, null],
      [v3, null],
    ]);
    const chairApi = session(chair);

    // the chair drafts the election in the browser: candidate rows, a refused duplicate key, then a fix
    const draft = await freshPage();
    await signIn(draft.context(), chair);
    await draft.goto('/governance/new');
    // once hydrated, the fields of other kinds go (the SIG field is shown to everyone without JavaScript)
    await draft.getByLabel('SIG to archive (slug)').waitFor({ state: 'detached' });
    await draft.getByLabel('Kind').selectOption('election');
    await draft.getByLabel('Title').fill(`Elect the TOC chair ${unique()}`);
    await draft.getByRole('button', { name: 'Add a candidate' }).click();
    for (const [n, key, label] of [
      [1, 'alice', 'Alice'],
      [2, 'bob', 'Bob'],
      [3, 'alice', 'Carol'],
    ] as const) {
      await draft.getByLabel(`Key of candidate ${n}`).fill(key);
      await draft.getByLabel(`Name of candidate ${n}`).fill(label);
    }
    await draft.getByRole('button', { name: 'Create draft' }).click();
    await draft.getByText('Candidate keys must differ.').waitFor();
    await draft.screenshot({ path: path.join(ARTIFACTS_DIR, 'governance-new.png'), fullPage: true });
    await draft.getByLabel('Key of candidate 3').fill('carol');
    await draft.getByRole('button', { name: 'Create draft' }).click();
    await draft.waitForURL(/\/governance\/proposals\/\d+$/);
    const id = Number(new URL(draft.url()).pathname.split('/').pop());
    await openVoting(chairApi, id, 72);

    const page = await freshPage();
    await signIn(page.context(), ranker);
    await page.goto(`/governance/proposals/${id}`);
    await page.getByRole('button', { name: 'Add Alice to your ranking' }).waitFor(); // rendered once hydrated
    await expectAccessible(page);
    // keyboard only: rank everything from the pool with Enter, then move Carol to the top with the arrow keys
    await page.getByRole('button', { name: 'Add Alice to your ranking' }).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter'); // focus stays in the pool: Bob
    await page.keyboard.press('Enter'); // Carol
    await page.getByRole('button', { name: 'Carol, rank 3' }).focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await page.getByText('Carol: rank 1 of 3').waitFor();
    await page.getByRole('button', { name: 'Carol, rank 1' }).waitFor();
    await page.getByRole('button', { name: 'Alice, rank 2' }).waitFor();
    await page.getByRole('button', { name: 'Bob, rank 3' }).waitFor();
    await page.getByRole('button', { name: 'Cast ballot' }).press('Enter');
    await page.getByText('Keep this secret now').waitFor();
    const secret = (await page.getByTestId('secret').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'governance-ballot.png'), fullPage: true });

    await castBallot(chairApi, id, { ranks: { alice: 1, bob: 2, carol: 3 } });
    await castBallot(session(v2), id, { ranks: { carol: 1, bob: 2 } });
    expect(await castBallot(session(v3), id, { ranks: { alice: 1, carol: 2, nota: 3 } })).toBe(true);

    await page.reload();
    await page.waitForLoadState('networkidle');
    await page.getByLabel('Receipt secret').fill(secret);
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await page.getByText('This ballot is in the ballot box and counted.').waitFor();
    // ranks in option order alice, bob, carol, nota
    expect(await page.getByTestId('receipt-vote').textContent()).toBe('231-');

    // rows and columns: Alice, Bob, Carol, None of the above
    expect(await matrixRow(page, 'pairwise', 0)).toEqual([null, 3, 2, 3]);
    expect(await matrixRow(page, 'pairwise', 1)).toEqual([1, null, 1, 3]);
    expect(await matrixRow(page, 'pairwise', 2)).toEqual([2, 3, null, 4]);
    expect(await matrixRow(page, 'pairwise', 3)).toEqual([0, 1, 0, null]);
    const header = page.locator('table[data-matrix="pairwise"] thead th');
    expect(await header.allTextContents()).toEqual(['Alice', 'Bob', 'Carol', 'None of the above / 以上皆否']);
    await page.locator('table[data-matrix="strongest"]').waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'governance-schulze.png'), fullPage: true });
  });

  it('takes a motion ballot, a change of mind and a ranked ballot without JavaScript', async () => {
    const [chair, voter, other] = people as [TestUser, TestUser, TestUser];
    await seatBody('toc', [
      [chair, 'chair'],
      [voter, null],
      [other, null],
    ]);
    const chairApi = session(chair);
    const id = await propose(chairApi, { body: 'toc', kind: 'motion', title: `No-script motion ${unique()}` });
    await openVoting(chairApi, id, 24);

    const page = await freshPage({ javaScriptEnabled: false });
    await logIn(page, voter, `/governance/proposals/${id}`);
    await page.getByRole('radio', { name: 'No' }).check();
    await page.getByRole('button', { name: 'Cast ballot' }).click();
    await page.getByText('Your ballot was recorded.').waitFor();
    const rollCall = page.getByRole('region', { name: 'Who voted what' });
    await rollCall.getByRole('row', { name: new RegExp(`${voter.username}.*No`) }).waitFor();

    await page.goto(`/governance/proposals/${id}`);
    expect(await page.getByRole('radio', { name: 'No' }).isChecked()).toBe(true);
    await page.getByRole('radio', { name: 'Yes' }).check();
    await page.getByRole('button', { name: 'Change ballot' }).click();
    await page.getByText('Your ballot was recorded.').waitFor();
    await rollCall.getByRole('row', { name: new RegExp(`${voter.username}.*Yes`) }).waitFor();

    // a ranked ballot without JavaScript: one rank number per option, equal numbers for equal ranks
    const election = await propose(chairApi, {
      body: 'toc',
      kind: 'election',
      title: `No-script election ${unique()}`,
      options: [
        { key: 'alice', label: 'Alice' },
        { key: 'bob', label: 'Bob' },
        { key: 'carol', label: 'Carol' },
      ],
    });
    await openVoting(chairApi, election, 72);
    await page.goto(`/governance/proposals/${election}`);
    await page.getByLabel('Alice').fill('1');
    await page.getByLabel('Bob').fill('1');
    await page.getByLabel('Carol').fill('2');
    await page.getByRole('button', { name: 'Cast ballot' }).click();
    await page.getByText('Keep this secret now').waitFor();
    await page.goto(`/governance/proposals/${election}`);
    await page.getByText('You voted. You can change your ballot until the vote closes.').waitFor();
    expect(await page.getByLabel('Bob').inputValue()).toBe('1');
    expect(await page.getByLabel('Carol').inputValue()).toBe('2');

    // the body page, also without JavaScript: members with their offices, and this proposal
    await page.goto('/governance/bodies/toc');
    const members = page.getByRole('region', { name: 'Current members' });
    await members.getByRole('row', { name: new RegExp(`${chair.username}.*Chair`) }).waitFor();
    await members.getByRole('row', { name: new RegExp(other.username) }).waitFor();
    await page
      .getByRole('region', { name: 'Proposals' })
      .getByRole('link', { name: /No-script motion/ })
      .first()
      .waitFor();
    await expectAccessible(page);
  });
});
