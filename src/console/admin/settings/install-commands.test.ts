import { describe, expect, it } from 'vitest';
import { installCommands } from './install-commands';

describe('installCommands', () => {
  const [windows, macos, linux] = installCommands('https://help.example.com', 'dse_abc-DEF_123', '1.2.3');

  it('presets the server and secret on every OS', () => {
    expect(windows?.command).toBe('Deskside-Setup.exe /S /SERVER=https://help.example.com /SECRET=dse_abc-DEF_123');
    expect(macos?.command).toBe(
      `sudo mkdir -p "/Library/Application Support/Deskside" && echo '{"serverUrl":"https://help.example.com","enrollSecret":"dse_abc-DEF_123"}' | sudo tee "/Library/Application Support/Deskside/config.json"`,
    );
    expect(macos?.then).toMatch(/dmg/);
    expect(linux?.command).toBe(
      `sudo mkdir -p /etc/deskside && echo '{"serverUrl":"https://help.example.com","enrollSecret":"dse_abc-DEF_123"}' | sudo tee /etc/deskside/config.json && sudo apt install ./deskside_1.2.3_amd64.deb`,
    );
  });

  it('writes configuration JSON that parses back to the same values', () => {
    const json = /echo '([^']+)'/.exec(linux?.command ?? '')?.[1];
    expect(JSON.parse(String(json))).toEqual({
      serverUrl: 'https://help.example.com',
      enrollSecret: 'dse_abc-DEF_123',
    });
  });
});
