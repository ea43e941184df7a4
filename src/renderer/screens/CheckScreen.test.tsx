// @vitest-environment jsdom
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../shared/ipc/contract';
import { article, baseHandlers, createFakeBridge, IpcError } from '../../../test/fakes/deskside-bridge.fake';
import { renderWindow, setupWindowTests } from '../test-support';

setupWindowTests();

const RESULT: CheckResult = {
  checkedAt: '2026-03-12T09:30:00.000Z',
  status: 'critical',
  findings: [
    {
      code: 'uptime.long',
      severity: 'warning',
      title: 'Restart your computer',
      evidence: 'Up for 41 days',
      articleTags: ['restart'],
      articleIds: [],
    },
    {
      code: 'disk.almost_full',
      severity: 'critical',
      title: 'Your disk is almost full',
      evidence: '/ is 96% full (3.2 GB free of 80 GB)',
      articleTags: ['disk-space'],
      articleIds: [4],
    },
  ],
  probeProblems: [{ section: 'printers', status: 'timeout', message: null }],
};

describe('Check my computer', () => {
  it('lists findings most severe first, each with its evidence and the article that fixes it', async () => {
    const user = userEvent.setup();
    const fake = createFakeBridge({
      ...baseHandlers(),
      'health:check': async () => RESULT,
      'articles:list': async () => ({ articles: [article(4, { title: 'Free up disk space' })], syncedAt: null }),
      'articles:get': async ({ articleId }) => article(articleId, { body: 'Empty the **Trash**.' }),
      'articles:helped': async () => ({}),
    });
    renderWindow(fake, { screen: 'check' });

    const findings = await screen.findAllByTestId('finding');
    expect(findings.map((f) => within(f).getByRole('heading').textContent)).toEqual([
      'Your disk is almost full',
      'Restart your computer',
    ]);
    expect(within(findings[0]!).getByText('Needs attention now')).toBeTruthy();
    expect(within(findings[0]!).getByText('/ is 96% full (3.2 GB free of 80 GB)')).toBeTruthy();
    expect(within(findings[1]!).getByText(/No self-help article for this yet/)).toBeTruthy();
    expect(screen.getByText('Printers').parentElement?.textContent).toContain('took too long');
    expect(await screen.findByText('Check finished: 2 things found.')).toBeTruthy();

    await user.click(within(findings[0]!).getByRole('button', { name: 'Free up disk space' }));
    expect(await within(findings[0]!).findByText('Trash')).toBeTruthy();
    await user.click(within(findings[0]!).getByRole('button', { name: 'This helped' }));
    expect(fake.argsOf('articles:helped')).toEqual([{ articleId: 4 }]);
    expect(await within(findings[0]!).findByText(/Thanks for telling us/)).toBeTruthy();
  });

  it('says when the check could not run, and runs it again on request', async () => {
    const user = userEvent.setup();
    let fail = true;
    const fake = createFakeBridge({
      ...baseHandlers(),
      'health:check': async () => {
        if (fail) throw new IpcError('busy', 'A check is already running.');
        return { ...RESULT, status: 'healthy', findings: [], probeProblems: [] };
      },
      'articles:list': async () => ({ articles: [], syncedAt: null }),
    });
    renderWindow(fake, { screen: 'check' });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('A check is already running.');
    fail = false;
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('All good')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Check again' })).toHaveProperty('disabled', false);
    expect(fake.argsOf('health:check')).toHaveLength(2);
  });
});
