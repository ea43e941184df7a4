import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { windowsServiceWrapper } from './daemon.actions';

describe('windowsServiceWrapper', () => {
  it("is the packaged app's resources\\winsw\\winsw.exe when there are resources", () => {
    expect(windowsServiceWrapper('/opt/Deskside/resources')).toBe(
      join('/opt/Deskside/resources', 'winsw', 'winsw.exe'),
    );
  });

  it("else node-windows's winsw.exe (with its .config) from node_modules", () => {
    const path = windowsServiceWrapper(undefined);
    expect(path).toMatch(/node_modules[\\/]node-windows[\\/]bin[\\/]winsw[\\/]winsw\.exe$/);
    expect(existsSync(path)).toBe(true);
    expect(existsSync(`${path}.config`)).toBe(true);
  });

  it('names where it would be when node-windows is not installed (the install reports it missing)', () => {
    const noModules = Object.assign(createRequire(import.meta.url), {
      resolve: () => {
        throw new Error("Cannot find module 'node-windows/package.json'");
      },
    }) as NodeJS.Require;
    expect(windowsServiceWrapper(undefined, noModules)).toMatch(/node_modules\/node-windows\/bin\/winsw\/winsw\.exe$/);
  });
});
