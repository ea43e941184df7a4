import { useState, type ReactElement } from 'react';
import { formatDateTime } from '../../../shared/format';
import type { CommandPrompt } from '../../../shared/ipc/contract';
import { useIpcMutation, useIpcQuery } from '../../lib/ipc-query';

/*
 * The consent prompt for a remote command (issue 12): shown over any screen while the agent waits for
 * the employee's answer. It says who asks and why, what will run (the catalog's title and description,
 * the exact parameters), whether it only reads or changes something, and until when the answer is
 * awaited. The prompts come from `commands:pending` (the query, kept current by main's event of the same
 * name in ipc-cache.ts); Allow and Deny answer through `commands:answer`, and main's next event closes it.
 */

const RISK_TEXT: Record<CommandPrompt['risk'], string> = {
  reads: 'It only reads information from this computer.',
  changes: 'It changes something on this computer.',
};

/** A parameter's value exactly as it will be used: strings as they are, the rest as JSON. */
const shown = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

export function CommandConsent(): ReactElement | null {
  const prompt = useIpcQuery('commands:pending', {}).value?.prompts[0] ?? null;
  const answer = useIpcMutation('commands:answer');
  const [sent, setSent] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!prompt) return null;
  const busy = sent === prompt.commandId;
  const params = Object.entries(prompt.params);

  const reply = async (allow: boolean) => {
    setSent(prompt.commandId);
    setError(null);
    const res = await answer({ commandId: prompt.commandId, allow });
    if (!res.ok) {
      setSent(null);
      setError(res.error.message);
    }
  };

  return (
    <section
      className="card stack consent"
      role="alertdialog"
      aria-labelledby="consent-heading"
      aria-describedby="consent-what"
      data-testid="command-consent"
    >
      <h2 id="consent-heading">
        {prompt.requestedBy} asks to run “{prompt.title}” on this computer
      </h2>
      {prompt.reason && (
        <p>
          <strong>Why:</strong> {prompt.reason}
        </p>
      )}
      <p id="consent-what">
        {prompt.description} {RISK_TEXT[prompt.risk]}
      </p>
      {prompt.script && (
        <div className="stack consent-script">
          <p>
            <strong>The script ({prompt.script.shell}), exactly as it will run:</strong>
          </p>
          <pre className="consent-script-body" aria-label="The script, exactly as it will run" tabIndex={0}>
            {prompt.script.body}
          </pre>
          {params.length > 0 && (
            <p className="muted small">Each value below is passed to the script as it is; none is part of its text.</p>
          )}
        </div>
      )}
      {params.length > 0 && (
        <dl aria-label={prompt.script ? 'The values passed to the script' : 'Exactly what will run'}>
          {params.map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>
                <code>{shown(value)}</code>
              </dd>
            </div>
          ))}
        </dl>
      )}
      {prompt.alwaysAsks && <p className="muted small">This action always asks you first, whatever IT's policy.</p>}
      <p className="muted small">
        {prompt.ticketId !== null && <>About ticket #{prompt.ticketId}. </>}
        If you do not answer by {formatDateTime(prompt.expiresAt)}, it will not run.
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="row">
        <button type="button" className="button button-primary" disabled={busy} onClick={() => void reply(true)}>
          Allow
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => void reply(false)}>
          Deny
        </button>
      </div>
    </section>
  );
}
