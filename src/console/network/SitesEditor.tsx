import { useEffect, useState, type ReactElement } from 'react';
import type { ApiError } from '../api/http';
import { useNetmonSites, useSaveNetmonSites } from '../api/netmon.queries';
import { asApiError } from '../api/query-client';
import { DraftRows, RowField } from '../admin/common/DraftRows';
import { ErrorAlert, Notice } from '../admin/common/ui';

/*
 * IT-named sites: the subnets (CIDR) and Wi-Fi networks (SSID) that make "Floor 3" or "Lyon office". A
 * device is placed in the first site whose subnet holds its own or whose SSID it is on; devices in no
 * site show by their subnet, else their SSID. Saved as one list; devices are placed again.
 */

interface SiteDraft {
  slug: string;
  name: string;
  subnets: string;
  ssids: string;
}

const list = (text: string) =>
  text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);

export function SitesEditor(): ReactElement {
  const sites = useNetmonSites();
  const save = useSaveNetmonSites();
  const [drafts, setDrafts] = useState<SiteDraft[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    if (sites.data && drafts === null)
      setDrafts(sites.data.map((s) => ({ ...s, subnets: s.subnets.join(', '), ssids: s.ssids.join(', ') })));
  }, [sites.data, drafts]);
  const rows = drafts ?? [];
  return (
    <form
      className="card stack"
      aria-label="Sites"
      onSubmit={async (e) => {
        e.preventDefault();
        setError(null);
        setNotice(null);
        try {
          await save.mutateAsync({
            sites: rows.map((r) => ({
              slug: r.slug.trim(),
              name: r.name.trim(),
              subnets: list(r.subnets),
              ssids: list(r.ssids),
            })),
          });
          setNotice(`${rows.length} site${rows.length === 1 ? '' : 's'} saved; devices are placed again.`);
        } catch (err) {
          setError(asApiError(err));
        }
      }}
    >
      <h2>Sites</h2>
      <p className="muted small">
        Name the places your network is made of. A device is in the first site whose subnet holds its own, or whose
        Wi-Fi network it is on; others show by subnet, else by SSID.
      </p>
      <ErrorAlert error={sites.error ?? error} />
      <Notice message={notice} />
      <DraftRows
        rows={rows}
        onChange={setDrafts}
        noun="Site"
        labelOf={(r) => r.name}
        fields={(r, name, set) => (
          <>
            <RowField kind="id" row={name} value={r.slug} placeholder="floor-3" onChange={(slug) => set({ slug })} />
            <RowField kind="name" row={name} value={r.name} placeholder="Floor 3" onChange={(n) => set({ name: n })} />
            <label className="field admin-grow">
              <span>Subnets</span>
              <input
                className="input"
                aria-label={`${name} subnets`}
                value={r.subnets}
                placeholder="10.3.0.0/16, 10.4.1.0/24"
                onChange={(e) => set({ subnets: e.target.value })}
              />
            </label>
            <label className="field admin-grow">
              <span>Wi-Fi networks (SSID)</span>
              <input
                className="input"
                aria-label={`${name} SSIDs`}
                value={r.ssids}
                placeholder="none"
                onChange={(e) => set({ ssids: e.target.value })}
              />
            </label>
          </>
        )}
        blank={() => ({ slug: '', name: '', subnets: '', ssids: '' })}
        addLabel="Add a site"
        empty="No named sites yet."
        ready={drafts !== null}
        footer={
          <>
            <span className="spacer" />
            <button type="submit" className="btn btn-primary" disabled={save.isPending || drafts === null}>
              Save sites
            </button>
          </>
        }
      />
    </form>
  );
}
