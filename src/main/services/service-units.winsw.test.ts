// @vitest-environment jsdom
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  daemonArgv,
  planInstall,
  planUninstall,
  windowsArg,
  windowsServiceDir,
  winswValue,
  winswXml,
  type ServiceSpec,
} from './service-units';

/*
 * The Windows service: WinSW 1.17's XML and the install/uninstall plans. Checked for content only
 * (there is no Windows here): the XML is parsed with jsdom's strict XML parser, and the command line
 * WinSW builds from the <argument>s is rebuilt the way WinSW 1.17's ServiceDescriptor.AppendTags does.
 */

interface XmlElementLike {
  textContent: string | null;
  getAttribute(name: string): string | null;
}
interface XmlDocumentLike {
  documentElement: { tagName: string };
  getElementsByTagName(name: string): { length: number; item(index: number): XmlElementLike | null };
}
const { DOMParser } = globalThis as unknown as {
  DOMParser: new () => { parseFromString(text: string, type: string): XmlDocumentLike };
};

function parse(text: string): XmlDocumentLike {
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  expect(doc.getElementsByTagName('parsererror').length, text).toBe(0);
  return doc;
}

const all = (doc: XmlDocumentLike, tag: string) => {
  const list = doc.getElementsByTagName(tag);
  return Array.from({ length: list.length }, (_, i) => list.item(i)!);
};
const texts = (doc: XmlDocumentLike, tag: string) => all(doc, tag).map((e) => e.textContent ?? '');

/** The arguments string WinSW 1.17 passes to Process.Start: each one spaced, quoted if it has a space. */
const winswArguments = (args: string[]) =>
  args.map((token) => ` ${token.includes(' ') && !/^".*"$/.test(token) ? `"${token}"` : token}`).join('');

const spec: ServiceSpec = {
  nodePath: 'C:\\Program Files\\nodejs\\node.exe',
  bundlePath: "C:\\Users\\O'Brien & <Co>\\deskside\\bin\\deskside.js",
  dataDir: 'C:\\ProgramData\\Deskside\\agent',
  serverUrl: 'https://help.example.com',
  enrollSecret: 'a-secret-of-enough-length',
};
const logs = 'C:\\ProgramData\\Deskside\\service\\logs';

describe('winswXml', () => {
  const text = winswXml(spec, logs);
  const doc = parse(text);

  it('is well-formed XML: the service id, name, node as the executable, one <argument> per argv element', () => {
    expect(doc.documentElement.tagName).toBe('service');
    expect(texts(doc, 'id')).toEqual(['DesksideAgent']);
    expect(texts(doc, 'name')).toEqual(['Deskside Agent']);
    expect(texts(doc, 'executable')).toEqual([spec.nodePath]);
    expect(texts(doc, 'argument')).toEqual(daemonArgv(spec).slice(1));
    expect(texts(doc, 'argument').slice(0, 7)).toEqual([
      '--max-semi-space-size=1',
      '--optimize-for-size',
      '--lite-mode',
      '--no-expose-wasm',
      '--no-icu-timezone-data',
      '--no-node-snapshot',
      spec.bundlePath,
    ]);
    expect(texts(doc, 'arguments')).toEqual([]);
    // The secret is in the managed-config file, which the daemon is pointed at.
    expect(text).not.toContain(spec.enrollSecret);
    expect(texts(doc, 'argument')).toContain(join(spec.dataDir, 'managed-config.json'));
  });

  it("escapes & < > and ' in values", () => {
    expect(text).toContain('<argument>C:\\Users\\O&apos;Brien &amp; &lt;Co&gt;\\deskside\\bin\\deskside.js</argument>');
    expect(winswValue("a&b<c>d'e")).toBe('a&amp;b&lt;c&gt;d&apos;e');
  });

  it('gives node the command line CommandLineToArgvW reads back as the daemon argv', () => {
    const args = daemonArgv(spec).slice(1);
    expect(winswArguments(texts(doc, 'argument'))).toBe(` ${args.map(windowsArg).join(' ')}`);
  });

  it('starts automatically, restarts after a failure with a growing delay, stops with a timeout', () => {
    expect(texts(doc, 'startmode')).toEqual(['Automatic']);
    expect(all(doc, 'onfailure').map((e) => [e.getAttribute('action'), e.getAttribute('delay')])).toEqual([
      ['restart', '5 sec'],
      ['restart', '30 sec'],
      ['restart', '60 sec'],
    ]);
    expect(texts(doc, 'resetfailure')).toEqual(['1 day']);
    expect(texts(doc, 'stoptimeout')).toEqual(['15 sec']);
    expect(texts(doc, 'stopparentprocessfirst')).toEqual(['true']);
    // LocalSystem: no account, no password in the file.
    expect(texts(doc, 'serviceaccount')).toEqual([]);
  });

  it('logs into the log folder, rolled by size', () => {
    expect(texts(doc, 'logpath')).toEqual([logs]);
    // <logmode> would win over <log mode=…> in WinSW 1.x.
    expect(texts(doc, 'logmode')).toEqual([]);
    expect(all(doc, 'log').map((e) => e.getAttribute('mode'))).toEqual(['roll-by-size']);
    expect(texts(doc, 'sizeThreshold')).toEqual(['10240']);
    expect(texts(doc, 'keepFiles')).toEqual(['4']);
  });

  it('refuses what WinSW would change or cannot pass on: control characters, %, ", empty, a spaced value ending in \\', () => {
    expect(() => winswXml({ ...spec, dataDir: 'C:\\a\n</argument><executable>x' }, logs)).toThrow(/not usable/);
    expect(() => winswXml({ ...spec, dataDir: 'C:\\a\tb' }, logs)).toThrow(/not usable/);
    expect(() => winswXml({ ...spec, bundlePath: 'C:\\%USERPROFILE%\\deskside.js' }, logs)).toThrow(
      /not usable in the Windows service wrapper/,
    );
    expect(() => winswXml({ ...spec, nodePath: 'C:\\a"b\\node.exe' }, logs)).toThrow(/not usable/);
    expect(() => winswXml(spec, 'C:\\dir with space\\')).toThrow(/not usable/);
    expect(() => winswValue('')).toThrow(/not usable/);
    expect(winswValue('C:\\')).toBe('C:\\');
  });
});

