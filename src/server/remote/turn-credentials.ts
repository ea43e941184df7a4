import { createHmac } from 'node:crypto';
import type { ShareIceConfig } from '../../shared/remote/share-limits';
import type { ServerConfig } from '../config';

/*
 * The ICE configuration of a screen-share session: IT's STUN servers, and its TURN servers with credentials
 * of coturn's REST API scheme (turnserver --use-auth-secret --static-auth-secret=…): the username is
 * `<expiry, unix seconds>:<session id>` and the password base64(HMAC-SHA1(secret, username)). coturn checks
 * both without asking us; the credentials stop working at the expiry and name the session in coturn's logs.
 */

/** coturn's REST API credentials for `label` (a session id), valid until `expiresAtSeconds`. */
export function turnCredentials(
  secret: string,
  label: string,
  expiresAtSeconds: number,
): { username: string; credential: string } {
  const username = `${expiresAtSeconds}:${label}`;
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
}

/** What both peers of a session are given. */
export function shareIceConfig(
  config: Pick<ServerConfig, 'stunUrls' | 'turnUrls' | 'turnSecret' | 'turnTtlSeconds' | 'iceTransportPolicy'>,
  sessionId: string,
  now: number,
): ShareIceConfig {
  const iceServers: ShareIceConfig['iceServers'] = [];
  if (config.stunUrls.length > 0) iceServers.push({ urls: [...config.stunUrls] });
  if (config.turnUrls.length > 0 && config.turnSecret) {
    const expires = Math.floor(now / 1000) + config.turnTtlSeconds;
    iceServers.push({ urls: [...config.turnUrls], ...turnCredentials(config.turnSecret, sessionId, expires) });
  }
  return { iceServers, iceTransportPolicy: config.iceTransportPolicy };
}
