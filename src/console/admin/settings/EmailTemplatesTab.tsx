import { useEffect, useState, type ReactElement } from 'react';
import '../../mail/mail.css';
import type { MailPreviewDto, MailTemplateDto } from '../../../shared/api/mail';
import type { MailKind } from '../../../shared/mail/mail-kinds';
import type { ApiError } from '../../api/http';
import { previewMailTemplate, useMailTemplateMutations, useMailTemplates } from '../../api/mail.queries';
import { asApiError } from '../../api/query-client';
import { ConfirmButton, ErrorAlert } from '../common/ui';

/** Settings → Email templates: one template per notification, edited as Markdown with a live preview. */
export function EmailTemplatesTab(): ReactElement {
  const templates = useMailTemplates();
  const [kind, setKind] = useState<MailKind>('employee.reply');
  const current = templates.data?.find((t) => t.kind === kind);
  return (
    <div className="stack">
      <ErrorAlert error={templates.error} />
      <div className="mail-templates">
        <nav className="card admin-flush mail-template-list" aria-label="Templates">
          {(templates.data ?? []).map((t) => (
            <button
              key={t.kind}
              type="button"
              className={t.kind === kind ? 'mail-template-item active' : 'mail-template-item'}
              aria-current={t.kind === kind ? 'true' : undefined}
              onClick={() => setKind(t.kind)}
            >
              <span>{t.label}</span>
              <span className="muted small">
                {t.kind.startsWith('employee.') ? 'To the employee' : 'To technicians'}
                {t.customized ? ' · edited' : ''}
              </span>
            </button>
          ))}
        </nav>
        {current ? <TemplateEditor key={current.kind} template={current} /> : null}
      </div>
    </div>
  );
}

/**
 * The HTML part for the sandboxed preview frame: the console's stylesheet stands in for the mail's inline
 * styles, which the console's Content-Security-Policy (inherited by the frame) does not apply. The frame
 * may load that stylesheet (same origin) but never runs a script (no allow-scripts).
 */
function previewDocument(html: string): string {
  const sheet = `<link rel="stylesheet" href="${window.location.origin}/app.css">`;
  return html
    .replace(/\sstyle="[^"]*"/g, '')
    .replace('<html>', `<html><head>${sheet}</head>`)
    .replace('<body>', '<body class="markdown mail-preview-body">');
}

function TemplateEditor({ template }: { template: MailTemplateDto }): ReactElement {
  const { save, reset } = useMailTemplateMutations();
  const [subject, setSubject] = useState(template.subject);
  const [body, setBody] = useState(template.body);
  const [preview, setPreview] = useState<MailPreviewDto | null>(null);
  const [previewError, setPreviewError] = useState<ApiError | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const dirty = subject !== template.subject || body !== template.body;
  // Saved or reset: the editor shows what the server now has.
  useEffect(() => {
    setSubject(template.subject);
    setBody(template.body);
  }, [template.subject, template.body]);

  // The preview follows the text, a moment after typing stops; an unknown placeholder shows its error there.
  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      previewMailTemplate(template.kind, { subject, body }, controller.signal).then(
        (p) => {
          setPreview(p);
          setPreviewError(null);
        },
        (err: unknown) => {
          if ((err as Error).name !== 'AbortError') setPreviewError(asApiError(err));
        },
      );
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [template.kind, subject, body]);

  const submit = async () => {
    setError(null);
    try {
      await save.mutateAsync({ kind: template.kind, body: { subject, body } });
      setNotice('Template saved.');
    } catch (err) {
      setError(asApiError(err));
    }
  };

  return (
    <div className="stack">
      <div className="admin-editor">
        <form
          className="card stack mail-card"
          aria-label="Template"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <div className="mail-card-head">
            <h2>{template.label}</h2>
            {template.customized ? (
              <span className="badge badge-info">Edited</span>
            ) : (
              <span className="badge">Default</span>
            )}
          </div>
          <ErrorAlert error={error} />
          {notice && !dirty ? (
            <div className="alert alert-info" role="status">
              {notice}
            </div>
          ) : null}
          <label className="field">
            <span>Subject</span>
            <input
              className="input"
              value={subject}
              onChange={(e) => setSubject(e.target.value)}
              required
              maxLength={300}
            />
          </label>
          <label className="field">
            <span>Body (Markdown)</span>
            <textarea
              className="input admin-markdown-input"
              rows={12}
              value={body}
              onChange={(e) => setBody(e.target.value)}
              required
            />
          </label>
          <div className="toolbar">
            <button type="submit" className="btn btn-primary" disabled={!dirty || save.isPending}>
              Save template
            </button>
            {template.customized ? (
              <ConfirmButton
                label="Reset to default"
                question="Replace this template with Deskside's default?"
                onConfirm={() =>
                  reset.mutateAsync(template.kind).then(() => setNotice('Template reset to the default.'))
                }
              />
            ) : null}
            {dirty ? <span className="badge badge-warning">Unsaved changes</span> : null}
          </div>
          <details className="mail-placeholders" open>
            <summary>Placeholders this template can use</summary>
            <dl>
              {template.placeholders.map((p) => (
                <div key={p.name}>
                  <dt>
                    <code>{`{{${p.name}}}`}</code>
                  </dt>
                  <dd className="muted">{p.description}</dd>
                </div>
              ))}
            </dl>
          </details>
        </form>
        <section className="card stack mail-card" aria-label="Preview">
          <h2>Preview</h2>
          <ErrorAlert error={previewError} />
          {preview ? (
            <>
              <div className="mail-preview-subject">
                <span className="muted small">Subject</span> {preview.subject}
              </div>
              <iframe
                className="mail-preview-html"
                title="HTML part"
                sandbox="allow-same-origin"
                srcDoc={previewDocument(preview.html)}
              />
              <div className="field">
                <span>Plain-text part</span>
                <pre className="admin-pre mail-preview-text">{preview.text}</pre>
              </div>
            </>
          ) : null}
        </section>
      </div>
    </div>
  );
}
