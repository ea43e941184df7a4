import type { ActionDefinition } from '../../shared/actions/catalog';
import { MESSAGE_BODY_MAX } from '../../shared/ticket-fields';

/*
 * The message a command's result posts on its ticket (Markdown): the action's title, how it ended, exit
 * code, duration and the raw output in a code block, cut so the whole message stays within what a
 * ticket message may hold (the full capped output stays on the command).
 */

export interface ResultForMessage {
  ok: boolean;
  exitCode: number | null;
  durationMs: number;
  output: string;
  error: string | null;
}

/** Room kept for everything in the message but the output. */
const FRAME_ROOM = 1_500;

/** A fence longer than any backtick run in the text, so the output cannot close its code block. */
function fenceFor(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The ticket message for a command's result. */
export function commandResultMessage(
  action: Pick<ActionDefinition, 'title'>,
  requestedBy: string | null,
  result: ResultForMessage,
): string {
  const lines = [
    `**${action.title}** ${result.ok ? 'succeeded' : 'failed'}` + (requestedBy ? ` (requested by ${requestedBy})` : ''),
    '',
    `- Exit code: ${result.exitCode === null ? 'none' : result.exitCode}`,
    `- Duration: ${duration(result.durationMs)}`,
  ];
  if (result.error) lines.push(`- Error: ${result.error.replace(/\s+/g, ' ').slice(0, 500)}`);
  const room = MESSAGE_BODY_MAX - FRAME_ROOM;
  let output = result.output;
  let cut = false;
  if (output.length > room) {
    output = output.slice(0, room);
    cut = true;
  }
  if (output.length > 0) {
    const fence = fenceFor(output);
    lines.push('', fence, output.replace(/\n$/, ''), fence);
    if (cut) lines.push('', `_Output cut to ${room} characters; the full output is kept with the command._`);
  } else {
    lines.push('', '_No output._');
  }
  return lines.join('\n');
}

/**
 * The message for a command that ended without a result: its consent prompt had no answer before it
 * expired (nobody allowed or denied it; nothing ran), or it ran and the device never reported (failed).
 */
export function commandEndedMessage(
  action: Pick<ActionDefinition, 'title'>,
  requestedBy: string | null,
  status: 'expired' | 'failed',
  reason: string,
): string {
  const by = requestedBy ? ` (requested by ${requestedBy})` : '';
  const said = reason.replace(/\s+/g, ' ').slice(0, 500);
  return status === 'expired'
    ? `**${action.title}** was not run${by}: ${lowerFirst(said)}. Nobody allowed or denied it.`
    : `**${action.title}** failed${by}: ${lowerFirst(said)}. It may or may not have finished on the device.`;
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
