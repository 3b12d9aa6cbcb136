import { downloadPathOf } from './download-path';

describe('downloadPathOf', () => {
  it('reads a plain catalogue path and ignores the query', () => {
    expect(downloadPathOf('/download/opencloudos/9.2/isos/x86_64/OpenCloudOS-9.2-x86_64-minimal.iso?country=CN')).toBe(
      'opencloudos/9.2/isos/x86_64/OpenCloudOS-9.2-x86_64-minimal.iso',
    );
  });

  it.each([
    '/download/',
    '/download/../etc/passwd',
    '/download/opencloudos/../../etc/passwd',
    '/download/opencloudos/%2e%2e/%2e%2e/etc/passwd',
    '/download/opencloudos%2f9.2%2fisos',
    '/download/opencloudos%2F9.2',
    '/download/opencloudos%5c9.2',
    '/download/opencloudos\\9.2',
    '/download/opencloudos//9.2',
    '/download/opencloudos/./9.2',
    '/download/a%00b',
    '/download/%E0%A4%A',
    '/download/https:%2F%2Fevil.example/x',
    '/download/opencloudos/9.2/<script>',
    '/downloads/opencloudos',
  ])('refuses %s', (url) => {
    expect(downloadPathOf(url)).toBeNull();
  });
});
