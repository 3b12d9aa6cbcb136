import { archScore, bucketFor } from './mirror-buckets';

describe('mirror buckets and score', () => {
  it('puts a mirror in the first bucket its delay fits', () => {
    expect(bucketFor(true, 0)).toBe('up-to-date');
    expect(bucketFor(true, 1)).toBe('1h');
    expect(bucketFor(true, 3600)).toBe('1h');
    expect(bucketFor(true, 3601)).toBe('6h');
    expect(bucketFor(true, 86_400)).toBe('1d');
    expect(bucketFor(true, 2 * 86_400)).toBe('2d');
    expect(bucketFor(true, 7 * 86_400)).toBe('1w');
    expect(bucketFor(true, 7 * 86_400 + 1)).toBe('older');
  });

  it('says unknown without a freshness signal and unreachable when no protocol answered', () => {
    expect(bucketFor(true, null)).toBe('unknown');
    expect(bucketFor(false, 0)).toBe('unreachable');
  });

  it('scores like Arch: lower for fresher, faster, steadier and more complete mirrors', () => {
    expect(archScore({ delayHours: 1, durationMean: 0.5, durationStddev: 0.5, completion: 1 })).toBe(2);
    expect(archScore({ delayHours: 1, durationMean: 0.5, durationStddev: 0.5, completion: 0.5 })).toBe(4);
    expect(archScore({ delayHours: null, durationMean: 1, durationStddev: 0, completion: 1 })).toBeNull();
    expect(archScore({ delayHours: 0, durationMean: 1, durationStddev: 0, completion: 0 })).toBeNull();
  });
});
