import { baseUrl, unique } from './e2e-env';
import { linkIn, waitForMail } from './mailbox';

export interface TestUser {
  username: string;
  email: string;
  password: string;
}

export function makeUser(overrides: Partial<TestUser> = {}): TestUser {
  const suffix = unique();
  return {
    username: `u${suffix}`,
    email: `e2e-${suffix}@example.test`,
    password: `pw-${suffix}-long-enough`,
    ...overrides,
  };
}

async function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${baseUrl()}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
}

/** A registered, verified user made through the API (and the real verification mail). */
export async function createVerifiedUser(overrides: Partial<TestUser> = {}): Promise<TestUser> {
  const user = makeUser(overrides);
  const registered = await post('/api/v1/auth/register', { ...user, locale: 'en' });
  if (registered.status !== 201) throw new Error(`register answered ${registered.status}: ${await registered.text()}`);
  const mail = await waitForMail(user.email, (m) => /verify-email/.test(m.text + m.html));
  const token = new URL(linkIn(mail, '/verify-email')).searchParams.get('token');
  const verified = await post('/api/v1/auth/verify-email', { token });
  if (verified.status !== 200) throw new Error(`verify-email answered ${verified.status}: ${await verified.text()}`);
  return user;
}
