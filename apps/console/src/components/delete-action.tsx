import { ActionIcon, Tooltip, VisuallyHidden } from '@mantine/core';
import { useId } from 'react';

import { IconTrash } from './icons';

/**
 * The Delete button of a list row. While the object is in use it stays focusable but does nothing,
 * and says why (in its tooltip and, for screen readers, in its description): the API would refuse
 * the delete anyway, and the user learns what to remove first instead of meeting an error.
 */
export function DeleteAction({
  name,
  usedBy = [],
  usedByKind,
  onDelete,
}: {
  /** The object's name, for the tooltip of an enabled button. */
  name: string;
  /** Names of what uses the object; empty when nothing does. */
  usedBy?: readonly string[];
  /** What `usedBy` names are, singular (`schedule`); left out when they are of several kinds. */
  usedByKind?: string;
  onDelete: () => void;
}) {
  const reasonId = useId();
  const inUse = usedBy.length > 0;
  const several = usedBy.length > 1;
  const users = usedBy.map((user) => `“${user}”`).join(', ');
  const reason = !inUse
    ? `Delete ${name}`
    : usedByKind
      ? `Cannot be deleted: used by the ${usedByKind}${several ? 's' : ''} ${users}. Delete ${several ? 'them' : 'it'} first.`
      : `Cannot be deleted: used by ${users}.`;
  return (
    <Tooltip label={reason} multiline maw={320} withArrow>
      <ActionIcon
        variant="subtle"
        color="red"
        aria-label="Delete"
        aria-describedby={reasonId}
        aria-disabled={inUse || undefined}
        data-disabled={inUse || undefined}
        onClick={(event) => {
          if (inUse) event.preventDefault();
          else onDelete();
        }}
      >
        <IconTrash />
        <VisuallyHidden id={reasonId}>{reason}</VisuallyHidden>
      </ActionIcon>
    </Tooltip>
  );
}
