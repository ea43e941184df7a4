import type { CreateAnnouncementRequest, CreateArticleRequest } from '../../shared/api/content-admin';

/** Self-help articles of the demo: Markdown, tagged to the findings they fix. */
export const DEMO_ARTICLES: readonly CreateArticleRequest[] = [
  {
    title: 'Free up disk space',
    tags: ['disk-space', 'storage'],
    findingCodes: ['disk.almost_full'],
    status: 'published',
    body: `When the disk is more than 90% full, programs cannot save files and updates fail.

## What you can do in five minutes

1. **Empty the trash** (Recycle Bin on Windows).
2. **Clear downloads**: sort *Downloads* by size and delete installers you no longer need.
3. **Clear app caches**: Photoshop, Docker and Teams caches often take tens of gigabytes.
   - macOS: *Apple menu > System Settings > General > Storage*
   - Windows: *Settings > System > Storage > Temporary files*
   - Ubuntu: \`docker system prune\` and *Disk Usage Analyzer*

Still above 90%? Reply to your ticket: we can move your files to OneDrive or add a larger disk.`,
  },
  {
    title: 'Websites say "server not found" (DNS)',
    tags: ['dns', 'wifi', 'network'],
    findingCodes: ['network.dns_failing', 'network.server_unreachable'],
    status: 'published',
    body: `If Wi-Fi is connected but no website opens, your computer cannot look up names (DNS).

1. Turn Wi-Fi **off and on** again.
2. Disconnect from the VPN and try once more.
3. On Windows, open a terminal and run \`ipconfig /flushdns\`.

If the health check still shows **DNS failing**, file a ticket from the tray: the snapshot tells us which
DNS servers your computer uses.`,
  },
  {
    title: 'Restart your computer to finish updates',
    tags: ['restart', 'updates'],
    findingCodes: ['reboot.pending', 'uptime.long'],
    status: 'published',
    body: `Security updates only take effect after a restart, and a computer that has run for weeks gets slow.

- Save your work and choose **Restart** (not *Shut down* on Windows: fast startup keeps the old session).
- Restarts take about five minutes when updates are waiting.

IT restarts computers that have not restarted for 30 days during the Sunday maintenance window.`,
  },
  {
    title: 'When your battery does not last the day',
    tags: ['battery', 'laptop'],
    findingCodes: ['battery.worn'],
    status: 'published',
    body: `Batteries lose capacity with every charge cycle. Below 70% of the design capacity we replace them.

- Check *Check my computer* in the tray: it shows your battery's health.
- Below 70%? File a ticket with category **Hardware**: a replacement takes two working days.`,
  },
  {
    title: 'Connect to the VPN from a hotel or train',
    tags: ['vpn', 'network', 'travel'],
    findingCodes: [],
    status: 'published',
    body: `Public Wi-Fi often blocks the VPN's fast mode.

1. Open **Cisco Secure Client** and pick the profile **Contoso-TCP**.
2. Accept the hotel's terms in the browser *before* connecting the VPN.
3. Still dropping? Tether to your phone and file a ticket.`,
  },
];

/** The announcement every tray shows: live from the seed on, without an end. */
export const DEMO_ANNOUNCEMENT: CreateAnnouncementRequest = {
  title: 'Mail delays this morning',
  body: 'Incoming mail from outside the company is delayed by up to 30 minutes while our provider fixes a routing problem. Nothing is lost; no need to file a ticket.',
  severity: 'warning',
  status: 'published',
  expiresAt: null,
};
