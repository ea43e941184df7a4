import { createHmac } from 'node:crypto';
import type { WebhookEventOrTest, WebhookFormat } from '../../shared/integrations';

/*
 * What a webhook receiver gets. Every delivery stores the generic envelope; Slack and Teams bodies are
 * rendered from it when it is sent, so a redelivery after a format change uses the new format.
 *
 * - Generic: the envelope as JSON, signed Stripe-style: `X-Deskside-Signature: t=<unix>,v1=<hex
 *   HMAC-SHA256 of "<t>.<body>" with the webhook's secret>` (README "Webhooks" shows how to verify).
 * - Slack incoming webhook: `{ text, blocks }`, per https://api.slack.com/messaging/webhooks and Block Kit
 *   (https://api.slack.com/reference/block-kit/blocks); `text` is the notification's fallback, mrkdwn
 *   escaped as https://api.slack.com/reference/surfaces/formatting#escaping says (&, <, >).
 * - Microsoft Teams incoming webhook (and Teams Workflows' "post to a channel when a webhook request is
 *   received"): a message with one Adaptive Card attachment, per
 *   https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using#send-adaptive-cards-using-an-incoming-webhook
 *   (Adaptive Card 1.4: TextBlock, FactSet, Action.OpenUrl). MessageCard is the retired connectors' format.
 */

/** The generic body: the same for every format's source. */
export interface WebhookEnvelope {
  /** The event's id: the same across retries and redeliveries, so a receiver can drop duplicates. */
  id: string;
  type: WebhookEventOrTest;
  occurredAt: string;
  /** One line a person reads: "P1 ticket from lt-jdoe-0042: VPN down". */
  summary: string;
  /** Where it is in the console (the ticket, the device), when there is such a place. */
  url: string | null;
  data: Record<string, unknown>;
}

export interface RenderedBody {
  body: string;
  headers: Record<string, string>;
}

/** `t=<unix>,v1=<hex>` for a body sent at `timestamp` (Unix seconds). */
export function signatureHeader(secret: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

const slackEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Facts worth a line in a chat card (ticket events: priority, status, device, requester). */
function factsOf(envelope: WebhookEnvelope): { title: string; value: string }[] {
  const ticket = envelope.data.ticket as Record<string, unknown> | undefined;
  const facts: { title: string; value: string }[] = [];
  if (ticket) {
    facts.push({ title: 'Priority', value: String(ticket.priority).toUpperCase() });
    facts.push({ title: 'Status', value: String(ticket.status) });
    const device = ticket.device as { hostname?: string } | null;
    if (device?.hostname) facts.push({ title: 'Device', value: device.hostname });
    if (ticket.requester) facts.push({ title: 'Requester', value: String(ticket.requester) });
  }
  const excerpt = envelope.data.excerpt;
  if (typeof excerpt === 'string' && excerpt) facts.push({ title: 'Message', value: excerpt });
  return facts;
}

function slackBody(envelope: WebhookEnvelope): unknown {
  const title = envelope.url ? `<${envelope.url}|${slackEscape(envelope.summary)}>` : slackEscape(envelope.summary);
  const facts = factsOf(envelope);
  return {
    text: envelope.url ? `${envelope.summary} ${envelope.url}` : envelope.summary,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${title}*` } },
      ...(facts.length > 0
        ? [
            {
              type: 'section',
              fields: facts.map((f) => ({ type: 'mrkdwn', text: `*${f.title}*\n${slackEscape(f.value)}` })),
            },
          ]
        : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Deskside · \`${envelope.type}\`` }] },
    ],
  };
}

function teamsBody(envelope: WebhookEnvelope): unknown {
  const facts = factsOf(envelope);
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: envelope.summary, weight: 'Bolder', size: 'Medium', wrap: true },
            ...(facts.length > 0 ? [{ type: 'FactSet', facts }] : []),
            { type: 'TextBlock', text: `Deskside · ${envelope.type}`, isSubtle: true, size: 'Small', wrap: true },
          ],
          ...(envelope.url
            ? { actions: [{ type: 'Action.OpenUrl', title: 'Open in Deskside', url: envelope.url }] }
            : {}),
        },
      },
    ],
  };
}

/** The body and headers of one attempt; the signature is over the exact bytes sent, at `now`. */
export function renderDelivery(
  format: WebhookFormat,
  envelope: WebhookEnvelope,
  delivery: { id: number; secret: string; now: number },
): RenderedBody {
  const body = JSON.stringify(
    format === 'slack' ? slackBody(envelope) : format === 'teams' ? teamsBody(envelope) : envelope,
  );
  const timestamp = Math.floor(delivery.now / 1000);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Deskside-Webhooks/1',
      'x-deskside-event': envelope.type,
      'x-deskside-delivery': String(delivery.id),
      // Signed whatever the format: Slack and Teams ignore it, a relay in between can check it.
      'x-deskside-signature': signatureHeader(delivery.secret, timestamp, body),
    },
  };
}
