import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shareIceConfig, turnCredentials } from './turn-credentials';

const SESSION = '0b6f3a52-5a1e-4c0e-9a55-3c1f2f7b1c11';

describe('TURN credentials (coturn REST API scheme)', () => {
  it('username is expiry:session, password base64(HMAC-SHA1(secret, username)), as openssl computes it', () => {
    const { username, credential } = turnCredentials('north-wind-secret-1234', SESSION, 1_700_000_000);
    expect(username).toBe(`1700000000:${SESSION}`);
    // An independent computation: openssl's HMAC-SHA1 of the same username with the same key.
    const digest = execFileSync('openssl', ['dgst', '-sha1', '-hmac', 'north-wind-secret-1234', '-binary'], {
      input: username,
    });
    expect(credential).toBe(digest.toString('base64'));
    expect(credential).toMatch(/^[A-Za-z0-9+/]{27}=$/);
  });

  it('gives STUN as configured and TURN with credentials that expire after the TTL', () => {
    const ice = shareIceConfig(
      {
        stunUrls: ['stun:stun.example.test:3478'],
        turnUrls: ['turn:turn.example.test:3478?transport=udp', 'turns:turn.example.test:5349'],
        turnSecret: 'north-wind-secret-1234',
        turnTtlSeconds: 600,
        iceTransportPolicy: 'relay',
      },
      SESSION,
      1_700_000_000_500,
    );
    expect(ice.iceTransportPolicy).toBe('relay');
    expect(ice.iceServers[0]).toEqual({ urls: ['stun:stun.example.test:3478'] });
    expect(ice.iceServers[1]).toMatchObject({
      urls: ['turn:turn.example.test:3478?transport=udp', 'turns:turn.example.test:5349'],
      username: `1700000600:${SESSION}`,
    });
  });

  it('gives no TURN server without the secret, and nothing when nothing is configured', () => {
    const base = {
      stunUrls: [],
      turnUrls: ['turn:t.test:3478'],
      turnTtlSeconds: 600,
      iceTransportPolicy: 'all' as const,
    };
    expect(shareIceConfig({ ...base, turnSecret: undefined }, SESSION, 0).iceServers).toEqual([]);
    expect(shareIceConfig({ ...base, turnUrls: [] }, SESSION, 0)).toEqual({
      iceServers: [],
      iceTransportPolicy: 'all',
    });
  });
});
