import { Fragment, type MouseEvent, type ReactElement } from 'react';
import { isAllowedExternalUrl } from '../../shared/external-url';
import { Page } from '../components/Page';
import { ErrorBox, Loading } from '../components/Status';
import { useApp } from '../lib/app-context';
import { invoke } from '../lib/bridge';
import { useMarkInteractive } from '../lib/hooks';
import { useIpcQuery } from '../lib/ipc-query';

const PLATFORMS = { linux: 'Linux', darwin: 'macOS', win32: 'Windows', other: 'Other system' } as const;

function ExternalLink({ url, children }: { url: string; children: string }): ReactElement {
  if (!isAllowedExternalUrl(url)) return <span>{children}</span>;
  const open = (event: MouseEvent) => {
    event.preventDefault();
    void invoke('external:open', { url });
  };
  return (
    <a href={url} onClick={open} className="external-link">
      {children}
    </a>
  );
}

/** About: product and version, how to reach support, and where logs and IT's configuration live. */
export function AboutScreen(): ReactElement {
  const info = useIpcQuery('app:info', {}, { staleTime: Infinity });
  const { state } = useApp();
  useMarkInteractive(info.status !== 'loading');
  if (!info.value) {
    return (
      <Page title="About">
        {info.status === 'error' ? (
          <ErrorBox title="Could not load" message={info.error} onRetry={info.reload} />
        ) : (
          <Loading label="Loading…" />
        )}
      </Page>
    );
  }
  const { branding, links } = info.value;
  const hasSupport = branding.supportEmail || branding.supportPhone || branding.supportUrl;
  return (
    <Page
      title={`About ${branding.name}`}
      subtitle={`Version ${info.value.version} · ${PLATFORMS[info.value.platform]}`}
    >
      <section className="card stack" aria-labelledby="support-heading">
        <h2 id="support-heading">Contact the help desk</h2>
        {!hasSupport && (
          <p className="muted">Your IT department has not listed contact details. Use Get help to reach them.</p>
        )}
        <dl className="facts">
          {branding.supportEmail && (
            <>
              <dt>Email</dt>
              <dd>
                <ExternalLink url={`mailto:${branding.supportEmail}`}>{branding.supportEmail}</ExternalLink>
              </dd>
            </>
          )}
          {branding.supportPhone && (
            <>
              <dt>Phone</dt>
              <dd>{branding.supportPhone}</dd>
            </>
          )}
          {branding.supportUrl && (
            <>
              <dt>Web</dt>
              <dd>
                <ExternalLink url={branding.supportUrl}>{branding.supportUrl}</ExternalLink>
              </dd>
            </>
          )}
          {links.map((link) => (
            <Fragment key={link.url}>
              <dt>Link</dt>
              <dd>
                <ExternalLink url={link.url}>{link.label}</ExternalLink>
              </dd>
            </Fragment>
          ))}
        </dl>
      </section>
      <section className="card stack" aria-labelledby="tech-heading">
        <h2 id="tech-heading">For the help desk</h2>
        <dl className="facts">
          <dt>Computer</dt>
          <dd>{state?.computerName ?? '—'}</dd>
          <dt>Device id</dt>
          <dd className="mono">{state?.enrollment.deviceId ?? 'not enrolled'}</dd>
          <dt>Platform</dt>
          <dd>{info.value.platform}</dd>
          <dt>Log file</dt>
          <dd className="mono selectable">{info.value.logFile}</dd>
          <dt>Data folder</dt>
          <dd className="mono selectable">{info.value.dataDir}</dd>
          <dt>IT configuration</dt>
          <dd className="mono selectable">{info.value.managedConfigPath}</dd>
        </dl>
      </section>
      <p className="muted small">Deskside is open-source desktop support software.</p>
    </Page>
  );
}
