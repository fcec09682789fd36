// CLI progress: plain lines (every 10%) when the stream is not a terminal.
import { describe, expect, it } from 'vitest';
import { progress } from '../src/cli/progress.js';

describe('progress', () => {
  it('writes one plain line per 10% and one at the end when not a TTY', () => {
    const lines: string[] = [];
    const stream = { isTTY: false, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
    const tick = progress('phase', stream);
    for (let i = 0; i <= 37; i++) tick(i, 37, i === 37 ? 'last' : undefined);
    expect(lines.length).toBe(11);
    expect(lines[0]).toBe('phase: 0/37 (0%)\n');
    expect(lines[lines.length - 1]).toBe('phase: 37/37 (100%) last\n');
    expect(lines.every((l) => /^phase: \d+\/37 \(\d+%\)( last)?\n$/.test(l))).toBe(true);
  });
});
