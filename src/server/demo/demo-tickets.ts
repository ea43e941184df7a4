import type { TICKET_CATEGORIES } from '../../shared/api/tickets';
import type { Impact, Urgency } from '../../shared/priority';

type TicketCategory = (typeof TICKET_CATEGORIES)[number];

/*
 * The demo queue: about thirty tickets over every status and priority, with SLA clocks that stand
 * at ok, warning, breached or met when the seed runs. The seed backdates each one so its SLA comes
 * out that way (demo-sla.ts) and plays its conversation through the server's services.
 */

export type DemoSla = 'ok' | 'warning' | 'breached' | 'met';
export type DemoStatus = 'new' | 'open' | 'pending' | 'resolved' | 'closed';
export type DemoStaffKey = 'priya' | 'tom' | 'sam';

/** One demo ticket: what the employee filed, where it stands, and what was said. */
export interface DemoTicket {
  device: string;
  subject: string;
  description: string;
  category: TicketCategory;
  urgency: Urgency;
  impact: Impact;
  status: DemoStatus;
  sla: DemoSla;
  assignee?: DemoStaffKey;
  group?: string;
  /** The technician's first answer (every ticket but new ones). */
  reply?: string;
  /** The employee's answer to it. */
  answer?: string;
  /** An internal note, visible to staff only. */
  note?: string;
  /** The technician's last message, with which a resolved or closed ticket was resolved. */
  resolution?: string;
  /** The employee's rating of a closed ticket. */
  rating?: { satisfaction: number; comment: string | null };
}

const TIER1 = 'Service desk';
const TIER2 = 'Workplace engineering';

/** The support groups the demo staff belong to. */
export const DEMO_GROUPS = [
  { name: TIER1, tier: 1, description: 'First line: phone, tray tickets, walk-ups' },
  { name: TIER2, tier: 2, description: 'Second line: laptops, images, network and identity' },
] as const;

/** Staff members besides the administrator; their passwords are random (sign in as the admin). */
export const DEMO_STAFF: Record<
  DemoStaffKey,
  { name: string; email: string; role: 'technician' | 'admin'; group: string }
> = {
  priya: { name: 'Priya Raman', email: 'priya.raman@demo.deskside.test', role: 'technician', group: TIER1 },
  tom: { name: 'Tom Becker', email: 'tom.becker@demo.deskside.test', role: 'technician', group: TIER2 },
  sam: { name: 'Sam Ortiz', email: 'sam.ortiz@demo.deskside.test', role: 'admin', group: TIER2 },
};

