import { describe, expect, it } from 'vitest';
import { parseLaunchOptions } from './launch-options';

describe('parseLaunchOptions', () => {
  it('defaults to showing the window and the OS data folder', () => {
    expect(parseLaunchOptions(['/usr/bin/deskside'])).toEqual({ hidden: false, dataDir: null });
  });
  it('reads --hidden and --data-dir in both spellings', () => {
    expect(parseLaunchOptions(['x', '--hidden', '--data-dir', '/tmp/a'])).toEqual({ hidden: true, dataDir: '/tmp/a' });
    expect(parseLaunchOptions(['x', '--data-dir=/tmp/b', '--server-url=https://h'])).toEqual({
      hidden: false,
      dataDir: '/tmp/b',
    });
    expect(parseLaunchOptions(['x', '--data-dir='])).toEqual({ hidden: false, dataDir: null });
    expect(parseLaunchOptions(['x', '--data-dir'])).toEqual({ hidden: false, dataDir: null });
  });
});
