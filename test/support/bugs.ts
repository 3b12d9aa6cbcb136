import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { unique } from './e2e-env';
import type { ApiSession } from './sigs';

const execFileAsync = promisify(execFile);

function databaseUrl(): string {
  const url = process.env.E2E_DATABASE_URL;
  if (!url) throw new Error('E2E_DATABASE_URL is not set: bug products can only be made in the suite database');
  return url;
}

export interface TestProduct {
  name: string;
  version: string;
  /** A general (non-package) component, owned by the SIG given to createBugProduct. */
  component: string;
}

export const BUG_TEMPLATE = '**What happened**\n\n**Steps to reproduce**\n1.\n';

/**
 * A bug product with one version and one general component owned by `sigSlug`, made in the
 * database as api/src/database/seeds/bugs.seed.ts does: no API creates products, and the suite's
 * product starts without the demo data. Packages count as components too (package_components).
 */
export async function createBugProduct(sigSlug: string): Promise<TestProduct> {
  if (!/^[a-z][a-z0-9-]*$/.test(sigSlug)) throw new Error(`unexpected SIG slug ${sigSlug}`);
  const product: TestProduct = { name: `E2E ${unique()}`, version: '9.2', component: 'General' };
  const template = BUG_TEMPLATE.replace(/'/g, "''");
  const sql = `
    WITH p AS (
      INSERT INTO bug_products (name, description, package_components, bug_template)
      VALUES ('${product.name}', 'A product made by the browser tests.', true, '${template}') RETURNING id
    ), v AS (
      INSERT INTO bug_versions (product_id, name) SELECT id, '${product.version}' FROM p
    )
    INSERT INTO bug_components (product_id, name, description, sig_id)
    SELECT p.id, '${product.component}', 'Anything else', (SELECT id FROM sigs WHERE slug = '${sigSlug}') FROM p`;
  await execFileAsync('psql', ['-v', 'ON_ERROR_STOP=1', '-q', '-d', databaseUrl(), '-c', sql]);
  return product;
}

export interface BugInput {
  product: string;
  component: string;
  version: string;
  summary: string;
  description?: string;
  isPrivate?: boolean;
}

/** Files a bug over the API and returns its number. */
export async function fileBug(session: ApiSession, input: BugInput): Promise<number> {
  const response = await session.call('POST', '/api/v1/bugs', {
    description: 'Filed by the browser tests.',
    ...input,
  });
  if (response.status !== 201) throw new Error(`filing the bug answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { id: number }).id;
}

/** Adds a comment over the API. */
export async function addComment(session: ApiSession, bug: number, body: string): Promise<void> {
  const response = await session.call('POST', `/api/v1/bugs/${bug}/comments`, { body });
  if (response.status !== 201)
    throw new Error(`commenting answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
}
