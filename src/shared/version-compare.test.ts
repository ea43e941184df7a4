import { describe, expect, it } from 'vitest';
import { compareVersions, isComparableVersion } from './version-compare';

const older = (a: string, b: string) => {
  expect(compareVersions(a, b), `${a} < ${b}`).toBe(-1);
  expect(compareVersions(b, a), `${b} > ${a}`).toBe(1);
};
const same = (a: string, b: string) => {
  expect(compareVersions(a, b), `${a} = ${b}`).toBe(0);
  expect(compareVersions(b, a), `${b} = ${a}`).toBe(0);
};

describe('compareVersions', () => {
  it('orders dotted numbers numerically, not as text', () => {
    older('120.0.6099.109', '120.0.6099.130');
    older('119.0.6045.199', '120.0.6099.109');
    older('9.9', '10.0');
    older('1.2', '1.10');
    older('2.0', '2.0.1');
    same('120.0.6099.109', '120.0.6099.109');
  });

  it('ignores leading zeros and takes numbers of any length', () => {
    same('1.01', '1.1');
    same('1.0', '1.00');
    older('1.99999999999999999999', '1.100000000000000000000');
  });

  it('lets a Debian or RPM epoch outweigh the rest', () => {
    older('9.9.9', '1:0.1');
    older('1:2.3-4', '2:1.0');
    same('0:1.2', '1.2');
    older('1:2.3-4', '1:2.3-5');
    older('1:2.3', '1:2.3-4');
  });

  it('reads Debian revisions and distribution suffixes', () => {
    older('2.34-0ubuntu3', '2.34-0ubuntu3.2');
    older('1:9.18.18-0ubuntu0.22.04.1', '1:9.18.18-0ubuntu0.22.04.2');
    older('7.81.0-1ubuntu1.14', '7.81.0-1ubuntu1.15');
    older('3.0.2-0ubuntu1.10', '3.0.13-0ubuntu3');
  });

  it('puts a tilde before everything, even the end', () => {
    older('1.0~rc1', '1.0');
    older('1.0~rc1', '1.0~rc2');
    older('1.0~~', '1.0~');
    older('1.0~beta', '1.0.0');
  });

  it('treats pre-release words as older than the release, other words as newer', () => {
    older('1.0.0-rc.1', '1.0.0');
    older('1.0.0-alpha', '1.0.0-beta');
    older('1.0.0-beta.2', '1.0.0-beta.11');
    older('2.1-dev', '2.1');
    older('1.0', '1.0a');
    older('8.9p1', '9.0');
    older('8.9', '8.9p1');
  });

  it('puts a number above a word at the same place', () => {
    older('1.0.beta', '1.0.1');
    older('1.0.0-rc.1', '1.0.0.1');
  });

  it('compares words without regard to case and separators alike', () => {
    same('1.0-RC1', '1.0.rc1');
    same('2.3-4', '2.3.4');
    same('17.2 (21F79)', '17.2.21f79');
  });

  it('reads Windows and macOS style versions', () => {
    older('10.0.19045.3803', '10.0.22631.2861');
    older('17.2 (21F79)', '17.3 (21G5)');
    older('16.0.17126.20132', '16.0.17231.20194');
  });

  it('is a consistent order for sorting', () => {
    const versions = ['1.0', '1.0~rc1', '1:0.5', '0.9', '1.0.1', '1.0-beta', '1.0a', '10', '2'];
    const sorted = [...versions].sort(compareVersions);
    expect(sorted).toEqual(['0.9', '1.0~rc1', '1.0-beta', '1.0', '1.0a', '1.0.1', '2', '10', '1:0.5']);
    for (const a of versions) for (const b of versions) expect(compareVersions(a, b)).toBe(-compareVersions(b, a) || 0);
  });
});

describe('isComparableVersion', () => {
  it('needs at least one digit or letter', () => {
    expect(isComparableVersion('1.2')).toBe(true);
    expect(isComparableVersion('beta')).toBe(true);
    expect(isComparableVersion('')).toBe(false);
    expect(isComparableVersion(' .-~ ')).toBe(false);
  });
});
