import { pathOf } from '../../shared/api/endpoint-routes';
import { REMOTE_TOKEN_PROTOCOL_PREFIX } from '../../shared/remote/remote-limits';
import {
  parseShareConsoleFrame,
  parseSharePeerMessage,
  SHARE_CHAT_MAX,
  SHARE_DATA_CHANNEL,
  SHARE_OVERLAY_CHANNEL,
  SHARE_OVERLAY_MESSAGE_MAX,
  SHARE_SIGNAL_PROTOCOL,
  type ShareCandidate,
  type SharePeerMessage,
} from '../../shared/remote/share-limits';
import type { ShareOverlayMessage } from '../../shared/remote/share-overlay';

/*
 * The technician's side of a screen share (issue 13): the answerer. It opens the session's signaling socket
 * on this server (same origin, the technician's cookie, the session's one-time console token as a
 * subprotocol), builds its RTCPeerConnection with the ICE servers the server gives (`ready`), answers the
 * employee's offer, and shows the track it receives. The employee's window opens two data channels: the
 * session chat, and the overlay channel the technician's pointer and annotations go on (share-overlay.ts). `route` reads the selected candidate pair: direct, or relayed by TURN.
 */

export type ShareLink = 'signaling' | 'connecting' | 'connected' | 'failed' | 'ended';

export interface ShareViewerOptions {
  sessionId: string;
  token: string;
  video: HTMLVideoElement;
  onLink(link: ShareLink, detail?: string): void;
  onMessage(message: SharePeerMessage): void;
}

export interface ShareViewer {
  chat(text: string): boolean;
  /** Sends one pointer or annotation message; false when the overlay channel is not open. */
  overlay(message: ShareOverlayMessage): boolean;
  /** How the media arrives: `relay` (through TURN), `direct` (host or server-reflexive), or null (not yet). */
  route(): Promise<'relay' | 'direct' | null>;
  close(): void;
}

function signalingUrl(id: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${pathOf('shareConsoleSignaling', { id })}`;
}

export function joinShare(options: ShareViewerOptions): ShareViewer {
  const ws = new WebSocket(signalingUrl(options.sessionId), [
    SHARE_SIGNAL_PROTOCOL,
    REMOTE_TOKEN_PROTOCOL_PREFIX + options.token,
  ]);
  let pc: RTCPeerConnection | null = null;
  let channel: RTCDataChannel | null = null;
  let overlay: RTCDataChannel | null = null;
  let described = false;
  let done = false;
  const early: ShareCandidate[] = [];
  const send = (frame: unknown) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify(frame));
  const finish = (link: 'failed' | 'ended', detail?: string) => {
    if (done) return;
    done = true;
    options.onLink(link, detail);
    channel?.close();
    overlay?.close();
    pc?.close();
    if (ws.readyState === WebSocket.OPEN) ws.close(1000);
  };

  ws.onmessage = (event) => {
    const frame = parseShareConsoleFrame(event.data);
    if (!frame || done) return;
    switch (frame.type) {
      case 'ready': {
        pc = new RTCPeerConnection({
          iceServers: frame.ice.iceServers,
          iceTransportPolicy: frame.ice.iceTransportPolicy,
        });
        pc.ontrack = (e) => {
          options.video.srcObject = e.streams[0] ?? new MediaStream([e.track]);
          void options.video.play().catch(() => {});
        };
        pc.ondatachannel = (e) => {
          // The overlay channel only carries the technician's messages out: nothing is read from it.
          if (e.channel.label === SHARE_OVERLAY_CHANNEL) overlay = e.channel;
          else if (e.channel.label === SHARE_DATA_CHANNEL) {
            channel = e.channel;
            channel.onmessage = (m) => {
              const message = parseSharePeerMessage(m.data);
              if (message) options.onMessage(message);
            };
          } else e.channel.close();
        };
        pc.onicecandidate = (e) => send({ type: 'candidate', candidate: e.candidate ? e.candidate.toJSON() : null });
        pc.onconnectionstatechange = () => {
          const state = pc?.connectionState;
          if (state === 'connected') options.onLink('connected');
          else if (state === 'failed')
            options.onLink('failed', 'the media connection failed (no route between the two ends?)');
        };
        options.onLink('connecting');
        return;
      }
      case 'offer':
        void (async () => {
          if (!pc) return;
          await pc.setRemoteDescription({ type: 'offer', sdp: frame.sdp });
          described = true;
          for (const c of early.splice(0)) await pc.addIceCandidate(c);
          const answer = await pc.createAnswer();
          await pc.setLocalDescription(answer);
          send({ type: 'answer', sdp: answer.sdp });
        })().catch((error: unknown) => finish('failed', `the offer could not be answered: ${String(error)}`));
        return;
      case 'candidate':
        if (!frame.candidate) return;
        if (described && pc) void pc.addIceCandidate(frame.candidate).catch(() => {});
        else early.push(frame.candidate);
        return;
      case 'ended':
        finish('ended', frame.reason);
        return;
    }
  };
  ws.onclose = (event) => {
    if (done) return;
    finish(event.code === 4103 ? 'failed' : 'ended', event.reason || undefined);
  };
  options.onLink('signaling');

  return {
    chat(text) {
      if (channel?.readyState !== 'open' || !text.trim()) return false;
      channel.send(JSON.stringify({ type: 'chat', text: text.slice(0, SHARE_CHAT_MAX) }));
      return true;
    },
    overlay(message) {
      if (done || overlay?.readyState !== 'open') return false;
      const data = JSON.stringify(message);
      if (data.length > SHARE_OVERLAY_MESSAGE_MAX) return false;
      overlay.send(data);
      return true;
    },
    async route() {
      if (!pc) return null;
      const stats = await pc.getStats();
      let pairId: string | undefined;
      stats.forEach((s: { type: string; selectedCandidatePairId?: string }) => {
        if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId;
      });
      const pair = pairId
        ? (stats.get(pairId) as { localCandidateId?: string; remoteCandidateId?: string })
        : undefined;
      if (!pair) return null;
      const local = stats.get(pair.localCandidateId ?? '') as { candidateType?: string } | undefined;
      const remote = stats.get(pair.remoteCandidateId ?? '') as { candidateType?: string } | undefined;
      if (!local || !remote) return null;
      return local.candidateType === 'relay' || remote.candidateType === 'relay' ? 'relay' : 'direct';
    },
    close: () => finish('ended'),
  };
}
