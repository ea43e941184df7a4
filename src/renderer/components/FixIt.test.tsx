// @vitest-environment jsdom
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { CheckResult, FixItResult } from '../../shared/ipc/contract';
import { article, baseHandlers, createFakeBridge, IpcError } from '../../../test/fakes/deskside-bridge.fake';
import { renderWindow, setupWindowTests } from '../test-support';

setupWindowTests();

const CHECK: CheckResult = {
  checkedAt: '2026-03-12T09:30:00.000Z',
  status: 'critical',
  findings: [
    {
      code: 'disk.almost_full',
      severity: 'critical',
      title: 'Your disk is almost full',
      evidence: '/ is 96% full (3.2 GB free of 80 GB)',
      articleTags: ['disk-space'],
      articleIds: [],
    },
    {
      code: 'uptime.long',
      severity: 'warning',
      title: 'Restart your computer',
      evidence: 'Up for 41 days',
      articleTags: ['restart'],
      articleIds: [],
    },
  ],
  probeProblems: [],
};

const result = (over: Partial<FixItResult> = {}): FixItResult => ({
  runId: '6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b',
  action: 'disk.clear-temp',
  title: 'Clear temporary files',
  ok: true,
  summary: 'Freed 1.2 GB (3,412 files).',
  exitCode: null,
  durationMs: 2300,
  fields: { bytesFreed: 1_288_490_188, filesDeleted: 3412 },
  output: '/tmp: 3412 file(s), 1288490188 bytes freed, 0 skipped\n',
  outputTruncated: false,
  error: null,
  recorded: 'sent',
  ...over,
});

describe('Fix it on a finding', () => {
  it('asks first in the catalog’s words, runs only on “Run it”, shows progress, then the result', async () => {
    const user = userEvent.setup();
    let finish: (value: FixItResult) => void = () => {};
    const fake = createFakeBridge({
      ...baseHandlers(),
      'health:check': async () => CHECK,
      'articles:list': async () => ({ articles: [], syncedAt: null }),
      'fixit:run': () => new Promise((resolve) => (finish = resolve)),
    });
    renderWindow(fake, { screen: 'check' });
    const [disk, uptime] = await screen.findAllByTestId('finding');
    // Only findings the self-service table binds carry a button.
    expect(within(uptime!).queryByRole('button', { name: /Fix it/ })).toBeNull();

    await user.click(within(disk!).getByRole('button', { name: 'Fix it: Clear temporary files' }));
    const dialog = within(disk!).getByRole('dialog', { name: 'Run “Clear temporary files” on this computer?' });
    expect(dialog.textContent).toContain(
      "Deletes temporary files older than the given age from the user's and the system's temp folders, and reports the bytes freed.",
    );
    expect(dialog.textContent).toContain('It changes something on this computer.');
    expect(within(dialog).getByLabelText('Settings IT chose').textContent).toBe('Older than (days)7');
    expect(fake.argsOf('fixit:run')).toEqual([]);

    await user.click(within(dialog).getByRole('button', { name: 'Run it' }));
    expect(fake.argsOf('fixit:run')).toEqual([
      { action: 'disk.clear-temp', source: { kind: 'finding', code: 'disk.almost_full' } },
    ]);
    expect(within(disk!).getByRole('status').textContent).toContain('Clear temporary files… this can take a moment.');
    fake.emit('fixit:output', { action: 'disk.clear-temp', chunk: '/tmp: 3412 file(s)\n' });
    expect((await within(disk!).findByLabelText('Progress')).textContent).toBe('/tmp: 3412 file(s)\n');

    finish(result());
    const done = await within(disk!).findByRole('region', { name: 'Result of Clear temporary files' });
    expect(done.textContent).toContain('Clear temporary files: done');
    expect(done.textContent).toContain('Freed 1.2 GB (3,412 files).');
    expect(done.textContent).toContain('Recorded at the help desk.');
    expect(await screen.findByText('Clear temporary files: Freed 1.2 GB (3,412 files).')).toBeTruthy();
    await user.click(within(done).getByRole('button', { name: 'Close' }));
    expect(within(disk!).getByRole('button', { name: 'Fix it: Clear temporary files' })).toBeTruthy();
  });

  it('Cancel runs nothing; a failed run and a refusal from main are said plainly', async () => {
    const user = userEvent.setup();
    const fake = createFakeBridge({
      ...baseHandlers(),
      'health:check': async () => CHECK,
      'articles:list': async () => ({ articles: [], syncedAt: null }),
      'fixit:run': async () =>
        result({
          ok: false,
          summary: 'It did not work.',
          error: { code: 'timeout', message: 'disk.clear-temp did not finish within 300000 ms and was ended' },
          recorded: 'queued',
        }),
    });
    renderWindow(fake, { screen: 'check' });
    const [disk] = await screen.findAllByTestId('finding');
    const open = () => user.click(within(disk!).getByRole('button', { name: 'Fix it: Clear temporary files' }));
    await open();
    await user.click(within(disk!).getByRole('button', { name: 'Cancel' }));
    expect(within(disk!).queryByRole('dialog')).toBeNull();
    expect(fake.argsOf('fixit:run')).toEqual([]);

    await open();
    await user.click(within(disk!).getByRole('button', { name: 'Run it' }));
    const failed = await within(disk!).findByRole('region', { name: 'Result of Clear temporary files' });
    expect(failed.textContent).toContain('Clear temporary files did not work');
    expect(failed.textContent).toContain('did not finish within 300000 ms');
    expect(failed.textContent).toContain('it goes to the help desk when it can be reached');

    fake.set({
      'fixit:run': async () => {
        throw new IpcError('not-found', 'That problem was not found by the last check. Run the check again.');
      },
    });
    await user.click(within(failed).getByRole('button', { name: 'Close' }));
    await open();
    await user.click(within(disk!).getByRole('button', { name: 'Run it' }));
    expect((await within(disk!).findByRole('alert')).textContent).toContain(
      'That problem was not found by the last check.',
    );
  });
});

