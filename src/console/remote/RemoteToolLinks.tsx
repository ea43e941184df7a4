import type { ReactElement } from 'react';
import { isAllowedRemoteToolUrl } from '../../shared/external-url';
import { useSnapshot } from '../api/devices.queries';
import { CopyButton } from '../admin/settings/CopyButton';

/*
 * "Connect with RustDesk" / "Open in MeshCentral" (issue 13): where IT already runs one of these tools and the
 * snapshot reports its ID, the ticket and device pages offer a link into it. The server builds the links
 * from IT's settings with strictly checked IDs; the console renders only what the remote-tool allow-list
 * accepts (rustdesk://<number>, https:), and shows the ID either way so it can be typed in.
 */

export function RemoteToolLinks({ snapshotId }: { snapshotId: number }): ReactElement | null {
  const detail = useSnapshot(snapshotId);
  const links = detail.data?.remoteTools ?? [];
  if (links.length === 0) return null;
  return (
    <section className="card remote-tools" aria-labelledby={`remote-tools-${snapshotId}`}>
      <h2 id={`remote-tools-${snapshotId}`}>Remote tools IT already uses</h2>
      <ul className="remote-tool-list">
        {links.map((link, i) => {
          const url = link.url && isAllowedRemoteToolUrl(link.url) ? link.url : null;
          const external = url?.startsWith('https:') ?? false;
          return (
            <li key={`${link.tool}-${i}`}>
              {url ? (
                <a
                  className="btn btn-primary"
                  href={url}
                  {...(external ? { target: '_blank', rel: 'noopener noreferrer' } : { rel: 'noreferrer' })}
                >
                  {link.label}
                </a>
              ) : (
                <span className="btn" aria-disabled="true">
                  {link.label}
                </span>
              )}
              {link.id && (
                <>
                  {' '}
                  <span className="muted">ID</span>{' '}
                  <span className="mono" id={`remote-tool-id-${snapshotId}-${i}`}>
                    {link.id}
                  </span>{' '}
                  <CopyButton
                    text={link.id}
                    label={`Copy the ${link.tool === 'rustdesk' ? 'RustDesk' : 'MeshCentral'} ID`}
                    targetId={`remote-tool-id-${snapshotId}-${i}`}
                  />
                </>
              )}
              {link.note && <p className="muted small">{link.note}</p>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
