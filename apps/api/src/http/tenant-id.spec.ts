import { describe, expect, it } from 'vitest';

import { TenantIdPipe } from './tenant-id.js';

describe('TenantIdPipe', () => {
  it('gives the stored (lower-case) form of a tenant id written in any case', () => {
    expect(new TenantIdPipe().transform('3F2504E0-4F89-41D3-9A0C-0305E82C3301')).toBe(
      '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
    );
  });
});