describe('planInstall / planUninstall on Windows', () => {
  const wrapperPath = 'C:\\src\\deskside\\node_modules\\node-windows\\bin\\winsw\\winsw.exe';
  const dir = windowsServiceDir('D:\\ProgramData');
  const exe = join(dir, 'deskside-agent.exe');

  it('writes the managed config and deskside-agent.xml, copies the wrapper beside it, then install and start', () => {
    const plan = planInstall('win32', spec, { home: 'C:\\Users\\ann', programData: 'D:\\ProgramData', wrapperPath });
    expect(dir).toBe('D:\\ProgramData\\Deskside\\service');
    expect(plan.write.map((w) => [w.path, w.mode])).toEqual([
      [join(spec.dataDir, 'managed-config.json'), 0o600],
      [join(dir, 'deskside-agent.xml'), 0o644],
    ]);
    expect(plan.write[1]!.content).toBe(winswXml(spec, join(dir, 'logs')));
    expect(plan.copy).toEqual([
      { from: wrapperPath, to: exe },
      { from: `${wrapperPath}.config`, to: join(dir, 'deskside-agent.exe.config') },
    ]);
    // Administrators only (before anything is written); a reinstall first stops and removes the service
    // (harmless failures on a first install).
    expect(plan.before).toEqual([
      { command: 'net.exe', args: ['session'] },
      { command: 'net.exe', args: ['stop', 'DesksideAgent'], mayFail: true },
      { command: exe, args: ['uninstall'], mayFail: true },
    ]);
    // The wrapper's folder is created and locked down before the wrapper is put in it: it runs as SYSTEM.
    expect(plan.folders).toEqual([
      {
        path: dir,
        restrict: {
          command: 'icacls.exe',
          args: [dir, '/inheritance:r', '/grant:r', '*S-1-5-32-544:(OI)(CI)F', '*S-1-5-18:(OI)(CI)F'],
        },
      },
    ]);
    expect(plan.remove).toEqual([]);
    expect(plan.after).toEqual([
      { command: exe, args: ['install'] },
      { command: exe, args: ['start'] },
    ]);
    expect(JSON.stringify(plan.after)).not.toContain('sc.exe');
  });

  it('--unit-dir moves the wrapper folder; without a wrapper path there is no plan', () => {
    const plan = planInstall('win32', spec, { home: '', unitDir: '/tmp/svc', wrapperPath });
    expect(plan.copy.map((c) => c.to)).toEqual(['/tmp/svc/deskside-agent.exe', '/tmp/svc/deskside-agent.exe.config']);
    expect(plan.write.at(-1)!.path).toBe('/tmp/svc/deskside-agent.xml');
    expect(() => planInstall('win32', spec, { home: '' })).toThrow(/winsw\.exe/);
  });

  it('uninstall: stop (may fail), uninstall, then removes the XML, the wrapper and its .config', () => {
    const plan = planUninstall('win32', { home: 'C:\\Users\\ann', programData: 'D:\\ProgramData' });
    expect(plan.before).toEqual([
      { command: 'net.exe', args: ['stop', 'DesksideAgent'], mayFail: true },
      { command: exe, args: ['uninstall'] },
    ]);
    expect(plan.remove).toEqual([join(dir, 'deskside-agent.xml'), exe, join(dir, 'deskside-agent.exe.config')]);
    expect(plan.write).toEqual([]);
    expect(plan.copy).toEqual([]);
    expect(plan.folders).toEqual([]);
    expect(plan.after).toEqual([]);
  });
});
