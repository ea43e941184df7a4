import type { ReactElement } from 'react';
import { AdminPage } from '../common/ui';
import { AlertRulesTab } from './AlertRulesTab';
import { AllowListTab } from './AllowListTab';
import { CategoriesTab } from './CategoriesTab';
import { EnrollmentTab } from './EnrollmentTab';
import { EscalationTab } from './EscalationTab';
import { GroupsTab } from './GroupsTab';
import { NetworkSettingsTab } from '../../network/NetworkSettingsTab';
import { ScriptsTab } from './ScriptsTab';
import { SlaTab } from './SlaTab';
import { StaffTab } from './StaffTab';
import { EmailTab } from './EmailTab';
import { MailboxTab } from './MailboxTab';
import { EmailTemplatesTab } from './EmailTemplatesTab';
import { WebhooksTab } from './WebhooksTab';
import { ServiceTokensTab } from './ServiceTokensTab';

/** The settings tabs, in the order they are shown; the path segment names each. */
export const SETTINGS_TABS = [
  { id: 'staff', label: 'Staff', Component: StaffTab },
  { id: 'groups', label: 'Groups & tiers', Component: GroupsTab },
  { id: 'sla', label: 'SLA policies', Component: SlaTab },
  { id: 'escalation', label: 'Escalation rules', Component: EscalationTab },
  { id: 'categories', label: 'Categories', Component: CategoriesTab },
  { id: 'enrollment', label: 'Enrollment', Component: EnrollmentTab },
  { id: 'allow-lists', label: 'Allow-lists', Component: AllowListTab },
  { id: 'scripts', label: 'IT scripts', Component: ScriptsTab },
  { id: 'network', label: 'Network', Component: NetworkSettingsTab },
  { id: 'alert-rules', label: 'Alert rules', Component: AlertRulesTab },
  { id: 'email', label: 'Email', Component: EmailTab },
  { id: 'mailbox', label: 'Mailbox', Component: MailboxTab },
  { id: 'email-templates', label: 'Email templates', Component: EmailTemplatesTab },
  { id: 'webhooks', label: 'Webhooks', Component: WebhooksTab },
  { id: 'api-tokens', label: 'API tokens', Component: ServiceTokensTab },
] as const;

/** Settings: staff, groups, SLA, escalation, categories, enrollment secrets, IT's allow-lists and scripts, one tab each. */
export function SettingsPage({ params }: { params: Record<string, string> }): ReactElement {
  const current = SETTINGS_TABS.find((t) => t.id === params.tab) ?? SETTINGS_TABS[0];
  const Tab = current.Component;
  return (
    <AdminPage title="Settings">
      <nav className="admin-tabs" aria-label="Settings sections">
        {SETTINGS_TABS.map((t) => (
          <a
            key={t.id}
            href={`/admin/settings/${t.id}`}
            className={t.id === current.id ? 'admin-tab active' : 'admin-tab'}
            aria-current={t.id === current.id ? 'page' : undefined}
          >
            {t.label}
          </a>
        ))}
      </nav>
      <section aria-label={current.label}>
        <Tab />
      </section>
    </AdminPage>
  );
}
