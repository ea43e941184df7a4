import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

/*
 * electron-builder cannot run here (no Electron binary), so the packaging configuration is checked
 * the way electron-builder itself would check it: electron-builder.yml against app-builder-lib's
 * JSON schema (with ajv and with electron-builder's own validateConfiguration), every file it names
 * exists, the deb scripts survive electron-builder's template step and parse as bash, and the NSIS
 * include does what the deployment docs promise.
 */

const require = createRequire(import.meta.url);
// yaml, ajv and builder-util come with electron-builder (a devDependency).
const YAML = require('yaml') as { parse(text: string): unknown };
const Ajv = require('ajv') as new (options: object) => {
  compile(schema: unknown): ((data: unknown) => boolean) & { errors?: unknown[] | null };
};

type Config = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a parsed YAML document
const config = YAML.parse(readFileSync('electron-builder.yml', 'utf8')) as Config;

/** electron-builder's template step for fpm scripts (FpmTarget.writeConfigFile): ${name} from the options, unknown names are an error. */
function fillTemplate(text: string, options: Record<string, string>): string {
  return text.replace(/\${([a-zA-Z]+)}/g, (_match, name: string) => {
    if (!(name in options)) throw new Error(`Macro ${name} is not defined`);
    return options[name]!;
  });
}

describe('electron-builder.yml', () => {
  it("matches electron-builder's JSON schema", () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(config), JSON.stringify(validate.errors, null, 2)).toBe(true);
    // The schema does reject unknown keys (so the check above means something).
    expect(validate({ ...config, nsis: { ...config.nsis, perMachin: true } })).toBe(false);
  });

  it("passes electron-builder's own configuration check", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration(c: unknown, l: unknown): Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  }, 60_000);

  it('keeps the Electron fuses locked down', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    expect(config.asar).toBe(true);
  });

  it('packs the built agent and its icons, not source maps or the server', () => {
    expect(config.appId).toBe('org.deskside.agent');
    expect(config.productName).toBe('Deskside');
    expect(config.files).toEqual(
      expect.arrayContaining([
        'dist/main/**',
        'dist/preload/**',
        'dist/renderer/**',
        'assets/**',
        'package.json',
        '!**/*.map',
      ]),
    );
    expect(config.files.some((f: string) => f.startsWith('!node_modules/{better-sqlite3,'))).toBe(true);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { main?: string };
    expect(pkg.main).toBe('dist/main/main.js');
  });

  it('names only files that exist', () => {
    for (const file of [
      config.win.icon,
      config.nsis.include,
      config.nsis.installerIcon,
      config.mac.icon,
      config.linux.icon,
      config.deb.afterInstall,
      config.deb.afterRemove,
      config.mac.extraResources[0].from,
      config.win.extraResources[0].from,
    ]) {
      expect(existsSync(file), file).toBe(true);
    }
  });

  it('ships the WinSW service wrapper in Windows builds only (resources/winsw/winsw.exe, where the CLI looks)', () => {
    expect(config.win.extraResources).toEqual([{ from: 'node_modules/node-windows/bin/winsw/', to: 'winsw/' }]);
    for (const file of ['winsw.exe', 'winsw.exe.config'])
      expect(existsSync(`${config.win.extraResources[0].from}${file}`), file).toBe(true);
    expect(config.extraResources).toBeUndefined();
    expect(config.linux.extraResources).toBeUndefined();
  });

  it('installs per machine on Windows with the documented file name, hides the Dock icon on macOS', () => {
    expect(config.nsis).toMatchObject({ perMachine: true, include: 'build/installer.nsh' });
    expect(config.nsis.artifactName).toBe('${productName}-Setup-${version}.${ext}');
    expect(config.mac.extendInfo.LSUIElement).toBe(true);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
  });
});

