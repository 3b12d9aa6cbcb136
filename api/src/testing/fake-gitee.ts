import { randomBytes } from 'node:crypto';
import { FakeGiteeApi, type FakeGiteeUser } from '../../../infra/fakes/gitee';

export type { FakeGiteeUser };

/**
 * Gitee's OAuth2 for the login tests: the one fake Gitee of infra/fakes (authorize consents at
 * once for `nextUser`, or denies; token with client credentials and redirect_uri checks;
 * /api/v5/user), with client credentials of its own per test file.
 */
export class FakeGitee extends FakeGiteeApi {
  constructor() {
    super();
    this.oauth.clientId = `fake-client-${randomBytes(3).toString('hex')}`;
    this.oauth.clientSecret = randomBytes(16).toString('hex');
    this.oauth.nextUser = { id: 1001, login: 'gitee-dev', name: 'Gitee Dev', email: 'gitee-dev@example.test' };
  }

  get clientId(): string {
    return this.oauth.clientId;
  }

  get clientSecret(): string {
    return this.oauth.clientSecret;
  }

  get nextUser(): FakeGiteeUser {
    return this.oauth.nextUser;
  }

  set nextUser(user: FakeGiteeUser) {
    this.oauth.nextUser = user;
  }

  /** When set, /oauth/authorize answers like a user who clicked "deny". */
  get deny(): boolean {
    return this.oauth.deny;
  }

  set deny(value: boolean) {
    this.oauth.deny = value;
  }
}
