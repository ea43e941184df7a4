import type { ReactElement } from 'react';
import type { ItTarget } from '../../shared/netmon/netmon';
import { NETMON_METHODS, NETMON_TARGETS_MAX, type NetmonMethod } from '../../shared/netmon/netmon-limits';
import { DraftRows, RowField } from '../admin/common/DraftRows';

/*
 * IT's targets in the probe plan: each a host to ping (ICMP) or connect to (TCP), a URL to check (HTTP),
 * or a name to resolve (DNS), with only the fields its method takes.
 */

/** One row as the form holds it (every field, whichever the method). */
export interface TargetDraft {
  slug: string;
  label: string;
  method: NetmonMethod;
  host: string;
  port: string;
  scheme: 'http' | 'https';
  path: string;
}

const METHOD_WORDS: Record<NetmonMethod, string> = {
  icmp: 'Ping (ICMP)',
  tcp: 'TCP connect',
  http: 'HTTP(S) request',
  dns: 'DNS lookup',
};

export function draftOf(t: ItTarget): TargetDraft {
  return {
    slug: t.slug,
    label: t.label,
    method: t.method,
    host: t.host,
    port: 'port' in t && t.port !== undefined ? String(t.port) : '',
    scheme: t.method === 'http' ? t.scheme : 'https',
    path: t.method === 'http' ? t.path : '/',
  };
}

/** The target the API takes: only the fields of its method. */
export function targetOf(d: TargetDraft): ItTarget {
  const base = { slug: d.slug.trim(), label: d.label.trim(), host: d.host.trim() };
  switch (d.method) {
    case 'icmp':
      return { ...base, method: 'icmp' };
    case 'dns':
      return { ...base, method: 'dns' };
    case 'tcp':
      return { ...base, method: 'tcp', port: Number(d.port) };
    case 'http':
      return {
        ...base,
        method: 'http',
        scheme: d.scheme,
        path: d.path.trim() || '/',
        ...(d.port.trim() ? { port: Number(d.port) } : {}),
      };
  }
}

const EMPTY: TargetDraft = { slug: '', label: '', method: 'icmp', host: '', port: '', scheme: 'https', path: '/' };

/** The http/https choice of an HTTP target or check. */
export function SchemeField(props: {
  name: string;
  value: 'http' | 'https';
  onChange(v: 'http' | 'https'): void;
}): ReactElement {
  return (
    <label className="field">
      <span>Scheme</span>
      <select
        className="input"
        aria-label={`${props.name} scheme`}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value as 'http' | 'https')}
      >
        <option value="https">https</option>
        <option value="http">http</option>
      </select>
    </label>
  );
}

function TargetFields({
  value,
  name,
  set,
}: {
  value: TargetDraft;
  name: string;
  set(patch: Partial<TargetDraft>): void;
}): ReactElement {
  return (
    <>
      <RowField kind="id" row={name} value={value.slug} placeholder="mail" onChange={(slug) => set({ slug })} />
      <RowField
        kind="name"
        row={name}
        value={value.label}
        placeholder="Mail server"
        onChange={(label) => set({ label })}
      />
      <label className="field">
        <span>Method</span>
        <select
          className="input"
          aria-label={`${name} method`}
          value={value.method}
          onChange={(e) => set({ method: e.target.value as NetmonMethod })}
        >
          {NETMON_METHODS.map((m) => (
            <option key={m} value={m}>
              {METHOD_WORDS[m]}
            </option>
          ))}
        </select>
      </label>
      {value.method === 'http' ? (
        <SchemeField name={name} value={value.scheme} onChange={(scheme) => set({ scheme })} />
      ) : null}
      <label className="field admin-grow">
        <span>{value.method === 'dns' ? 'Name to resolve' : 'Host'}</span>
        <input
          className="input"
          aria-label={`${name} ${value.method === 'dns' ? 'name to resolve' : 'host'}`}
          value={value.host}
          placeholder={value.method === 'dns' ? 'intranet.example.com' : 'mail.example.com'}
          required
          onChange={(e) => set({ host: e.target.value })}
        />
      </label>
      {value.method === 'tcp' || value.method === 'http' ? (
        <label className="field net-narrow">
          <span>Port</span>
          <input
            className="input"
            type="number"
            min={1}
            max={65535}
            aria-label={`${name} port`}
            value={value.port}
            placeholder={value.method === 'http' ? (value.scheme === 'https' ? '443' : '80') : ''}
            required={value.method === 'tcp'}
            onChange={(e) => set({ port: e.target.value })}
          />
        </label>
      ) : null}
      {value.method === 'http' ? (
        <label className="field">
          <span>Path</span>
          <input
            className="input"
            aria-label={`${name} path`}
            value={value.path}
            onChange={(e) => set({ path: e.target.value })}
          />
        </label>
      ) : null}
    </>
  );
}

/** The list of IT targets with add and remove. */
export function TargetsEditor({
  value,
  onChange,
}: {
  value: TargetDraft[];
  onChange(v: TargetDraft[]): void;
}): ReactElement {
  return (
    <fieldset className="admin-fieldset">
      <legend>IT targets</legend>
      <p className="muted small">
        Every agent also probes these, besides the gateway, the DNS resolvers and the help-desk server (up to{' '}
        {NETMON_TARGETS_MAX}). Their results show as “it:&lt;id&gt;”.
      </p>
      <DraftRows
        rows={value}
        onChange={onChange}
        noun="Target"
        labelOf={(t) => t.label}
        fields={(t, name, set) => <TargetFields value={t} name={name} set={set} />}
        blank={() => ({ ...EMPTY })}
        addLabel="Add a target"
        empty="No IT targets."
        max={NETMON_TARGETS_MAX}
        rowClassName="net-target-row"
      />
    </fieldset>
  );
}
