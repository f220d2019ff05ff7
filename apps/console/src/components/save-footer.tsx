import { Button, Group } from '@mantine/core';

import { ErrorAlert } from './page';

/**
 * The end of a create-or-edit dialog: a failure the fields do not show (a refusal of the whole
 * request, an outage) as an alert, then Cancel and the submit button.
 */
export function SaveFooter({
  save,
  fieldErrorsShown,
  editing,
  onCancel,
}: {
  save: { isError: boolean; error: unknown; isPending: boolean };
  /** The failure is already shown beside the fields it names. */
  fieldErrorsShown: boolean;
  /** Editing an existing item (Save) rather than creating one (Create). */
  editing: boolean;
  onCancel: () => void;
}) {
  return (
    <>
      {save.isError && !fieldErrorsShown ? <ErrorAlert error={save.error} title="Not saved" /> : null}
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" loading={save.isPending}>
          {editing ? 'Save' : 'Create'}
        </Button>
      </Group>
    </>
  );
}
