import { ContractError } from '@mailkeep/contracts';

import type { MailboxGraph } from '../protocol/mailbox-graph.js';
import { ITEM_NOT_FOUND } from '../protocol/parse-graph-error.js';

/** A mail folder to consider for archiving. */
export interface GraphFolder {
  readonly id: string;
  /** Display names from the top, `/` between levels: the archived messages' `folder`. */
  readonly path: string;
  /** One of the well-known folders an archive skips by default (Deleted Items, Junk, Drafts, Outbox). */
  readonly defaultExcluded: boolean;
}

/** Well-known names of the folders `excludeDefaults` skips (Graph's names, language-independent). */
export const DEFAULT_EXCLUDED_WELL_KNOWN = ['deleteditems', 'junkemail', 'drafts', 'outbox'] as const;

/**
 * Folders per page: Graph's default is 10; 100 keeps a mailbox with hundreds of folders to a few
 * requests while a page stays a few kilobytes.
 */
const FOLDER_PAGE_SIZE = 100;

interface FolderItem {
  readonly '@odata.type'?: string;
  readonly id: string;
  readonly displayName: string;
  readonly childFolderCount?: number;
  readonly isHidden?: boolean;
}

interface Page<T> {
  readonly value: T[];
  readonly '@odata.nextLink'?: string;
}

/**
 * Every folder of the mailbox, depth first from the top (`mailFolders` lists the top level only;
 * `childFolders` the rest). Hidden folders (Exchange's configuration folders; Graph lists them
 * only with `includeHiddenFolders=true`, which is not asked for) and search folders (views over
 * other folders: their messages are archived where they live) are skipped with their subtrees.
 */
export async function listFolders(graph: MailboxGraph): Promise<GraphFolder[]> {
  const excludedIds = await defaultExcludedIds(graph);
  const folders: GraphFolder[] = [];
  const visit = async (url: string, parentPath: string | undefined): Promise<void> => {
    for (const item of await allPages<FolderItem>(
      graph,
      `list folders under ${parentPath ?? 'the top'}`,
      url,
    )) {
      if (item.isHidden === true || item['@odata.type'] === '#microsoft.graph.mailSearchFolder') continue;
      const path = parentPath === undefined ? item.displayName : `${parentPath}/${item.displayName}`;
      folders.push({ id: item.id, path, defaultExcluded: excludedIds.has(item.id) });
      if ((item.childFolderCount ?? 1) > 0) {
        await visit(`${graph.userPath}/mailFolders/${encodeURIComponent(item.id)}/childFolders`, path);
      }
    }
  };
  await visit(`${graph.userPath}/mailFolders`, undefined);
  return folders;
}

async function allPages<T>(graph: MailboxGraph, what: string, url: string): Promise<T[]> {
  const items: T[] = [];
  let next: string | undefined =
    `${url}?$top=${FOLDER_PAGE_SIZE}&$select=id,displayName,childFolderCount,isHidden`;
  while (next !== undefined) {
    const link: string = next;
    const page = await graph.call(what, (client) => client.api(link).get() as Promise<Page<T>>);
    items.push(...page.value);
    next = page['@odata.nextLink'];
  }
  return items;
}

/** The ids behind the well-known names; a mailbox without one of them (404) simply has none. */
async function defaultExcludedIds(graph: MailboxGraph): Promise<Set<string>> {
  const ids = await Promise.all(
    DEFAULT_EXCLUDED_WELL_KNOWN.map((name) =>
      graph
        .call(
          `find ${name}`,
          (client) =>
            client.api(`${graph.userPath}/mailFolders/${name}`).select('id').get() as Promise<{ id: string }>,
        )
        .then(
          (folder) => folder.id,
          (error: unknown) => {
            if (error instanceof ContractError && error.reason === ITEM_NOT_FOUND) return undefined;
            throw error;
          },
        ),
    ),
  );
  return new Set(ids.filter((id): id is string => id !== undefined));
}
