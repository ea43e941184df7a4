import {
  parseSharePeerMessage,
  SHARE_CHAT_MAX,
  SHARE_DATA_CHANNEL,
  SHARE_OVERLAY_CHANNEL,
  SHARE_OVERLAY_MESSAGE_MAX,
  type ShareCandidate,
  type ShareIceConfig,
  type SharePeerMessage,
} from '../../shared/remote/share-limits';
import type { ShareToConsoleSignal, ShareToDeviceSignal } from '../../shared/remote/share-signals';

/*
 * The employee's side of a screen share's WebRTC connection (issue 13): the offerer. It sends the captured
 * track (the screen or window the employee chose) and opens two data channels: the session chat, and the
 * overlay channel the technician's pointer and annotations come on (handed on as they came, for main to
 * validate and draw over the screen: share-overlay.ts). Signals go out through `send` (the window's IPC, then the live channel) and come in
 * through `receive`; candidates that arrive before the answer wait for it. Nothing here knows Electron.
 */

export type SharePeerState = 'connecting' | 'connected' | 'failed' | 'closed';

export interface SharePeerOptions {
  stream: MediaStream;
  ice: ShareIceConfig;
  send(signal: ShareToConsoleSignal): void;
  onState(state: SharePeerState): void;
  onMessage(message: SharePeerMessage): void;
  /** One message of the overlay channel, unread (main validates it); oversized or binary ones never get here. */
  onOverlay(data: string): void;
}

export interface SharePeer {
  receive(signal: Exclude<ShareToDeviceSignal, { type: 'start' }>): Promise<void>;
  /** Sends a chat line; false when the channel is not open. */
  chat(text: string): boolean;
  close(): void;
}

export function startSharePeer(options: SharePeerOptions): SharePeer {
  const pc = new RTCPeerConnection({
    iceServers: options.ice.iceServers,
    iceTransportPolicy: options.ice.iceTransportPolicy,
  });
  const channel = pc.createDataChannel(SHARE_DATA_CHANNEL, { ordered: true });
  const overlay = pc.createDataChannel(SHARE_OVERLAY_CHANNEL, { ordered: true });
  const early: RTCIceCandidateInit[] = [];
  let answered = false;
  let closed = false;

  for (const track of options.stream.getVideoTracks()) {
    // A screen is text and lines: keep it sharp rather than smooth.
    track.contentHint = 'detail';
    pc.addTrack(track, options.stream);
  }
  pc.onicecandidate = (event) =>
    options.send({ type: 'candidate', candidate: event.candidate ? toInit(event.candidate) : null });
  pc.onconnectionstatechange = () => {
    if (closed) return;
    const state = pc.connectionState;
    options.onState(
      state === 'connected'
        ? 'connected'
        : state === 'failed'
          ? 'failed'
          : state === 'closed'
            ? 'closed'
            : 'connecting',
    );
  };
  channel.onmessage = (event) => {
    const message = parseSharePeerMessage(event.data);
    if (message) options.onMessage(message);
  };
  overlay.onmessage = (event) => {
    if (!closed && typeof event.data === 'string' && event.data.length <= SHARE_OVERLAY_MESSAGE_MAX)
      options.onOverlay(event.data);
  };

  void (async () => {
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    if (!closed) options.send({ type: 'offer', sdp: offer.sdp ?? '' });
  })().catch(() => options.onState('failed'));

  return {
    async receive(signal) {
      if (closed) return;
      if (signal.type === 'answer') {
        await pc.setRemoteDescription({ type: 'answer', sdp: signal.sdp });
        answered = true;
        for (const candidate of early.splice(0)) await pc.addIceCandidate(candidate);
      } else if (signal.candidate) {
        if (answered) await pc.addIceCandidate(signal.candidate);
        else early.push(signal.candidate);
      }
    },
    chat(text) {
      if (channel.readyState !== 'open' || !text.trim()) return false;
      channel.send(JSON.stringify({ type: 'chat', text: text.slice(0, SHARE_CHAT_MAX) }));
      return true;
    },
    close() {
      if (closed) return;
      closed = true;
      channel.close();
      overlay.close();
      pc.close();
    },
  };
}

function toInit(candidate: RTCIceCandidate): ShareCandidate {
  return {
    candidate: candidate.candidate,
    sdpMid: candidate.sdpMid,
    sdpMLineIndex: candidate.sdpMLineIndex,
    usernameFragment: candidate.usernameFragment,
  };
}
