import { describe, expect, it } from 'vitest';
import { officialImageName } from './names.ts';

describe('officialImageName', () => {
  it('names official images as SWE-bench does', () => {
    expect(officialImageName('astropy__astropy-12907')).toBe(
      'swebench/sweb.eval.x86_64.astropy_1776_astropy-12907:latest',
    );
    expect(officialImageName('Org__Repo-1', 'arm64')).toBe('swebench/sweb.eval.arm64.org_1776_repo-1:latest');
  });
});
