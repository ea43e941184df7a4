// @vitest-environment jsdom
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState, type ReactElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../api/http';
import { renderWithData } from '../../test-render';
import { EditableList, FormAlerts, useEntryForm, type EntryFormProps } from './EditableList';
import { Notice } from './ui';

/*
 * EditableList as a new settings tab uses it: entries from a query, a form built with useEntryForm, and
 * mutations that invalidate the query. The "server" is an in-memory list behind real TanStack Query, so
 * what the list shows after a save or a delete is what the invalidation read again.
 */

afterEach(cleanup);

interface Thing {
  id: string;
  name: string;
}

function setup(initial: Thing[], options: { refuseDelete?: boolean; confirm?: boolean; editable?: boolean } = {}) {
  const store = { things: [...initial], deleted: [] as string[], saved: [] as Thing[] };

  function ThingForm({ item, onSaved, onCancel }: EntryFormProps<Thing>): ReactElement {
    const client = useQueryClient();
    const save = useMutation({
      mutationFn: async (t: Thing) => {
        store.saved.push(t);
        store.things = [...store.things.filter((x) => x.id !== t.id), t];
      },
      onSuccess: () => client.invalidateQueries({ queryKey: ['things'] }),
    });
    const { draft, set, problem, error, submit } = useEntryForm<Thing>({
      initial: item ?? { id: '', name: '' },
      reset: item ? undefined : { id: '', name: '' },
      problemOf: (d) => (d.name.trim() ? null : 'Name: enter a name'),
      save: (d) => save.mutateAsync({ id: d.id, name: d.name.trim() }),
      savedMessage: (d) => `“${d.name.trim()}” saved.`,
      onSaved,
    });
    const label = item ? `Edit ${item.name}` : 'Add a thing';
    return (
      <form aria-label={label} noValidate onSubmit={(e) => void submit(e)}>
        <FormAlerts error={error} problem={problem} />
        <input aria-label={`${label} id`} value={draft.id} onChange={(e) => set({ id: e.target.value })} />
        <input aria-label={`${label} name`} value={draft.name} onChange={(e) => set({ name: e.target.value })} />
        <button type="submit">Save</button>
        {onCancel ? (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </form>
    );
  }

  function ThingsTab(): ReactElement {
    const client = useQueryClient();
    const things = useQuery({ queryKey: ['things'], queryFn: async () => [...store.things] });
    const remove = useMutation({
      mutationFn: async (id: string) => {
        if (options.refuseDelete) throw new ApiError(409, 'in_use', 'The thing is still in use');
        store.deleted.push(id);
        store.things = store.things.filter((t) => t.id !== id);
      },
      onSuccess: () => client.invalidateQueries({ queryKey: ['things'] }),
    });
    const [notice, setNotice] = useState<string | null>(null);
    return (
      <>
        <Notice message={notice} />
        <EditableList<Thing>
          items={things.data}
          keyOf={(t) => `${t.id}-${t.name}`}
          nameOf={(t) => t.name}
          summary={(t) => <code>{t.id}</code>}
          form={(props) => <ThingForm {...props} />}
          editable={options.editable}
          remove={{
            question: options.confirm === false ? undefined : (t) => `Delete “${t.name}”?`,
            run: (t) => remove.mutateAsync(t.id),
            message: (t) => `“${t.name}” deleted.`,
          }}
          onChanged={setNotice}
          empty="No things yet."
          listLabel="Things"
        />
      </>
    );
  }

  renderWithData(<ThingsTab />);
  return { store, user: userEvent.setup() };
}

describe('EditableList', () => {
  it('adds an entry only once the form’s own check passes, announces it and lists what the query reads again', async () => {
    const { store, user } = setup([]);
    expect(await screen.findByText('No things yet.')).toBeTruthy();
    const form = screen.getByRole('form', { name: 'Add a thing' });
    await user.type(within(form).getByLabelText('Add a thing id'), 'printer');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect(within(form).getByRole('alert').textContent).toBe('Name: enter a name');
    expect(store.saved).toEqual([]);

    await user.type(within(form).getByLabelText('Add a thing name'), ' Printer ');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('listitem', { name: 'Printer' })).toBeTruthy();
    expect(store.saved).toEqual([{ id: 'printer', name: 'Printer' }]);
    expect(screen.getByRole('status').textContent).toBe('“Printer” saved.');
    expect(screen.queryByText('No things yet.')).toBeNull();
    // The add form is blank again for the next entry.
    expect(within(form).getByLabelText<HTMLInputElement>('Add a thing id').value).toBe('');
  });

  it('swaps a row for its form on Edit, back on Cancel, and closes it after a save', async () => {
    const { store, user } = setup([{ id: 'a', name: 'Alpha' }]);
    const row = await screen.findByRole('listitem', { name: 'Alpha' });
    await user.click(within(row).getByRole('button', { name: 'Edit' }));
    const edit = screen.getByRole('form', { name: 'Edit Alpha' });
    expect(within(edit).getByLabelText<HTMLInputElement>('Edit Alpha name').value).toBe('Alpha');
    await user.click(within(edit).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('form', { name: 'Edit Alpha' })).toBeNull();

    await user.click(within(screen.getByRole('listitem', { name: 'Alpha' })).getByRole('button', { name: 'Edit' }));
    const again = screen.getByRole('form', { name: 'Edit Alpha' });
    await user.clear(within(again).getByLabelText('Edit Alpha name'));
    await user.type(within(again).getByLabelText('Edit Alpha name'), 'Alpha two');
    await user.click(within(again).getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('listitem', { name: 'Alpha two' })).toBeTruthy();
    expect(screen.queryByRole('form', { name: /^Edit/ })).toBeNull();
    expect(store.saved).toEqual([{ id: 'a', name: 'Alpha two' }]);
    expect(screen.getByRole('status').textContent).toBe('“Alpha two” saved.');
  });

  it('deletes only after the in-place confirmation', async () => {
    const { store, user } = setup([
      { id: 'a', name: 'Alpha' },
      { id: 'b', name: 'Beta' },
    ]);
    const row = await screen.findByRole('listitem', { name: 'Alpha' });
    await user.click(within(row).getByRole('button', { name: 'Delete' }));
    await user.click(within(row).getByRole('button', { name: 'Cancel' }));
    expect(store.deleted).toEqual([]);
    await user.click(within(row).getByRole('button', { name: 'Delete' }));
    await user.click(within(row).getByRole('button', { name: 'Yes, delete' }));
    await waitFor(() => expect(screen.queryByRole('listitem', { name: 'Alpha' })).toBeNull());
    expect(store.deleted).toEqual(['a']);
    expect(screen.getByRole('listitem', { name: 'Beta' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('“Alpha” deleted.');
  });

  it('shows a refused delete in the row it concerns, and keeps the entry', async () => {
    const { user } = setup(
      [
        { id: 'a', name: 'Alpha' },
        { id: 'b', name: 'Beta' },
      ],
      { refuseDelete: true },
    );
    const row = await screen.findByRole('listitem', { name: 'Beta' });
    await user.click(within(row).getByRole('button', { name: 'Delete' }));
    await user.click(within(row).getByRole('button', { name: 'Yes, delete' }));
    expect((await within(row).findByRole('alert')).textContent).toBe('The thing is still in use (in_use)');
    expect(within(screen.getByRole('listitem', { name: 'Alpha' })).queryByRole('alert')).toBeNull();
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('without a question deletes on the first click; not editable means no Edit button', async () => {
    const { store, user } = setup([{ id: 'a', name: 'Alpha' }], { confirm: false, editable: false });
    const row = await screen.findByRole('listitem', { name: 'Alpha' });
    expect(within(row).queryByRole('button', { name: 'Edit' })).toBeNull();
    await user.click(within(row).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(store.deleted).toEqual(['a']));
    expect(await screen.findByText('No things yet.')).toBeTruthy();
  });
});
