import { describe, expect, it } from 'vitest';
import { stateDirectory } from './state-directory.ts';

describe('stateDirectory', () => {
  it.each([
    ['linux', {}, '/home/ada', '/home/ada/.local/state/cartae-marketplace'],
    [
      'linux',
      { XDG_STATE_HOME: '/var/lib/ada/state/' },
      '/home/ada',
      '/var/lib/ada/state/cartae-marketplace',
    ],
    // The XDG spec says a relative path is invalid and must be ignored.
    ['linux', { XDG_STATE_HOME: 'state' }, '/home/ada', '/home/ada/.local/state/cartae-marketplace'],
    ['freebsd', {}, '/usr/home/ada', '/usr/home/ada/.local/state/cartae-marketplace'],
    ['darwin', {}, '/Users/ada', '/Users/ada/Library/Application Support/cartae-marketplace'],
    [
      'win32',
      { LOCALAPPDATA: 'D:\\Profiles\\ada\\AppData\\Local' },
      'C:\\Users\\ada',
      'D:\\Profiles\\ada\\AppData\\Local\\cartae-marketplace',
    ],
    ['win32', {}, 'C:\\Users\\ada', 'C:\\Users\\ada\\AppData\\Local\\cartae-marketplace'],
    ['linux', { CARTAE_MARKETPLACE_STATE_DIR: '/tmp/cartae-test' }, '/home/ada', '/tmp/cartae-test'],
    ['win32', { CARTAE_MARKETPLACE_STATE_DIR: 'C:\\state' }, 'C:\\Users\\ada', 'C:\\state'],
    ['linux', {}, '', undefined],
  ])('%s %j, home %j → %j', (platform, env, home, expected) => {
    expect(stateDirectory({ platform, env, home })).toBe(expected);
  });

  it('takes another folder name for another app', () => {
    expect(
      stateDirectory({ platform: 'linux', env: {}, home: '/home/ada' }, 'cartae-desktop-marketplace'),
    ).toBe('/home/ada/.local/state/cartae-desktop-marketplace');
  });
});
