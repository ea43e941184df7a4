import type { ReactElement } from 'react';
import type { AgentAnnouncementDto } from '../../shared/api/articles';
import { plainExcerpt } from '../../shared/text/markdown-text';
import { SEVERITY_TONE } from '../lib/labels';
import { Icon } from './Icon';
import { Markdown } from './Markdown';
import { Time } from './Time';

/** One announcement from IT, coloured by severity. */
export function AnnouncementCard({
  announcement,
  compact = false,
}: {
  announcement: AgentAnnouncementDto;
  compact?: boolean;
}): ReactElement {
  const tone = SEVERITY_TONE[announcement.severity];
  // On Home the cards sit under the "Announcements" h2; on their own screen, directly under the h1.
  const Heading = compact ? 'h3' : 'h2';
  return (
    <article
      className={`announcement announcement-${tone}${compact ? ' announcement-compact' : ''}`}
      aria-label={`${announcement.severity}: ${announcement.title}`}
    >
      <span className="announcement-icon">
        <Icon name={announcement.severity === 'info' ? 'info' : announcement.severity} />
      </span>
      <div className="announcement-body">
        <div className="announcement-head">
          <Heading className="announcement-title">{announcement.title}</Heading>
          <span className="muted small">
            <Time iso={announcement.startsAt} />
          </span>
        </div>
        {/* Home shows a one-line plain excerpt: a glance, and no Markdown parsing on the first screen. */}
        {compact ? (
          <p className="announcement-excerpt">{plainExcerpt(announcement.body, 160)}</p>
        ) : (
          <Markdown text={announcement.body} />
        )}
      </div>
    </article>
  );
}

/** Announcements still current at `now` (the agent hides expired ones itself, even offline). */
export function currentAnnouncements(list: AgentAnnouncementDto[], now = Date.now()): AgentAnnouncementDto[] {
  const rank = { critical: 0, warning: 1, info: 2 } as const;
  return list
    .filter((a) => Date.parse(a.startsAt) <= now && (a.expiresAt === null || Date.parse(a.expiresAt) > now))
    .sort((a, b) => rank[a.severity] - rank[b.severity] || Date.parse(b.startsAt) - Date.parse(a.startsAt));
}
