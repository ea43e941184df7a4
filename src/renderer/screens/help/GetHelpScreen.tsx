import { useState, type FormEvent, type ReactElement } from 'react';
import type { OutboxItem, Screenshot } from '../../../shared/ipc/contract';
import type { Impact, Urgency } from '../../../shared/priority';
import type { SectionName } from '../../../shared/snapshot';
import { useAnnounce } from '../../components/Announcer';
import { Page } from '../../components/Page';
import { useIpcMutation, useIpcQuery } from '../../lib/ipc-query';
import type { TicketCategory } from '../../lib/shared-types';
import { CATEGORY_LABELS, TICKET_CATEGORIES } from '../../lib/constants';
import { ArticleSuggestions } from './ArticleSuggestions';
import { ChoiceGroup } from './ChoiceGroup';
import { ScreenshotField } from './ScreenshotField';
import { SnapshotPreview } from './SnapshotPreview';
import { SubmitConfirmation } from './SubmitConfirmation';
import { useSnapshotPreview } from './use-snapshot-preview';
import { TICKET_SUBJECT_MAX } from '../../../shared/ticket-fields';

const URGENCY_CHOICES: { value: Urgency; label: string; hint: string }[] = [
  { value: 'low', label: 'Can wait', hint: 'A nuisance, I can work' },
  { value: 'medium', label: 'Soon', hint: 'It slows my work down' },
  { value: 'high', label: 'Urgent', hint: 'I cannot work' },
];

const IMPACT_CHOICES: { value: Impact; label: string; hint: string }[] = [
  { value: 'low', label: 'Just me', hint: '' },
  { value: 'medium', label: 'My team', hint: '' },
  { value: 'high', label: 'Everyone', hint: '' },
];

type Errors = { subject?: string; category?: string; form?: string };

function validate(subject: string, category: string): Errors {
  const errors: Errors = {};
  if (subject.trim().length === 0) errors.subject = 'Tell us in a few words what is wrong.';
  else if (subject.trim().length > TICKET_SUBJECT_MAX)
    errors.subject = `Keep the subject under ${TICKET_SUBJECT_MAX} characters; put the rest in the description.`;
  if (!category) errors.category = 'Choose what it is about.';
  return errors;
}

/** "Get help": a short ticket form with suggestions, the snapshot preview and an optional screenshot. */
export function GetHelpScreen(): ReactElement {
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [category, setCategory] = useState('');
  const [urgency, setUrgency] = useState<Urgency>('medium');
  const [impact, setImpact] = useState<Impact>('low');
  const [excluded, setExcluded] = useState<ReadonlySet<SectionName>>(new Set());
  const [includeSnapshot, setIncludeSnapshot] = useState(true);
  const [screenshot, setScreenshot] = useState<Screenshot | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [sending, setSending] = useState(false);
  const [done, setDone] = useState<OutboxItem | null>(null);
  const [formKey, setFormKey] = useState(0);
  const preview = useSnapshotPreview();
  const settings = useIpcQuery('settings:get', {});
  const submitTicket = useIpcMutation('ticket:submit');
  const announce = useAnnounce();

  function toggleSection(section: SectionName, include: boolean): void {
    setExcluded((current) => {
      const next = new Set(current);
      if (include) next.delete(section);
      else next.add(section);
      return next;
    });
  }

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    const found = validate(subject, category);
    setErrors(found);
    if (found.subject || found.category) {
      document.getElementById(found.subject ? 'help-subject' : 'help-category')?.focus();
      return;
    }
    setSending(true);
    const response = await submitTicket({
      subject: subject.trim(),
      description,
      category: category as TicketCategory,
      urgency,
      impact,
      excludeSections: [...excluded],
      includeSnapshot,
      screenshotId: screenshot?.screenshotId ?? null,
    });
    setSending(false);
    if (!response.ok) {
      setErrors({ form: response.error.message });
      announce(`Not sent: ${response.error.message}`);
      return;
    }
    setDone(response.value);
    announce(
      response.value.state === 'sent'
        ? 'Your request was sent to the help desk.'
        : 'Your request was saved and will be sent when the help desk is reachable.',
    );
  }

  function startOver(): void {
    setSubject('');
    setDescription('');
    setCategory('');
    setUrgency('medium');
    setImpact('low');
    setExcluded(new Set());
    setIncludeSnapshot(true);
    setScreenshot(null);
    setErrors({});
    setDone(null);
    setFormKey((k) => k + 1);
    preview.recollect();
  }

  if (done) {
    return (
      <Page title="Get help">
        <SubmitConfirmation item={done} onAnother={startOver} />
      </Page>
    );
  }

  const allowScreenshots = settings.value?.effective.privacy.allowScreenshots ?? false;
  return (
    <Page
      title="Get help"
      subtitle="Tell us what is wrong. Your computer's details go along, so you won't be asked what it can tell us."
    >
      <form
        key={formKey}
        className="form"
        noValidate
        onSubmit={(e) => void submit(e)}
        aria-describedby={errors.form ? 'form-error' : undefined}
      >
        <div className="field">
          <label htmlFor="help-subject">What is wrong?</label>
          <input
            id="help-subject"
            type="text"
            value={subject}
            maxLength={TICKET_SUBJECT_MAX}
            placeholder="e.g. The printer on floor 2 does not print"
            aria-invalid={errors.subject ? true : undefined}
            aria-describedby={errors.subject ? 'help-subject-error' : undefined}
            onChange={(e) => setSubject(e.target.value)}
          />
          {errors.subject && (
            <p id="help-subject-error" className="field-error">
              {errors.subject}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor="help-description">
            Details <span className="muted">(optional)</span>
          </label>
          <textarea
            id="help-description"
            rows={4}
            value={description}
            placeholder="What were you doing? What did you expect, and what happened instead?"
            onChange={(e) => setDescription(e.target.value)}
          />
        </div>
        <ArticleSuggestions text={`${subject} ${description}`} />
        <div className="field">
          <label htmlFor="help-category">What is it about?</label>
          <select
            id="help-category"
            value={category}
            aria-invalid={errors.category ? true : undefined}
            aria-describedby={errors.category ? 'help-category-error' : undefined}
            onChange={(e) => setCategory(e.target.value)}
          >
            <option value="">Choose…</option>
            {TICKET_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {CATEGORY_LABELS[c]}
              </option>
            ))}
          </select>
          {errors.category && (
            <p id="help-category-error" className="field-error">
              {errors.category}
            </p>
          )}
        </div>
        <div className="grid-2">
          <ChoiceGroup
            name="urgency"
            legend="How urgent is it?"
            choices={URGENCY_CHOICES}
            value={urgency}
            onChange={setUrgency}
          />
          <ChoiceGroup
            name="impact"
            legend="Who is affected?"
            choices={IMPACT_CHOICES}
            value={impact}
            onChange={setImpact}
          />
        </div>
        {allowScreenshots && <ScreenshotField value={screenshot} onChange={setScreenshot} />}
        <SnapshotPreview
          state={preview.state}
          excluded={excluded}
          onToggle={toggleSection}
          includeSnapshot={includeSnapshot}
          onIncludeSnapshot={setIncludeSnapshot}
          onRecollect={preview.recollect}
        />
        {errors.form && (
          <p id="form-error" className="field-error" role="alert">
            {errors.form}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={sending}>
            {sending ? 'Sending…' : 'Send to the help desk'}
          </button>
          {preview.state.status === 'collecting' && includeSnapshot && (
            <span className="muted small">Details are still being collected; Send waits for them.</span>
          )}
        </div>
      </form>
    </Page>
  );
}
