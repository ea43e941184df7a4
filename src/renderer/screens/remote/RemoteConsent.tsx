import { useState, type ReactElement } from 'react';
import { formatDateTime } from '../../../shared/format';
import type { RemoteSessionPrompt } from '../../../shared/ipc/contract';
import { useIpcMutation } from '../../lib/ipc-query';
import { useRemoteSession } from './use-remote-session';

/*
 * The consent prompt for a remote session (issue 13), over any screen while the agent waits for the
 * employee: who asks and why, whether they would only see the screen or also use the mouse and keyboard,
 * what that means, and until when the answer is awaited. A control request is worded (and coloured) apart
 * from a view request. With IT's policy "control needs a second consent", Allow on a control request asks a
 * second, separate question before anything starts; the answer names its stage, so one double click cannot
 * answer both. The session comes from `remote:current` (kept current by main's `remote:session` event).
 */

const MEANS: Record<RemoteSessionPrompt['kind'], string> = {
  view:
    'The technician will see your screen, everything on it as you see it, until you or they stop. ' +
    'They cannot use your mouse or keyboard.',
  control:
    'The technician will see your screen and can use your mouse and keyboard, as if sitting at this ' +
    'computer, until you or they stop.',
};

function heading(prompt: RemoteSessionPrompt): string {
  if (prompt.stage === 'confirm') return `Allow ${prompt.requestedBy} to use your mouse and keyboard?`;
  return prompt.kind === 'control'
    ? `${prompt.requestedBy} asks to control this computer`
    : `${prompt.requestedBy} asks to see your screen`;
}

export function RemoteConsent(): ReactElement | null {
  const prompt = useRemoteSession();
  const answer = useIpcMutation('remote:answer');
  const [sent, setSent] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!prompt || prompt.state !== 'asking') return null;
  const key = `${prompt.sessionId}:${prompt.stage}`;
  const busy = sent === key;
  const confirming = prompt.stage === 'confirm';

  const reply = async (allow: boolean) => {
    setSent(key);
    setError(null);
    const res = await answer({ sessionId: prompt.sessionId, allow, stage: prompt.stage });
    if (!res.ok) {
      setSent(null);
      setError(res.error.message);
    }
  };

  return (
    <section
      className={`card stack consent remote-consent${prompt.kind === 'control' ? ' remote-consent-control' : ''}`}
      role="alertdialog"
      aria-labelledby="remote-consent-heading"
      aria-describedby="remote-consent-what"
      data-testid="remote-consent"
      data-kind={prompt.kind}
      data-stage={prompt.stage}
    >
      <p className="remote-consent-kind">
        {prompt.kind === 'control' ? 'Remote control' : 'Screen view'}
        {prompt.secondConsent && ` · ${confirming ? 'second question' : 'first of two questions'}`}
      </p>
      <h2 id="remote-consent-heading">{heading(prompt)}</h2>
      {prompt.reason && !confirming && (
        <p>
          <strong>Why:</strong> {prompt.reason}
        </p>
      )}
      <p id="remote-consent-what">
        {confirming
          ? `Your IT department asks you to confirm control separately. ${prompt.requestedBy} will be able to move ` +
            'your mouse, click and type on this computer, as if sitting at it.'
          : MEANS[prompt.kind]}
      </p>
      {prompt.secondConsent && !confirming && (
        <p className="muted small">Your IT department asks a second question before anyone controls this computer.</p>
      )}
      <p className="muted small">
        You can stop it at any moment with Stop at the top of this window or in the tray menu.{' '}
        {prompt.ticketId !== null && <>About ticket #{prompt.ticketId}. </>}
        If you do not answer by {formatDateTime(prompt.expiresAt)}, the request is declined.
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="row">
        <button type="button" className="button button-primary" disabled={busy} onClick={() => void reply(true)}>
          {confirming ? 'Allow control' : 'Allow'}
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => void reply(false)}>
          Deny
        </button>
      </div>
    </section>
  );
}
