/** One way to install the agent with its server and enrollment secret preset. */
export interface InstallCommand {
  os: 'windows' | 'macos' | 'linux';
  label: string;
  command: string;
  /** What to do after the command, if anything. */
  then?: string;
}

/**
 * The silent-install command per OS. The agent reads `serverUrl` and `enrollSecret` from its system
 * configuration file (macOS, Linux) or from the installer's /SERVER and /SECRET switches (Windows).
 * Secrets are `dse_` plus base64url characters and URLs are origins, so neither needs shell quoting
 * beyond the single quotes around the JSON; the JSON itself is built with JSON.stringify.
 */
export function installCommands(serverUrl: string, secret: string, version: string): InstallCommand[] {
  const config = JSON.stringify({ serverUrl, enrollSecret: secret });
  return [
    {
      os: 'windows',
      label: 'Windows (elevated Command Prompt)',
      command: `Deskside-Setup.exe /S /SERVER=${serverUrl} /SECRET=${secret}`,
    },
    {
      os: 'macos',
      label: 'macOS (Terminal)',
      command: `sudo mkdir -p "/Library/Application Support/Deskside" && echo '${config}' | sudo tee "/Library/Application Support/Deskside/config.json"`,
      then: 'Then install the Deskside dmg.',
    },
    {
      os: 'linux',
      label: 'Linux (Debian/Ubuntu)',
      command: `sudo mkdir -p /etc/deskside && echo '${config}' | sudo tee /etc/deskside/config.json && sudo apt install ./deskside_${version}_amd64.deb`,
    },
  ];
}