describe('Fix it in an article', () => {
  it('turns the article’s Fix-it link into a button bound to that article; other links stay links', async () => {
    const user = userEvent.setup();
    const fake = createFakeBridge({
      ...baseHandlers(),
      'articles:get': async ({ articleId }) =>
        article(articleId, {
          title: 'Nothing prints',
          body: [
            'Jobs stuck? [Restart the print spooler](deskside-fix:printing.restart-spooler).',
            '',
            'Old link: [End it](deskside-fix:process.end). More in [the guide](https://intranet.example.com/print).',
          ].join('\n'),
        }),
      'articles:helped': async () => ({}),
      'fixit:run': async () =>
        result({
          action: 'printing.restart-spooler',
          title: 'Restart the print spooler',
          summary: 'The print service restarted.',
        }),
    });
    renderWindow(fake, { screen: 'article', articleId: 7 });
    const button = await screen.findByRole('button', { name: 'Restart the print spooler' });
    // A link to an action employees may not run is words only.
    expect(screen.queryByRole('button', { name: 'End it' })).toBeNull();
    expect(screen.getByText('End it').className).toBe('fix-it-link');
    expect(screen.getByRole('link', { name: 'the guide' })).toBeTruthy();

    await user.click(button);
    const dialog = screen.getByRole('dialog', { name: 'Run “Restart the print spooler” on this computer?' });
    expect(within(dialog).getByLabelText('Settings IT chose').textContent).toBe('Clear stuck print jobsyes');
    await user.click(within(dialog).getByRole('button', { name: 'Run it' }));
    expect(fake.argsOf('fixit:run')).toEqual([
      { action: 'printing.restart-spooler', source: { kind: 'article', articleId: 7 } },
    ]);
    expect((await screen.findByRole('region', { name: 'Result of Restart the print spooler' })).textContent).toContain(
      'The print service restarted.',
    );
  });
});
