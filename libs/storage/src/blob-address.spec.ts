import { describe, expect, it } from 'vitest';

import { blobAddress, blobKey, validSha256, validTenantId } from './blob-address.js';
import { InvalidBlobAddressError } from './errors.js';

const TENANT = '0b6f3c52-8d7e-4a51-9a1b-2f3c4d5e6f70';
const HASH = 'ab'.repeat(32);

describe('blob address', () => {
  it('builds the A1 content address', () => {
    const h = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    expect(blobKey({ tenantId: TENANT, sha256: h })).toBe(`${TENANT}/blobs/sha256/e3/b0/${h}`);
  });

  it('lower-cases tenant ids and hashes so one blob has one key', () => {
    expect(blobAddress(TENANT.toUpperCase(), HASH.toUpperCase())).toEqual({ tenantId: TENANT, sha256: HASH });
  });

  it.each([
    ['empty', ''],
    ['not a uuid', 'tenant-1'],
    ['path traversal', '../0b6f3c52-8d7e-4a51-9a1b-2f3c4d5e6f70'],
    ['a slash inside', '0b6f3c52-8d7e-4a51-9a1b/2f3c4d5e6f70'],
    ['a trailing newline', `${TENANT}\n`],
    ['braces', `{${TENANT}}`],
    ['not a string', 42],
  ])('refuses a tenant id that is %s', (_what, tenantId) => {
    expect(() => validTenantId(tenantId)).toThrow(InvalidBlobAddressError);
  });

  it.each([
    ['empty', ''],
    ['too short', 'ab'.repeat(31)],
    ['too long', 'ab'.repeat(33)],
    ['not hex', 'zz'.repeat(32)],
    ['path traversal', `../../${'ab'.repeat(29)}`],
    ['undefined', undefined],
  ])('refuses a hash that is %s', (_what, sha256) => {
    expect(() => validSha256(sha256)).toThrow(InvalidBlobAddressError);
  });

  it('raises a VALIDATION contract error naming the field', () => {
    const error = (() => {
      try {
        validSha256('nope');
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidBlobAddressError);
    expect(error).toMatchObject({ code: 'VALIDATION', fields: [{ field: 'sha256' }] });
  });
});
