import { DEFAULT_MARKETPLACE_CONFIG, type MarketplaceSourceConfig } from '@cartae/marketplace-core';
import { describe, expect, it } from 'vitest';
import { ControlPlane } from './control-plane.ts';

const git = DEFAULT_MARKETPLACE_CONFIG;
const cdn: MarketplaceSourceConfig = { ...git, type: 'cloudflare', priority: ['cloudflare'] };
const hybrid: MarketplaceSourceConfig = { ...git, type: 'hybrid', priority: ['cloudflare', 'git'] };

describe('ControlPlane', () => {
  it('version 1, then the admin’s switch as version 2 at its time', () => {
    const plane = new ControlPlane(git, cdn, 1000);
    expect(plane.versionAt(999)).toBe(1);
    expect(plane.switchVersion).toBeUndefined();
    expect(plane.versionAt(1000)).toBe(2);
    expect(plane.configOf(2)).toBe(cdn);
    expect(plane.switchVersion).toBe(2);
  });

  it('an automatic switch before the admin’s becomes version 2, the admin’s version 3', () => {
    const plane = new ControlPlane(git, cdn, 1000);
    expect(plane.write(500, hybrid)).toBe(2);
    expect(plane.versionAt(600)).toBe(2);
    expect(plane.configOf(2)).toBe(hybrid);
    expect(plane.versionAt(1000)).toBe(3);
    expect(plane.switchVersion).toBe(3);
    expect(plane.configOf(3)).toBe(cdn);
  });
});
