import { loadConfig } from '../../config/config';
import { bugRefs } from './bug-refs';
import { giteeTokenFor, verifyGiteeToken } from './webhook-signature';

const { syncBugRefPattern: ref, syncBugFixPattern: fix } = loadConfig({ NODE_ENV: 'test' });
const refs = (msg: string) => Object.fromEntries(bugRefs(msg, ref, fix));

describe('commit messages that refer to bugs', () => {
  it('reads "Fixes: #123" as a fix and "bug 45" or "OCBZ#67" as mentions', () => {
    expect(refs('openssl: fix CVE-2026-1\n\nFixes: #123')).toEqual({ 123: true });
    expect(refs('see bug 45 and OCBZ#67')).toEqual({ 45: false, 67: false });
    expect(refs('Fixes: OCBZ#8, closes bug #9')).toEqual({ 8: true, 9: true });
    expect(refs('FIXES #10; also Bug 10')).toEqual({ 10: true });
  });

  it('ignores numbers that are not bug references', () => {
    expect(refs('bump to 1.2.3 (#no), debug 12, issue #5, prefix 123')).toEqual({});
    expect(refs('fixes: #0 and bug 99999999999')).toEqual({});
  });

  it('takes a configured pattern', () => {
    expect(Object.fromEntries(bugRefs('JIRA-7 and OCBZ#8', 'JIRA-(\\d+)', 'never(\\d+)'))).toEqual({ 7: false });
  });
});

describe('the X-Gitee-Token check', () => {
  const secret = 'hook-secret-1';
  const ts = '1764210000000';

  it('accepts the signature of the timestamp and the plain password', () => {
    expect(verifyGiteeToken(secret, ts, giteeTokenFor(secret, ts))).toBe('signature');
    expect(verifyGiteeToken(secret, ts, secret)).toBe('password');
  });

  it('refuses a signature of another timestamp or secret, and an empty secret', () => {
    expect(verifyGiteeToken(secret, ts, giteeTokenFor(secret, '1764210000001'))).toBeNull();
    expect(verifyGiteeToken(secret, ts, giteeTokenFor('other', ts))).toBeNull();
    expect(verifyGiteeToken('', ts, giteeTokenFor('', ts))).toBeNull();
    expect(verifyGiteeToken(secret, ts, '')).toBeNull();
  });

  it('matches the fixture: base64(HMAC-SHA256(secret, timestamp + "\\n" + secret))', () => {
    // computed independently: printf '1764210000000\nhook-secret-1' | openssl dgst -sha256 -hmac hook-secret-1 -binary | base64
    expect(giteeTokenFor(secret, ts)).toBe(EXPECTED);
  });
});

const EXPECTED = 'EhcVWen0WBrOIX3jmMBlh1O+lmFVRbJsMiELSwDci6I=';