describe('deb scripts', () => {
  const options = { executable: 'deskside', sanitizedProductName: 'Deskside', productFilename: 'Deskside' };

  it.each(['build/linux/after-install.sh', 'build/linux/after-remove.sh'])(
    '%s survives the template step and parses as bash',
    (file) => {
      const filled = fillTemplate(readFileSync(file, 'utf8'), options);
      expect(filled).not.toMatch(/\$\{[a-zA-Z]+\}/);
      execFileSync('bash', ['-n'], { input: filled });
    },
  );

  it('installs the system autostart entry and the config folder', () => {
    const filled = fillTemplate(readFileSync('build/linux/after-install.sh', 'utf8'), options);
    expect(filled).toContain('/etc/xdg/autostart/deskside.desktop');
    expect(filled).toContain('Exec=/opt/Deskside/deskside --hidden');
    expect(filled).toContain('/etc/deskside/config.json');
    // electron-builder's own steps are kept (the custom script replaces its default).
    expect(filled).toContain(
      "update-alternatives --install '/usr/bin/deskside' 'deskside' '/opt/Deskside/deskside' 100",
    );
    expect(filled).toContain("chmod 4755 '/opt/Deskside/chrome-sandbox'");
  });

  it('writes config.json from the environment only for safe values', () => {
    // Run the config step alone against a scratch folder: the part between the markers, with /etc redirected.
    const text = readFileSync('build/linux/after-install.sh', 'utf8');
    const step = text.slice(text.indexOf('json_safe() {'), text.lastIndexOf('exit 0'));
    const dir = execFileSync('mktemp', ['-d']).toString().trim();
    try {
      const run = (env: Record<string, string>) =>
        execFileSync('bash', ['-c', step.replaceAll('/etc/deskside', `${dir}/etc-deskside`)], {
          env: { PATH: process.env.PATH ?? '', ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
      execFileSync('mkdir', ['-p', `${dir}/etc-deskside`]);
      run({ DESKSIDE_SERVER_URL: 'https://helpdesk.example.com', DESKSIDE_ENROLL_SECRET: 'abcdefghijklmnop-123' });
      expect(JSON.parse(readFileSync(`${dir}/etc-deskside/config.json`, 'utf8'))).toEqual({
        serverUrl: 'https://helpdesk.example.com',
        enrollSecret: 'abcdefghijklmnop-123',
      });
      run({ DESKSIDE_SERVER_URL: 'https://evil.example.com", "x": "y' });
      expect(JSON.parse(readFileSync(`${dir}/etc-deskside/config.json`, 'utf8')).serverUrl).toBe(
        'https://helpdesk.example.com',
      );
    } finally {
      execFileSync('rm', ['-rf', dir]);
    }
  });
});

describe('NSIS include', () => {
  const nsh = readFileSync('build/installer.nsh', 'utf8');

  it('reads /SERVER= and /SECRET= with the FileFunc macros and writes the ProgramData config', () => {
    expect(nsh).toContain('${GetParameters} $R0');
    expect(nsh).toContain('${GetOptions} $R0 "/SERVER=" $R1');
    expect(nsh).toContain('${GetOptions} $R0 "/SECRET=" $R2');
    expect(nsh).toContain('ReadEnvStr $R4 "ProgramData"');
    expect(nsh).toContain('$R4\\Deskside\\config.json');
    expect(nsh).toMatch(/"serverUrl": "\$R1"/);
    expect(nsh).toMatch(/"enrollSecret": "\$R2"/);
  });

  it('adds and removes the HKLM Run entry, and keeps installer code out of the uninstaller build', () => {
    expect(nsh).toMatch(
      /WriteRegStr HKLM "\$\{DESKSIDE_RUN_KEY\}" "\$\{DESKSIDE_RUN_VALUE\}" '"\$INSTDIR\\\$\{APP_EXECUTABLE_FILENAME\}" --hidden'/,
    );
    expect(nsh).toContain('!define DESKSIDE_RUN_KEY "Software\\Microsoft\\Windows\\CurrentVersion\\Run"');
    expect(nsh).toMatch(/!macro customUnInstall[\s\S]*DeleteRegValue HKLM/);
    const guarded = nsh.slice(nsh.indexOf('!ifndef BUILD_UNINSTALLER'), nsh.indexOf('!endif ; BUILD_UNINSTALLER'));
    expect(guarded).toContain('!macro customInstall');
    expect(guarded).toContain('Function DesksideCheckJsonSafe');
    // Every !macro is closed and every If/EndIf balances.
    expect(nsh.match(/^!macro /gm)?.length).toBe(nsh.match(/^!macroend/gm)?.length);
    expect(nsh.match(/\$\{If\}|\$\{IfNot\}|\$\{ifNot\}/g)?.length).toBe(nsh.match(/\$\{EndIf\}|\$\{endIf\}/g)?.length);
  });
});
