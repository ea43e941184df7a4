import { useEffect, useState, type ReactElement } from 'react';
import type { CheckResult } from '../../shared/ipc/contract';
import { useAnnounce } from '../components/Announcer';
import { fixForFinding } from '../../shared/actions/self-service';
import { ArticleInline } from '../components/ArticleInline';
import { FixItButton, FixItPanel, useFixIt } from '../components/FixIt';
import { Icon } from '../components/Icon';
import { Page } from '../components/Page';
import { Badge, Callout, ErrorBox, Loading } from '../components/Status';
import { Time } from '../components/Time';
import { useApp } from '../lib/app-context';
import { invoke } from '../lib/bridge';
import { SECTION_TITLES, SEVERITY_RANK } from '../lib/constants';
import { useIpcQuery } from '../lib/ipc-query';
import { SEVERITY_LABELS, SEVERITY_TONE } from '../lib/labels';

/** A finding's Fix-it button and its confirm, progress and result, when the finding has one. */
function FindingFix({ code }: { code: CheckResult['findings'][number]['code'] }): ReactElement | null {
  const fix = useFixIt({ kind: 'finding', code });
  const action = fixForFinding(code);
  if (!action) return null;
  return (
    <div className="finding-fix">
      {fix.phase.kind === 'idle' && <FixItButton fix={fix} action={action} />}
      <FixItPanel fix={fix} />
    </div>
  );
}

type Run = { status: 'running' } | { status: 'done'; result: CheckResult } | { status: 'failed'; message: string };

/** "Check my computer": runs the health check and shows each finding with the articles that fix it. */
export function CheckScreen(): ReactElement {
  const [run, setRun] = useState<Run>({ status: 'running' });
  const [generation, setGeneration] = useState(0);
  const articles = useIpcQuery('articles:list', {});
  const announce = useAnnounce();
  const { navigate } = useApp();

  useEffect(() => {
    let live = true;
    setRun({ status: 'running' });
    void invoke('health:check', {}).then((response) => {
      if (!live) return;
      if (response.ok) {
        setRun({ status: 'done', result: response.value });
        const n = response.value.findings.length;
        announce(
          n === 0
            ? 'Check finished: everything looks good.'
            : `Check finished: ${n} ${n === 1 ? 'thing' : 'things'} found.`,
        );
      } else setRun({ status: 'failed', message: response.error.message });
    });
    return () => {
      live = false;
    };
  }, [generation, announce]);

  const titles = new Map((articles.value?.articles ?? []).map((a) => [a.id, a.title]));
  const findings =
    run.status === 'done'
      ? [...run.result.findings].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity])
      : [];

  return (
    <Page
      title="Check my computer"
      subtitle={
        run.status === 'done' ? (
          <Time iso={run.result.checkedAt} prefix="Checked" />
        ) : (
          'Looks for the problems that most often slow people down.'
        )
      }
      actions={
        <button
          type="button"
          className="button"
          onClick={() => setGeneration((g) => g + 1)}
          disabled={run.status === 'running'}
        >
          {run.status === 'running' ? 'Checking…' : 'Check again'}
        </button>
      }
    >
      {run.status === 'running' && <Loading label="Checking your computer… this takes a second or two." />}
      {run.status === 'failed' && (
        <ErrorBox title="The check could not run" message={run.message} onRetry={() => setGeneration((g) => g + 1)} />
      )}
      {run.status === 'done' && findings.length === 0 && (
        <Callout tone="ok" icon="ok" title="All good">
          <p>No problems found. If something still isn't working, the help desk can take a look.</p>
          <button type="button" className="button button-small" onClick={() => navigate({ screen: 'help' })}>
            Get help
          </button>
        </Callout>
      )}
      {findings.length > 0 && (
        <ul className="findings" aria-label="Findings">
          {findings.map((finding) => (
            <li
              key={finding.code}
              className={`finding finding-${SEVERITY_TONE[finding.severity]}`}
              data-testid="finding"
            >
              <div className="finding-head">
                <Icon name={finding.severity === 'info' ? 'info' : finding.severity} />
                <h2>{finding.title}</h2>
                <Badge tone={SEVERITY_TONE[finding.severity]}>{SEVERITY_LABELS[finding.severity]}</Badge>
              </div>
              <p className="finding-evidence">{finding.evidence}</p>
              <FindingFix code={finding.code} />
              {finding.articleIds.length > 0 ? (
                <div className="finding-articles">
                  <span className="muted small">How to fix it</span>
                  {finding.articleIds.map((id) => (
                    <ArticleInline key={id} id={id} title={titles.get(id) ?? 'Self-help article'} />
                  ))}
                </div>
              ) : (
                <p className="muted small">No self-help article for this yet — the help desk can help.</p>
              )}
            </li>
          ))}
        </ul>
      )}
      {run.status === 'done' && run.result.probeProblems.length > 0 && (
        <section className="stack" aria-labelledby="probe-problems">
          <h2 id="probe-problems">What could not be checked</h2>
          <p className="muted">These parts of the check did not finish, so problems there would not show above.</p>
          <ul className="plain-list">
            {run.result.probeProblems.map((p) => (
              <li key={p.section}>
                <strong>{SECTION_TITLES[p.section]}</strong>:{' '}
                {p.status === 'timeout'
                  ? 'took too long'
                  : p.status === 'unsupported'
                    ? 'not available on this computer'
                    : 'failed'}
                {p.message ? ` — ${p.message}` : ''}
              </li>
            ))}
          </ul>
        </section>
      )}
    </Page>
  );
}
