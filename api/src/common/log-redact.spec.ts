import { redactQuery, redactUrl } from './log-redact';

describe('log redaction', () => {
  it('hides API keys, tokens and passwords in logged URLs', () => {
    expect(redactUrl('/rest/login?login=alice&password=s3cret')).toBe('/rest/login?login=alice&password=[Redacted]');
    expect(redactUrl('/rest/bug?product=OC&Bugzilla_api_key=abc&id=1')).toBe(
      '/rest/bug?product=OC&Bugzilla_api_key=[Redacted]&id=1',
    );
    expect(redactUrl('/rest/bug/1?Bugzilla_token=t&include_fields=id')).toBe(
      '/rest/bug/1?Bugzilla_token=[Redacted]&include_fields=id',
    );
    expect(redactUrl('/api/v1/bugs?q=password')).toBe('/api/v1/bugs?q=password');
    expect(redactUrl('/plain')).toBe('/plain');
  });

  it('hides the same values in the parsed query', () => {
    expect(redactQuery({ api_key: 'k', q: 'x' })).toEqual({ api_key: '[Redacted]', q: 'x' });
  });
});
