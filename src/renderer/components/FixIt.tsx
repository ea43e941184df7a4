import { useCallback, useEffect, useId, useRef, useState, type ReactElement, type ReactNode } from 'react';
import { describeFix, isSelfServiceAction, type FixItSource } from '../../shared/actions/self-service';
import { formatRunTime } from '../../shared/format';
import type { FixItResult } from '../../shared/ipc/contract';
import { invoke, subscribe } from '../lib/bridge';
import { useAnnounce } from './Announcer';
import { Icon } from './Icon';

/*
 * "Fix it" buttons (issue 12) on health findings and in self-help articles. A button asks first: the
 * confirm says, in the catalog's own words, what will run and what it may change, with IT's fixed
 * settings. On "Run it" main runs the action (fixit:run: only the action's name and where the button is
 * cross over; main checks the binding and supplies the parameters), its output streams in while it runs,
 * and the result says what it did and whether the help desk has it yet.
 */

type Phase =
  | { kind: 'idle' }
  | { kind: 'confirm'; action: string }
  | { kind: 'running'; action: string; output: string }
  | { kind: 'done'; result: FixItResult }
  | { kind: 'failed'; action: string; message: string };

/** The state of the Fix-it buttons of one finding or one article (one of them runs at a time). */
export interface FixItController {
  phase: Phase;
  ask(action: string): void;
  cancel(): void;
  run(): Promise<void>;
}

/** Output kept on screen while an action runs (its tail). */
const OUTPUT_TAIL = 4000;

export function useFixIt(source: FixItSource): FixItController {
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const announce = useAnnounce();
  const sourceKey = JSON.stringify(source);
  const running = phase.kind === 'running' ? phase.action : null;

  useEffect(() => {
    if (!running) return;
    return subscribe('fixit:output', ({ action, chunk }) => {
      if (action !== running) return;
      setPhase((p) => (p.kind === 'running' ? { ...p, output: (p.output + chunk).slice(-OUTPUT_TAIL) } : p));
    });
  }, [running]);

  const run = useCallback(async () => {
    if (phase.kind !== 'confirm') return;
    const { action } = phase;
    const title = describeTitle(action);
    setPhase({ kind: 'running', action, output: '' });
    announce(`${title}: running.`);
    const res = await invoke('fixit:run', { action, source: JSON.parse(sourceKey) as FixItSource });
    if (res.ok) {
      setPhase({ kind: 'done', result: res.value });
      announce(`${title}: ${res.value.ok ? res.value.summary : 'it did not work.'}`);
    } else {
      setPhase({ kind: 'failed', action, message: res.error.message });
      announce(`${title} could not run: ${res.error.message}`);
    }
  }, [phase, sourceKey, announce]);

  return {
    phase,
    ask: (action) => setPhase((p) => (p.kind === 'running' ? p : { kind: 'confirm', action })),
    cancel: () => setPhase((p) => (p.kind === 'running' ? p : { kind: 'idle' })),
    run,
  };
}

const describeTitle = (action: string) => (isSelfServiceAction(action) ? describeFix(action).title : action);

/** A Fix-it button; a name that is not a self-service action shows its words only (nothing to run). */
export function FixItButton({
  fix,
  action,
  children,
}: {
  fix: FixItController;
  action: string;
  children?: ReactNode;
}): ReactElement {
  if (!isSelfServiceAction(action)) return <span className="fix-it-link">{children}</span>;
  const { title } = describeFix(action);
  const busy = fix.phase.kind === 'running';
  return (
    <button
      type="button"
      className="button button-small button-fix"
      disabled={busy}
      aria-haspopup="dialog"
      onClick={() => fix.ask(action)}
    >
      <Icon name="ok" size={15} />
      {children ?? <>Fix it: {title}</>}
    </button>
  );
}

function Confirm({ fix, action }: { fix: FixItController; action: string }): ReactElement {
  const headingId = useId();
  const whatId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  if (!isSelfServiceAction(action)) return <></>;
  const info = describeFix(action);
  return (
    <section
      className="fix-it-panel fix-it-confirm"
      role="dialog"
      aria-labelledby={headingId}
      aria-describedby={whatId}
      data-testid="fix-it-confirm"
    >
      <h3 id={headingId} ref={heading} tabIndex={-1}>
        Run “{info.title}” on this computer?
      </h3>
      <p id={whatId}>
        {info.description}{' '}
        {info.risk === 'changes' ? 'It changes something on this computer.' : 'It only reads information.'}
      </p>
      {info.settings.length > 0 && (
        <dl className="fix-it-settings" aria-label="Settings IT chose">
          {info.settings.map((s) => (
            <div key={s.label}>
              <dt>{s.label}</dt>
              <dd>{s.value}</dd>
            </div>
          ))}
        </dl>
      )}
      <p className="muted small">The result is kept on this computer’s record at the help desk.</p>
      <div className="row">
        <button type="button" className="button button-primary" onClick={() => void fix.run()}>
          Run it
        </button>
        <button type="button" className="button" onClick={fix.cancel}>
          Cancel
        </button>
      </div>
    </section>
  );
}

function Result({ fix, result }: { fix: FixItController; result: FixItResult }): ReactElement {
  return (
    <section
      className={`fix-it-panel fix-it-result ${result.ok ? 'fix-it-ok' : 'fix-it-failed'}`}
      aria-label={`Result of ${result.title}`}
    >
      <div className="fix-it-result-head">
        <Icon name={result.ok ? 'ok' : 'critical'} />
        <strong>{result.ok ? `${result.title}: done` : `${result.title} did not work`}</strong>
        <span className="muted small">{formatRunTime(result.durationMs)}</span>
      </div>
      {result.ok ? <p>{result.summary}</p> : <p>{result.error?.message ?? result.summary}</p>}
      {!result.ok && <p className="muted small">If the problem stays, the help desk can take a look.</p>}
      <p className="muted small">
        {result.recorded === 'sent'
          ? 'Recorded at the help desk.'
          : 'Saved on this computer; it goes to the help desk when it can be reached.'}
      </p>
      {result.output && (
        <details>
          <summary>What it printed</summary>
          <pre className="fix-it-output" tabIndex={0}>
            {result.output}
            {result.outputTruncated ? '\n[cut at the size limit]' : ''}
          </pre>
        </details>
      )}
      <div className="row">
        <button type="button" className="button button-small" onClick={fix.cancel}>
          Close
        </button>
      </div>
    </section>
  );
}

/** The confirm, the progress or the result of a controller's run, where its finding or article shows it. */
export function FixItPanel({ fix }: { fix: FixItController }): ReactElement | null {
  const { phase } = fix;
  switch (phase.kind) {
    case 'idle':
      return null;
    case 'confirm':
      return <Confirm fix={fix} action={phase.action} />;
    case 'running':
      return (
        <section className="fix-it-panel" aria-label={`${describeTitle(phase.action)} is running`}>
          <div className="loading" role="status">
            <span className="spinner" aria-hidden="true" />
            <span>{describeTitle(phase.action)}… this can take a moment.</span>
          </div>
          {phase.output && (
            <pre className="fix-it-output" aria-label="Progress">
              {phase.output}
            </pre>
          )}
        </section>
      );
    case 'done':
      return <Result fix={fix} result={phase.result} />;
    case 'failed':
      return (
        <section className="fix-it-panel fix-it-failed" role="alert">
          <strong>{describeTitle(phase.action)} could not run</strong>
          <p>{phase.message}</p>
          <div className="row">
            <button type="button" className="button button-small" onClick={fix.cancel}>
              Close
            </button>
          </div>
        </section>
      );
  }
}
