/** The raw output an action keeps: capped in UTF-8 bytes, streamed chunk by chunk, with a note when cut. */
export interface OutputSink {
  write(text: string): void;
  /** The text kept, with the truncation note at the end when some was dropped. */
  text(): string;
  truncated(): boolean;
}

/** A sink of at most `capBytes` bytes; `onChunk` sees exactly what is kept (and the note, once). */
export function createOutputSink(capBytes: number, onChunk: (chunk: string) => void = () => {}): OutputSink {
  const parts: string[] = [];
  let used = 0;
  let dropped = 0;
  return {
    write(text) {
      if (text.length === 0) return;
      const size = Buffer.byteLength(text, 'utf8');
      if (dropped === 0 && used + size <= capBytes) {
        parts.push(text);
        used += size;
        onChunk(text);
        return;
      }
      const room = dropped === 0 ? capBytes - used : 0;
      const head = room > 0 ? headBytes(text, room) : '';
      if (head) {
        parts.push(head);
        used += Buffer.byteLength(head, 'utf8');
        onChunk(head);
      }
      const first = dropped === 0;
      dropped += size - Buffer.byteLength(head, 'utf8');
      if (first) onChunk(`\n${note(capBytes)}\n`);
    },
    text() {
      const body = parts.join('');
      return dropped === 0 ? body : `${body}\n${note(capBytes)} (${dropped} bytes dropped)\n`;
    },
    truncated: () => dropped > 0,
  };
}

function note(capBytes: number): string {
  return `[output truncated: the action keeps at most ${capBytes} bytes]`;
}

/** The longest prefix of `text` that fits in `bytes` UTF-8 bytes, never splitting a character. */
function headBytes(text: string, bytes: number): string {
  let used = 0;
  let end = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (used + size > bytes) break;
    used += size;
    end += char.length;
  }
  return text.slice(0, end);
}