export const DEMO_TICKETS: readonly DemoTicket[] = [
  // ---- new: nobody has answered yet
  {
    device: 'lt-pberger',
    subject: 'No internet since this morning, websites say "server not found"',
    description: 'Teams says it is offline and Outlook is disconnected. Wi-Fi shows connected.',
    category: 'network',
    urgency: 'high',
    impact: 'high',
    status: 'new',
    sla: 'warning',
    note: 'Snapshot: DNS lookups fail, gateway answers. Same as the sales floor switch last month?',
  },
  {
    device: 'dt-reception',
    subject: 'Visitor badge printer prints blank labels',
    description: 'Guests are arriving for the board meeting at 10 and we cannot print badges.',
    category: 'printing',
    urgency: 'high',
    impact: 'high',
    status: 'new',
    sla: 'breached',
  },
  {
    device: 'lt-jdoe',
    subject: 'Cannot save files: "not enough disk space"',
    description: 'VS Code and Firefox both complain that the disk is full. I deleted my downloads already.',
    category: 'hardware',
    urgency: 'high',
    impact: 'medium',
    status: 'new',
    sla: 'ok',
  },
  {
    device: 'lt-mschmidt',
    subject: 'Excel keeps asking me to restart for an update',
    description: 'Every hour a banner says updates are pending. I have the month-end close today.',
    category: 'software',
    urgency: 'medium',
    impact: 'high',
    status: 'new',
    sla: 'warning',
  },
  {
    device: 'mb-lnguyen',
    subject: 'Figma fonts missing after the macOS update',
    description: 'The company fonts show as Helvetica in every file since I updated to 15.3.',
    category: 'software',
    urgency: 'medium',
    impact: 'medium',
    status: 'new',
    sla: 'ok',
  },
  {
    device: 'lt-akovacs',
    subject: 'Request: access to the staging Kubernetes cluster',
    description: 'I joined the platform team; my manager approved it in the onboarding form.',
    category: 'account',
    urgency: 'low',
    impact: 'high',
    status: 'new',
    sla: 'breached',
  },
  {
    device: 'lt-aokafor',
    subject: 'Battery empty after two hours',
    description: 'The laptop used to last a whole day. Now I need the charger in every customer meeting.',
    category: 'hardware',
    urgency: 'medium',
    impact: 'low',
    status: 'new',
    sla: 'ok',
  },
  {
    device: 'mb-tsato',
    subject: 'Second monitor flickers when docked',
    description: 'The Dell monitor on the dock flickers every few seconds; the built-in screen is fine.',
    category: 'hardware',
    urgency: 'low',
    impact: 'low',
    status: 'new',
    sla: 'ok',
  },
  // ---- open: a technician is on it
  {
    device: 'ws-build',
    subject: 'Nightly builds failing: build machine unreachable at night',
    description: 'The CI agent on ws-build-07 drops off around 02:00 and the nightly release build fails.',
    category: 'other',
    urgency: 'high',
    impact: 'high',
    status: 'open',
    sla: 'ok',
    assignee: 'tom',
    group: TIER2,
    reply:
      'I see the machine has been up for 41 days and the print service has failed. I will schedule a restart tonight and watch it.',
    note: 'Uptime 41 days, cups.service failed. Kernel update pending too; restart in the 22:00 window.',
  },
  {
    device: 'lt-pberger',
    subject: 'VPN drops every 10 minutes from the hotel',
    description: 'AnyConnect disconnects and reconnects constantly; I am at a customer site all week.',
    category: 'network',
    urgency: 'high',
    impact: 'medium',
    status: 'open',
    sla: 'breached',
    assignee: 'priya',
    group: TIER1,
    reply: 'Sorry for the wait. Could you try the "Contoso-TCP" profile in AnyConnect? Hotel Wi-Fi often blocks UDP.',
    answer: 'Tried it, it still drops, but less often.',
  },
  {
    device: 'lt-mschmidt',
    subject: 'Shared mailbox "invoices" not showing in Outlook',
    description: 'Since Monday the invoices mailbox is gone from my folder list.',
    category: 'email',
    urgency: 'medium',
    impact: 'high',
    status: 'open',
    sla: 'ok',
    assignee: 'priya',
    group: TIER1,
    reply: 'Your permission is still there. Please close Outlook; I am re-adding the mailbox from the server side.',
  },
  {
    device: 'mb-tsato',
    subject: 'Mac says the startup disk is almost full',
    description: 'I get the warning every time I open Photoshop. Which files can I delete?',
    category: 'hardware',
    urgency: 'medium',
    impact: 'medium',
    status: 'open',
    sla: 'warning',
    assignee: 'tom',
    group: TIER2,
    reply:
      'Your disk is 92% full. The article "Free up disk space" walks through it; the Photoshop cache alone is often 40 GB.',
    answer: 'Found 38 GB of cache, deleting it now.',
    note: 'Firewall is also off on this Mac; turn it back on while we are at it.',
  },
  {
    device: 'lt-akovacs',
    subject: 'Docker Desktop licence prompt',
    description: 'Docker Desktop says our subscription has expired and I cannot start containers.',
    category: 'software',
    urgency: 'high',
    impact: 'low',
    status: 'open',
    sla: 'ok',
    assignee: 'tom',
    group: TIER2,
    reply: 'The licence renewal went through yesterday. Sign out of Docker Desktop and back in with your work account.',
  },
  {
    device: 'dt-reception',
    subject: 'Phone directory on the reception PC is out of date',
    description: 'New starters from this month are missing from the directory app.',
    category: 'software',
    urgency: 'low',
    impact: 'medium',
    status: 'open',
    sla: 'ok',
    assignee: 'priya',
    group: TIER1,
    reply: 'The directory syncs from HR weekly. I have started a manual sync; it should be complete within the hour.',
  },
  {
    device: 'lt-jdoe',
    subject: 'Request: second 27" monitor for home office',
    description: 'My manager approved a second monitor for working from home.',
    category: 'hardware',
    urgency: 'low',
    impact: 'low',
    status: 'open',
    sla: 'breached',
    assignee: 'sam',
    group: TIER2,
    reply: 'Approved and ordered; the supplier says two weeks. I will let you know when it ships.',
  },
  {
    device: 'mb-lnguyen',
    subject: 'Cannot join Zoom calls: camera not found',
    description: 'Zoom says no camera detected. The camera works in Photo Booth.',
    category: 'software',
    urgency: 'high',
    impact: 'high',
    status: 'open',
    sla: 'warning',
    assignee: 'priya',
    group: TIER1,
    reply: 'Please open System Settings > Privacy & Security > Camera and allow zoom.us, then restart Zoom.',
  },
  // ---- pending: waiting for the employee
  {
    device: 'lt-aokafor',
    subject: 'Outlook crashes when opening attachments',
    description: 'Every PDF attachment crashes Outlook. Other files open fine.',
    category: 'email',
    urgency: 'high',
    impact: 'high',
    status: 'pending',
    sla: 'ok',
    assignee: 'priya',
    group: TIER1,
    reply: 'Could you tell me which PDF reader opens when you double-click a PDF on the desktop?',
  },
  {
    device: 'lt-mschmidt',
    subject: 'SAP GUI login error after password change',
    description: 'SAP says "password logon no longer possible" since I changed my password.',
    category: 'account',
    urgency: 'medium',
    impact: 'high',
    status: 'pending',
    sla: 'breached',
    assignee: 'tom',
    group: TIER2,
    reply:
      'I have reset your SAP password to the initial one. Could you try to sign in and tell me whether it asks for a new one?',
    note: 'SSO mapping was missing for her new account; fixed in the identity portal.',
  },
  {
    device: 'ws-build',
    subject: 'Need more disk on the build machine',
    description: 'Docker images fill the disk every few weeks.',
    category: 'hardware',
    urgency: 'medium',
    impact: 'medium',
    status: 'pending',
    sla: 'ok',
    assignee: 'tom',
    group: TIER2,
    reply: 'We can add a 2 TB SSD. Which cost centre should we charge it to?',
  },
  {
    device: 'mb-tsato',
    subject: 'Adobe Creative Cloud asks to sign in every day',
    description: 'Creative Cloud logs me out every morning.',
    category: 'software',
    urgency: 'low',
    impact: 'medium',
    status: 'pending',
    sla: 'ok',
    assignee: 'priya',
    group: TIER1,
    reply: 'Does this happen after the Mac was asleep overnight, or only after a restart?',
  },
  {
    device: 'lt-pberger',
    subject: 'Teams shows me as "away" while presenting',
    description: 'My status goes to away during screen sharing.',
    category: 'software',
    urgency: 'low',
    impact: 'low',
    status: 'pending',
    sla: 'ok',
    assignee: 'priya',
    group: TIER1,
    reply: 'Is this in the Teams desktop app or in the browser?',
  },
  // ---- resolved: fixed, waiting to close
  {
    device: 'lt-jdoe',
    subject: 'Laptop will not connect to the office Wi-Fi',
    description: 'It keeps asking for the password and then fails.',
    category: 'network',
    urgency: 'high',
    impact: 'high',
    status: 'resolved',
    sla: 'met',
    assignee: 'priya',
    group: TIER1,
    reply: 'Your Wi-Fi certificate had expired. I have pushed a new one; please toggle Wi-Fi off and on.',
    answer: 'Connected, thanks!',
    resolution: 'Great, I am marking this resolved. Reply here if it drops again.',
  },
  {
    device: 'mb-lnguyen',
    subject: 'Printer on floor 2 prints everything twice',
    description: 'Each job comes out two times on Floor2-Canon-C5535.',
    category: 'printing',
    urgency: 'medium',
    impact: 'high',
    status: 'resolved',
    sla: 'met',
    assignee: 'tom',
    group: TIER2,
    reply: 'There were two queues for the same printer on your Mac. I removed the duplicate.',
    resolution: 'Resolved: one queue left. Please print a test page.',
  },
  {
    device: 'lt-akovacs',
    subject: 'Git push rejected: certificate verify failed',
    description: 'Pushing to the internal GitLab fails with an SSL error.',
    category: 'security',
    urgency: 'medium',
    impact: 'medium',
    status: 'resolved',
    sla: 'breached',
    assignee: 'tom',
    group: TIER2,
    reply: 'The internal CA was renewed; your system store was missing the new root. Installing it now.',
    note: 'Took long: the CA bundle package was held back by apt pinning.',
    resolution: 'New root CA installed; git push works again.',
  },
  {
    device: 'lt-aokafor',
    subject: 'Request: install Power BI Desktop',
    description: 'For the quarterly sales dashboards.',
    category: 'software',
    urgency: 'low',
    impact: 'low',
    status: 'resolved',
    sla: 'met',
    assignee: 'priya',
    group: TIER1,
    reply: 'Power BI Desktop is available in Company Portal; I have added you to the licence group.',
    resolution: 'Installed from Company Portal.',
  },
  {
    device: 'dt-reception',
    subject: 'Keyboard missing keys on reception PC',
    description: 'The E and R keys stick.',
    category: 'hardware',
    urgency: 'high',
    impact: 'low',
    status: 'resolved',
    sla: 'met',
    assignee: 'sam',
    group: TIER2,
    reply: 'Bringing a new keyboard down in ten minutes.',
    resolution: 'Keyboard replaced.',
  },
  // ---- closed
  {
    device: 'lt-mschmidt',
    subject: 'Month-end report macro fails: "Run-time error 1004"',
    description: 'The finance close macro stops halfway since the Office update.',
    category: 'software',
    urgency: 'high',
    impact: 'high',
    status: 'closed',
    sla: 'breached',
    assignee: 'tom',
    group: TIER2,
    reply:
      'Macros from the network share are blocked by the new Office policy. I am adding the share as a trusted location.',
    answer: 'It runs again. We missed the deadline by a day though.',
    note: 'Policy change rolled out without the finance exception. Raised with the Office team.',
    resolution: 'Trusted location added for \\\\fs01\\finance. Closing.',
    rating: { satisfaction: 3, comment: 'Fixed, but it took too long during month-end.' },
  },
  {
    device: 'mb-tsato',
    subject: 'Locked out of my account after holiday',
    description: 'My password expired while I was away.',
    category: 'account',
    urgency: 'high',
    impact: 'medium',
    status: 'closed',
    sla: 'met',
    assignee: 'priya',
    group: TIER1,
    reply: 'I have sent a temporary password to your phone; you will be asked to change it.',
    resolution: 'Account unlocked.',
    rating: { satisfaction: 5, comment: 'Super quick, thank you!' },
  },
  {
    device: 'lt-pberger',
    subject: 'Mouse pointer jumps around',
    description: 'The cursor jumps when I type.',
    category: 'hardware',
    urgency: 'medium',
    impact: 'medium',
    status: 'closed',
    sla: 'met',
    assignee: 'priya',
    group: TIER1,
    reply: 'That is usually the touchpad picking up your palm. I turned on palm rejection remotely.',
    resolution: 'Palm rejection on; closing.',
    rating: { satisfaction: 4, comment: null },
  },
  {
    device: 'ws-build',
    subject: 'Request: install JDK 21 on the build machine',
    description: 'The new services need Java 21.',
    category: 'software',
    urgency: 'low',
    impact: 'medium',
    status: 'closed',
    sla: 'met',
    assignee: 'tom',
    group: TIER2,
    reply: 'Installed openjdk-21-jdk alongside 17; the default stays 17.',
    resolution: 'JDK 21 available as /usr/lib/jvm/java-21-openjdk-amd64.',
  },
];
