// Generated from the api’s /api/v1/openapi.json by apps/console/scripts/api-types.ts.
// Do not edit: run `npm run console:api-types` after changing the API.

export interface paths {
  '/api/v1/health/live': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Liveness: the process answers */
    get: operations['HealthController_live'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/health/ready': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Readiness: NATS, the database and storage are reachable */
    get: operations['HealthController_ready'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/session': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The calling API key: its id, role and tenant */
    get: operations['SessionController_session'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List tenants (operators only) */
    get: operations['TenantsController_list'];
    put?: never;
    /** Create a tenant (operators only) */
    post: operations['TenantsController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read a tenant (operators; admins and auditors read their own) */
    get: operations['TenantsController_get'];
    put?: never;
    post?: never;
    /**
     * Delete a tenant (operators only)
     * @description The tenant and its API keys stop working. Archived mail is never deleted.
     */
    delete: operations['TenantsController_delete'];
    options?: never;
    head?: never;
    /** Rename a tenant (operators only) */
    patch: operations['TenantsController_update'];
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/api-keys': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List the tenant's keys (never the keys themselves) */
    get: operations['TenantApiKeysController_list'];
    put?: never;
    /** Create an admin or auditor key for the tenant; the key is shown once */
    post: operations['TenantApiKeysController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/api-keys/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Revoke a key of the tenant */
    delete: operations['TenantApiKeysController_revoke'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/api-keys': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List operator keys */
    get: operations['OperatorApiKeysController_list'];
    put?: never;
    /** Create another operator key (for rotation); the key is shown once */
    post: operations['OperatorApiKeysController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/api-keys/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Revoke an operator key (not the one making the request) */
    delete: operations['OperatorApiKeysController_revoke'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/audit-log': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The tenant's audit log, newest first */
    get: operations['AuditController_tenantLog'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/audit-log/verify': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Recompute the tenant's hash chain and name the first broken entry */
    get: operations['AuditController_verifyTenant'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/audit-log': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The platform audit log (tenant-less actions, failed authentication), newest first */
    get: operations['AuditController_platformLog'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/audit-log/verify': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Recompute the platform hash chain */
    get: operations['AuditController_verifyPlatform'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/mailboxes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List mailboxes
     * @description `search` matches when an address (primary or secondary) or the display name includes it, or the id equals it; case-insensitive, % and _ literal.
     */
    get: operations['MailboxesController_list'];
    put?: never;
    /** Create a mailbox */
    post: operations['MailboxesController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/mailboxes:import': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Import mailboxes from CSV
     * @description A `text/csv` body with a header row and the columns primaryAddress,displayName,secondaryAddresses (`;` between secondary addresses). Idempotent by primary address: existing mailboxes are updated or left unchanged. Rows that fail are reported, the others are kept.
     */
    post: operations['MailboxesController_import'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/mailboxes/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read a mailbox */
    get: operations['MailboxesController_get'];
    put?: never;
    post?: never;
    /**
     * Delete a mailbox
     * @description 409 while an archiving profile uses it; 503 when that cannot be checked. Archived mail stays.
     */
    delete: operations['MailboxesController_delete'];
    options?: never;
    head?: never;
    /** Change a mailbox (a synced one: only its secondary addresses) */
    patch: operations['MailboxesController_update'];
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/directory-services': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List directory services */
    get: operations['DirectoryServicesController_list'];
    put?: never;
    /** Create a directory service */
    post: operations['DirectoryServicesController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/directory-services/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read a directory service */
    get: operations['DirectoryServicesController_get'];
    put?: never;
    post?: never;
    /**
     * Delete a directory service
     * @description 409 while an archiving profile or a schedule uses it; 503 when that cannot be checked. Its mailboxes stay, unassigned.
     */
    delete: operations['DirectoryServicesController_delete'];
    options?: never;
    head?: never;
    /** Change a directory service: name, description, settings (its type cannot change) */
    patch: operations['DirectoryServicesController_update'];
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/directory-services/{id}/sync': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Sync a directory service, or test a sync with dryRun
     * @description Creates and updates the mailboxes of the source, and with disableMissing disables those gone from it; never deletes. Entries that cannot apply are listed in `errors`. A static service reports its members as unchanged. The counts of a committed sync become `lastSync`. A source that rejects the credentials or the settings is 422 with its message; one that cannot be reached is 503.
     */
    post: operations['DirectoryServicesController_sync'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/directory-services/{id}/test-connection': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Test a directory service's source with its saved settings
     * @description Token, one page of users, the group: each a step. A failure is `success: false` with a category.
     */
    post: operations['DirectoryServicesController_testConnection'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/secrets': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List secrets by name, with search (P1) */
    get: operations['SecretsController_list'];
    put?: never;
    /**
     * Create a secret (S1)
     * @description Sensitive values are write-only: no response ever contains them (S2).
     */
    post: operations['SecretsController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/secrets/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read a secret (metadata only, with usedBy) */
    get: operations['SecretsController_get'];
    put?: never;
    post?: never;
    /** Delete a secret nobody uses (S5) */
    delete: operations['SecretsController_delete'];
    options?: never;
    head?: never;
    /**
     * Rename a secret or overwrite its values
     * @description Values are validated as on create; the type cannot change (422).
     */
    patch: operations['SecretsController_update'];
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/secrets/{id}/certificate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Download the public certificate of a certificate secret (S3) */
    get: operations['SecretsController_certificate'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/archiving-profiles': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List archiving profiles; search matches a name part or the whole id (P1) */
    get: operations['ArchivingProfilesController_list'];
    put?: never;
    /**
     * Create an archiving profile
     * @description Properties depend on type and mode (SPEC §3.1); an unused one is a field error. The type cannot be changed later.
     */
    post: operations['ArchivingProfilesController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/archiving-profiles/test-connection': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Test an unsaved profile (draft)
     * @description Authenticates and lists folders; never changes the source. Multiple mode needs `mailboxId` (query).
     */
    post: operations['ArchivingProfilesController_testDraft'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/archiving-profiles/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read an archiving profile */
    get: operations['ArchivingProfilesController_get'];
    put?: never;
    post?: never;
    /**
     * Delete an archiving profile
     * @description Only while no schedule uses it (409 names them). Archived mail is never deleted.
     */
    delete: operations['ArchivingProfilesController_delete'];
    options?: never;
    head?: never;
    /**
     * Change an archiving profile
     * @description Validated like a create. The type cannot change (422). With If-Match, a stale version answers 412.
     */
    patch: operations['ArchivingProfilesController_update'];
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/archiving-profiles/{id}/test-connection': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Test a saved profile
     * @description Single mode tests the profile’s mailbox; multiple mode needs `mailboxId` of the directory service (400 without).
     */
    post: operations['ArchivingProfilesController_testSaved'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/archiving-profiles/{id}/schedules': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Create a schedule that runs this profile (P6)
     * @description The body is a schedule without `target`; the profile becomes its target. 503 while no scheduler runs.
     */
    post: operations['ArchivingProfileSchedulesController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/schedules': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List schedules; search matches a name part or the whole id */
    get: operations['SchedulesController_list'];
    put?: never;
    /** Create a schedule (SC1) */
    post: operations['SchedulesController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/schedules/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read a schedule */
    get: operations['SchedulesController_get'];
    put?: never;
    post?: never;
    /**
     * Delete a schedule
     * @description A run it started goes on.
     */
    delete: operations['SchedulesController_delete'];
    options?: never;
    head?: never;
    /**
     * Change a schedule
     * @description Validated like a create. Disabling does not stop a run in progress (SC3).
     */
    patch: operations['SchedulesController_update'];
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/schedules/{id}/next-runs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The next fire times of a schedule (SC1), enabled or not */
    get: operations['SchedulesController_nextRuns'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/schedules/{id}/run': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Run now (SC3)
     * @description Queues a manual run of the schedule’s profile; 409 names the run of that profile still active.
     */
    post: operations['SchedulesController_runNow'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/runs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List runs, newest first (SC4)
     * @description Lists show runs without tasks.
     */
    get: operations['RunsController_list'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/runs/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Read a run (SC4)
     * @description With its first 500 tasks, failed and running ones first; all of them page by page at `…/tasks`.
     */
    get: operations['RunsController_get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/runs/{id}/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Cancel a run (SC3)
     * @description Tasks not yet queued stop at once, queued and running ones at their next message; the run ends `cancelled` when every task has ended, so the run returned may still be `running`. Cancelling twice is not an error; a run that has already finished is a 409.
     */
    post: operations['RunsController_cancel'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/runs/{id}/tasks': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Page through the tasks of a run
     * @description Beyond SPEC §5: a run has one task per mailbox, up to 100,000, more than one reply can carry. Ordered by task id; `status` filters.
     */
    get: operations['RunsController_tasks'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/runs/{id}/log': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Page through the log of a run, oldest first
     * @description Beyond SPEC §5: the log of a large run does not fit one reply. Entry ids increase: they are the order of the log and the `id:` of the `log` events of `…/events`.
     */
    get: operations['RunsController_log'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/runs/{id}/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Live progress of a run, as server-sent events (SC4)
     * @description Live progress of one run as `text/event-stream` (SPEC SC4). Events, each with JSON `data`:
     *
     *     - `run`: the run as `GET …/runs/{id}` returns it (schema `RunDto`), first;
     *     - `log`: one log entry (schema `RunLogEntryDto`), the log so far oldest first, then live; its `id:` is the entry id;
     *     - `progress`: status and counters of a running run (schema `RunProgressEventDto`);
     *     - `finished`: the run ended (schema `RunFinishedEventDto`); the stream ends after it.
     *
     *     A run that has already finished gets `run`, its log and `finished` at once. A reconnecting client sends
     *     `Last-Event-ID` and gets only the log entries after it. A comment line every
     *     15 s keeps idle connections open. Close the EventSource on `finished`:
     *     EventSource reconnects by itself when a stream ends. An unknown run (or another tenant’s) is a 404
     *     problem+json before the stream opens.
     */
    get: operations['RunsController_events'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/messages': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Browse and search archived messages (A4)
     * @description Newest first by Date (archive time for a message without one). All filters given must hold.
     */
    get: operations['MessagesController_list'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/messages/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One archived message’s metadata */
    get: operations['MessagesController_get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/messages/{id}/raw': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Download the raw message
     * @description The MIME bytes exactly as archived, streamed from storage, as `message/rfc822` with Content-Length and an attachment file name made from the subject. 404 for an unknown message, or `blob_not_found` when the archive no longer holds its content (run an integrity check).
     */
    get: operations['MessagesController_raw'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/messages/{id}/attachments/{part}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Download one attachment of a message
     * @description The decoded attachment numbered `part` in the message’s `attachments`, as a download with its file name. 404 for an unknown message or part (also while the message’s text is `pending`).
     */
    get: operations['MessagesController_attachment'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/text-index': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Full text index status
     * @description How many messages wait for their text, could not be read, or have unindexed attachments; the last re-index.
     */
    get: operations['TextIndexController_status'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/text-index/reindex': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Rebuild the full text index from the archived messages
     * @description Extracts the text of every message of the tenant again from its blob (archives made before text indexing are indexed without this; use it after an extractor upgrade). Runs in the background, resumes after a restart; follow it with GET. A second request starts it over.
     */
    post: operations['TextIndexController_reindex'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/integrity-checks': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Start an integrity check
     * @description Re-hashes every blob of the tenant in the background (archiving goes on meanwhile); follow it with GET. 409 names the check still running.
     */
    post: operations['IntegrityChecksController_start'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenants/{tenantId}/integrity-checks/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** An integrity check: progress and findings */
    get: operations['IntegrityChecksController_get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    SessionDto: {
      /**
       * Format: uuid
       * @description The API key making the request.
       */
      apiKeyId: string;
      /** @enum {string} */
      role: 'operator' | 'admin' | 'auditor';
      /**
       * Format: uuid
       * @description The tenant of an admin or auditor key; null for an operator key.
       */
      tenantId: string | null;
    };
    CreateTenantDto: {
      /** @description Unique among tenants, case-insensitively; trimmed; 1–200 characters. */
      name: string;
    };
    TenantDto: {
      /** Format: uuid */
      id: string;
      name: string;
      /** Format: date-time */
      createdAt: string;
    };
    TenantPageDto: {
      items: components['schemas']['TenantDto'][];
      /** @description Pass as `cursor` for the next page; null on the last page. */
      nextCursor: string | null;
    };
    UpdateTenantDto: {
      /** @description A new name; unique among tenants, case-insensitively. */
      name?: string;
    };
    CreateTenantApiKeyDto: {
      /** @description What the key is for, e.g. "billing export". */
      name: string;
      /**
       * @description `admin` reads and writes the tenant; `auditor` only reads.
       * @enum {string}
       */
      role: 'admin' | 'auditor';
    };
    CreatedApiKeyDto: {
      /** Format: uuid */
      id: string;
      name: string;
      /** @enum {string} */
      role: 'operator' | 'admin' | 'auditor';
      /** @description The public beginning of the key, to tell keys apart. */
      prefix: string;
      /** Format: date-time */
      createdAt: string;
      /** @description The key itself. Shown in this response only: store it now. */
      key: string;
    };
    ApiKeyDto: {
      /** Format: uuid */
      id: string;
      name: string;
      /** @enum {string} */
      role: 'operator' | 'admin' | 'auditor';
      /** @description The public beginning of the key, to tell keys apart. */
      prefix: string;
      /** Format: date-time */
      createdAt: string;
    };
    ApiKeyListDto: {
      items: components['schemas']['ApiKeyDto'][];
      nextCursor: string | null;
    };
    CreateOperatorApiKeyDto: {
      name: string;
    };
    AuditActorDto: {
      /** Format: uuid */
      apiKeyId: string | null;
      /** @enum {string|null} */
      role: 'operator' | 'admin' | 'auditor' | null;
    };
    AuditEntryDto: {
      /** Format: uuid */
      id: string;
      /** @description Position in the chain, from 1. */
      seq: number;
      /** Format: date-time */
      at: string;
      actor: components['schemas']['AuditActorDto'];
      /** Format: uuid */
      tenantId: string | null;
      action: string;
      objectType: string;
      objectId: string | null;
      /** @enum {string} */
      outcome: 'success' | 'denied' | 'failed';
      /** @description The HTTP status the caller got. */
      status: number;
      requestId: string;
      hash: string;
      previousHash: string | null;
    };
    AuditPageDto: {
      items: components['schemas']['AuditEntryDto'][];
      nextCursor: string | null;
    };
    AuditVerificationDto: {
      valid: boolean;
      /** @description Entries verified before the first broken one (all of them when valid). */
      checked: number;
      /**
       * Format: uuid
       * @description The first entry whose hash, link or position does not fit.
       */
      firstBrokenEntryId?: string;
      /**
       * @description Why the chain does not verify: an entry was changed, inserted or removed (`entry-altered`); the newest entries are gone (`truncated`: the chain ends before the head anchored outside PostgreSQL); the anchor itself is gone or was not written with the audit key.
       * @enum {string}
       */
      problem?: 'entry-altered' | 'truncated' | 'anchor-missing' | 'anchor-forged';
    };
    CreateMailboxDto: {
      /**
       * @description A valid address local@domain (RFC 5321/6531: internationalised local parts and domains accepted; the domain is stored in lower-case ASCII). Unique in the tenant across primary and secondary addresses, case-insensitively.
       * @example ada@example.com
       */
      primaryAddress: string;
      /** @description Each: A valid address local@domain (RFC 5321/6531: internationalised local parts and domains accepted; the domain is stored in lower-case ASCII). Unique in the tenant across primary and secondary addresses, case-insensitively. */
      secondaryAddresses?: string[];
      displayName?: string;
      /** @default true */
      enabled?: boolean;
      /**
       * Format: uuid
       * @description Assigns the mailbox to a static directory service of the tenant (its membership).
       */
      directoryServiceId?: Record<string, never> | null;
    };
    MailboxDto: {
      /** Format: uuid */
      id: string;
      primaryAddress: string;
      secondaryAddresses: string[];
      displayName: string;
      /** Format: uuid */
      directoryServiceId: string | null;
      enabled: boolean;
      /** @enum {string} */
      origin: 'manual' | 'directory';
    };
    ImportRowErrorDto: {
      /** @description The row in the file, the header being row 1 (as a spreadsheet numbers it). */
      row: number;
      message: string;
    };
    MailboxImportResultDto: {
      created: number;
      updated: number;
      unchanged: number;
      errors: components['schemas']['ImportRowErrorDto'][];
    };
    MailboxPageDto: {
      items: components['schemas']['MailboxDto'][];
      /** @description Pass as `cursor` for the next page; null on the last page. */
      nextCursor: string | null;
    };
    UpdateMailboxDto: {
      /** @description A valid address local@domain (RFC 5321/6531: internationalised local parts and domains accepted; the domain is stored in lower-case ASCII). Unique in the tenant across primary and secondary addresses, case-insensitively. */
      primaryAddress?: string;
      /** @description Replaces the secondary addresses. */
      secondaryAddresses?: string[];
      displayName?: string;
      enabled?: boolean;
      /**
       * Format: uuid
       * @description A static directory service, or null to unassign.
       */
      directoryServiceId?: Record<string, never> | null;
    };
    StaticDirectoryServiceCreateDto: {
      /** @description Unique in the tenant, case-insensitively; trimmed. */
      name: string;
      description?: string;
      /**
       * @description A sync disables the mailboxes gone from the source (a sync request can override it).
       * @default false
       */
      disableMissing?: boolean;
      /**
       * @description Its mailboxes are those assigned to it by hand (a mailbox's `directoryServiceId`) or by CSV import.
       * @enum {string}
       */
      type: 'static';
    };
    M365DirectoryServiceCreateDto: {
      /** @description Unique in the tenant, case-insensitively; trimmed. */
      name: string;
      description?: string;
      /**
       * @description A sync disables the mailboxes gone from the source (a sync request can override it).
       * @default false
       */
      disableMissing?: boolean;
      /**
       * Format: uuid
       * @description A `certificate` or `client-secret` secret of the tenant: the app registration credential.
       */
      credentialsSecretId: string;
      /**
       * @description The app registration’s application (client) id (any Entra GUID).
       * @example 9a0c0305-e82c-4f89-11d3-3f2504e04f89
       */
      applicationId: string;
      /**
       * @description The Entra ID tenant (directory) id.
       * @example 9a0c0305-e82c-4f89-11d3-3f2504e04f89
       */
      directoryId: string;
      /**
       * @description Only users among the transitive members of this Entra group (nested groups expanded).
       * @example 9a0c0305-e82c-4f89-11d3-3f2504e04f89
       */
      groupId?: string;
      /**
       * @description Entra ID users that have a mailbox (guests and users without `mail` excluded), listed with Microsoft Graph (application permissions User.Read.All, GroupMember.Read.All for a group).
       * @enum {string}
       */
      type: 'm365';
    };
    GoogleWorkspaceDirectoryServiceCreateDto: {
      /** @description Unique in the tenant, case-insensitively; trimmed. */
      name: string;
      description?: string;
      /**
       * @description A sync disables the mailboxes gone from the source (a sync request can override it).
       * @default false
       */
      disableMissing?: boolean;
      /**
       * Format: uuid
       * @description A `google-service-account` secret of the tenant: the JSON key of a service account with domain-wide delegation.
       */
      credentialsSecretId: string;
      /**
       * Format: email
       * @description A Workspace admin the service account acts as (may read users and groups).
       * @example admin@example.com
       */
      adminSubject: string;
      /**
       * @description The customer whose users are listed: `my_customer` (the default: the admin’s own account) or its customer id. Not with `domain`.
       * @example C03az79cb
       */
      customer?: string;
      /**
       * @description Only the users of this one domain of the account. Not with `customer`.
       * @example example.com
       */
      domain?: string;
      /**
       * @description Only the members of this group (its email address or id), members of nested groups included.
       * @example archive@example.com
       */
      groupKey?: string;
      /**
       * @description Google Workspace users that have a Gmail mailbox, listed with the Admin SDK Directory API (delegated scopes admin.directory.user.readonly, and admin.directory.group.member.readonly for a group); suspended and archived users are kept disabled.
       * @enum {string}
       */
      type: 'google-workspace';
    };
    LdapDirectoryServiceCreateDto: {
      /** @description Unique in the tenant, case-insensitively; trimmed. */
      name: string;
      description?: string;
      /**
       * @description A sync disables the mailboxes gone from the source (a sync request can override it).
       * @default false
       */
      disableMissing?: boolean;
      /**
       * @description Host name or IP address of the directory server (a domain controller for Active Directory).
       * @example dc01.contoso.com
       */
      serverName: string;
      /** @description Default 389 (`ldap`, `ldap-tls`) or 636 (`ldap-ssl`). */
      port?: number;
      /**
       * @description `ldap` plain (not recommended), `ldap-tls` StartTLS on the plain port, `ldap-ssl` LDAPS.
       * @enum {string}
       */
      protocol: 'ldap' | 'ldap-tls' | 'ldap-ssl';
      /**
       * Format: uuid
       * @description A `basic` secret: the bind DN (or, for Active Directory, a user principal name) and its password.
       */
      credentialsSecretId: string;
      /**
       * @description Where the subtree search starts.
       * @example DC=contoso,DC=com
       */
      baseDn: string;
      /**
       * @description RFC 4515 filter for the users; entries without the mail attribute are always left out. Default `(|(objectClass=user)(objectClass=inetOrgPerson))`.
       * @example (&(objectCategory=person)(objectClass=user)(msExchMailboxGuid=*))
       */
      filter?: string;
      /**
       * @description The attribute with the primary address (further values are secondary addresses). An Exchange `SMTP:` proxy address, when present, is the primary instead; `smtp:` proxy addresses are secondary.
       * @default mail
       */
      mailAttribute?: string;
      /**
       * @description Falls back to `cn`.
       * @default displayName
       */
      displayNameAttribute?: string;
      /**
       * @description Only members of this group, nested groups included (Active Directory: the in-chain matching rule; other servers: `memberOf`, e.g. the OpenLDAP memberof overlay).
       * @example CN=Archive-Scope,OU=Groups,DC=contoso,DC=com
       */
      groupDn?: string;
      /**
       * @description Entries per page of the paged search (RFC 2696); at most the server allows (AD: 1,000).
       * @default 500
       */
      pageSize?: number;
      /** @default 60 */
      timeoutSeconds?: number;
      /**
       * @description Accept any server certificate (unsafe: anyone on the path can read the bind password).
       * @default false
       */
      ignoreTlsCertificateErrors?: boolean;
      /**
       * @description Users of an LDAP directory or Active Directory, read with a simple bind and a paged search. AD conventions apply: proxyAddresses, userAccountControl (disabled accounts become disabled mailboxes), objectGUID (else entryUUID) as the stable id.
       * @enum {string}
       */
      type: 'ldap';
    };
    SyncSummaryDto: {
      dryRun: boolean;
      /** Format: date-time */
      startedAt: string;
      /** Format: date-time */
      finishedAt: string;
      created: number;
      updated: number;
      disabled: number;
      unchanged: number;
    };
    StaticDirectoryServiceDto: {
      /** Format: uuid */
      id: string;
      name: string;
      description: string;
      disableMissing: boolean;
      /** @description How many mailboxes belong to it. */
      memberCount: number;
      /** @description The counts of the last committed sync. */
      lastSync?: components['schemas']['SyncSummaryDto'];
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
      /** @enum {string} */
      type: 'static';
    };
    M365DirectoryServiceDto: {
      /** Format: uuid */
      id: string;
      name: string;
      description: string;
      disableMissing: boolean;
      /** @description How many mailboxes belong to it. */
      memberCount: number;
      /** @description The counts of the last committed sync. */
      lastSync?: components['schemas']['SyncSummaryDto'];
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
      /**
       * Format: uuid
       * @description A `certificate` or `client-secret` secret of the tenant: the app registration credential.
       */
      credentialsSecretId: string;
      /**
       * @description The app registration’s application (client) id (any Entra GUID).
       * @example 9a0c0305-e82c-4f89-11d3-3f2504e04f89
       */
      applicationId: string;
      /**
       * @description The Entra ID tenant (directory) id.
       * @example 9a0c0305-e82c-4f89-11d3-3f2504e04f89
       */
      directoryId: string;
      /**
       * @description Only users among the transitive members of this Entra group (nested groups expanded).
       * @example 9a0c0305-e82c-4f89-11d3-3f2504e04f89
       */
      groupId?: string;
      /** @enum {string} */
      type: 'm365';
    };
    GoogleWorkspaceDirectoryServiceDto: {
      /** Format: uuid */
      id: string;
      name: string;
      description: string;
      disableMissing: boolean;
      /** @description How many mailboxes belong to it. */
      memberCount: number;
      /** @description The counts of the last committed sync. */
      lastSync?: components['schemas']['SyncSummaryDto'];
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
      /**
       * Format: uuid
       * @description A `google-service-account` secret of the tenant: the JSON key of a service account with domain-wide delegation.
       */
      credentialsSecretId: string;
      /**
       * Format: email
       * @description A Workspace admin the service account acts as (may read users and groups).
       * @example admin@example.com
       */
      adminSubject: string;
      /**
       * @description The customer whose users are listed: `my_customer` (the default: the admin’s own account) or its customer id. Not with `domain`.
       * @example C03az79cb
       */
      customer?: string;
      /**
       * @description Only the users of this one domain of the account. Not with `customer`.
       * @example example.com
       */
      domain?: string;
      /**
       * @description Only the members of this group (its email address or id), members of nested groups included.
       * @example archive@example.com
       */
      groupKey?: string;
      /** @enum {string} */
      type: 'google-workspace';
    };
    LdapDirectoryServiceDto: {
      /** Format: uuid */
      id: string;
      name: string;
      description: string;
      disableMissing: boolean;
      /** @description How many mailboxes belong to it. */
      memberCount: number;
      /** @description The counts of the last committed sync. */
      lastSync?: components['schemas']['SyncSummaryDto'];
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
      /**
       * @description Host name or IP address of the directory server (a domain controller for Active Directory).
       * @example dc01.contoso.com
       */
      serverName: string;
      /** @description Default 389 (`ldap`, `ldap-tls`) or 636 (`ldap-ssl`). */
      port?: number;
      /**
       * @description `ldap` plain (not recommended), `ldap-tls` StartTLS on the plain port, `ldap-ssl` LDAPS.
       * @enum {string}
       */
      protocol: 'ldap' | 'ldap-tls' | 'ldap-ssl';
      /**
       * Format: uuid
       * @description A `basic` secret: the bind DN (or, for Active Directory, a user principal name) and its password.
       */
      credentialsSecretId: string;
      /**
       * @description Where the subtree search starts.
       * @example DC=contoso,DC=com
       */
      baseDn: string;
      /**
       * @description RFC 4515 filter for the users; entries without the mail attribute are always left out. Default `(|(objectClass=user)(objectClass=inetOrgPerson))`.
       * @example (&(objectCategory=person)(objectClass=user)(msExchMailboxGuid=*))
       */
      filter?: string;
      /**
       * @description The attribute with the primary address (further values are secondary addresses). An Exchange `SMTP:` proxy address, when present, is the primary instead; `smtp:` proxy addresses are secondary.
       * @default mail
       */
      mailAttribute?: string;
      /**
       * @description Falls back to `cn`.
       * @default displayName
       */
      displayNameAttribute?: string;
      /**
       * @description Only members of this group, nested groups included (Active Directory: the in-chain matching rule; other servers: `memberOf`, e.g. the OpenLDAP memberof overlay).
       * @example CN=Archive-Scope,OU=Groups,DC=contoso,DC=com
       */
      groupDn?: string;
      /**
       * @description Entries per page of the paged search (RFC 2696); at most the server allows (AD: 1,000).
       * @default 500
       */
      pageSize?: number;
      /** @default 60 */
      timeoutSeconds?: number;
      /**
       * @description Accept any server certificate (unsafe: anyone on the path can read the bind password).
       * @default false
       */
      ignoreTlsCertificateErrors?: boolean;
      /** @enum {string} */
      type: 'ldap';
    };
    DirectoryServicePageDto: {
      /** @description Each item is the view of its type. */
      items: (
        | components['schemas']['StaticDirectoryServiceDto']
        | components['schemas']['M365DirectoryServiceDto']
        | components['schemas']['GoogleWorkspaceDirectoryServiceDto']
        | components['schemas']['LdapDirectoryServiceDto']
      )[];
      /** @description Pass as `cursor` for the next page; null on the last page. */
      nextCursor: string | null;
    };
    UpdateDirectoryServiceDto: {
      /** @description Unique in the tenant, case-insensitively; trimmed. */
      name?: string;
      description?: string;
      /**
       * @description A sync disables the mailboxes gone from the source (a sync request can override it).
       * @default false
       */
      disableMissing?: boolean;
      /**
       * Format: uuid
       * @description A `basic` secret: the bind DN (or, for Active Directory, a user principal name) and its password.
       */
      credentialsSecretId?: string;
      /**
       * @description The app registration’s application (client) id (any Entra GUID).
       * @example 9a0c0305-e82c-4f89-11d3-3f2504e04f89
       */
      applicationId?: string;
      /**
       * @description The Entra ID tenant (directory) id.
       * @example 9a0c0305-e82c-4f89-11d3-3f2504e04f89
       */
      directoryId?: string;
      /**
       * @description Only users among the transitive members of this Entra group (nested groups expanded).
       * @example 9a0c0305-e82c-4f89-11d3-3f2504e04f89
       */
      groupId?: string;
      /**
       * Format: email
       * @description A Workspace admin the service account acts as (may read users and groups).
       * @example admin@example.com
       */
      adminSubject?: string;
      /**
       * @description The customer whose users are listed: `my_customer` (the default: the admin’s own account) or its customer id. Not with `domain`.
       * @example C03az79cb
       */
      customer?: string;
      /**
       * @description Only the users of this one domain of the account. Not with `customer`.
       * @example example.com
       */
      domain?: string;
      /**
       * @description Only the members of this group (its email address or id), members of nested groups included.
       * @example archive@example.com
       */
      groupKey?: string;
      /**
       * @description Host name or IP address of the directory server (a domain controller for Active Directory).
       * @example dc01.contoso.com
       */
      serverName?: string;
      /** @description Default 389 (`ldap`, `ldap-tls`) or 636 (`ldap-ssl`). */
      port?: number;
      /**
       * @description `ldap` plain (not recommended), `ldap-tls` StartTLS on the plain port, `ldap-ssl` LDAPS.
       * @enum {string}
       */
      protocol?: 'ldap' | 'ldap-tls' | 'ldap-ssl';
      /**
       * @description Where the subtree search starts.
       * @example DC=contoso,DC=com
       */
      baseDn?: string;
      /**
       * @description RFC 4515 filter for the users; entries without the mail attribute are always left out. Default `(|(objectClass=user)(objectClass=inetOrgPerson))`.
       * @example (&(objectCategory=person)(objectClass=user)(msExchMailboxGuid=*))
       */
      filter?: string;
      /**
       * @description The attribute with the primary address (further values are secondary addresses). An Exchange `SMTP:` proxy address, when present, is the primary instead; `smtp:` proxy addresses are secondary.
       * @default mail
       */
      mailAttribute?: string;
      /**
       * @description Falls back to `cn`.
       * @default displayName
       */
      displayNameAttribute?: string;
      /**
       * @description Only members of this group, nested groups included (Active Directory: the in-chain matching rule; other servers: `memberOf`, e.g. the OpenLDAP memberof overlay).
       * @example CN=Archive-Scope,OU=Groups,DC=contoso,DC=com
       */
      groupDn?: string;
      /**
       * @description Entries per page of the paged search (RFC 2696); at most the server allows (AD: 1,000).
       * @default 500
       */
      pageSize?: number;
      /** @default 60 */
      timeoutSeconds?: number;
      /**
       * @description Accept any server certificate (unsafe: anyone on the path can read the bind password).
       * @default false
       */
      ignoreTlsCertificateErrors?: boolean;
      /**
       * @description Must equal the current type.
       * @enum {string}
       */
      type?: 'static' | 'm365' | 'google-workspace' | 'ldap';
    };
    SyncDirectoryServiceDto: {
      /**
       * @description Report what would change without changing anything.
       * @default false
       */
      dryRun?: boolean;
      /** @description Overrides the service's disableMissing for this sync. */
      disableMissing?: boolean;
    };
    SyncChangeDto: {
      /** @enum {string} */
      action: 'create' | 'update' | 'disable';
      primaryAddress: string;
      displayName: string;
      secondaryAddresses: string[];
      /** @description Whether the mailbox is enabled afterwards. */
      enabled: boolean;
    };
    SyncEntryErrorDto: {
      /** @description The source entry (its primary address, or its source id). */
      entry: string;
      message: string;
    };
    SyncResultDto: {
      dryRun: boolean;
      /** Format: date-time */
      startedAt: string;
      /** Format: date-time */
      finishedAt: string;
      created: number;
      updated: number;
      disabled: number;
      unchanged: number;
      /** @description At most 2,000 listed; the counts are exact. */
      changes: components['schemas']['SyncChangeDto'][];
      /** @description Entries not applied (at most 2,000 listed). */
      errors: components['schemas']['SyncEntryErrorDto'][];
    };
    TestConnectionStepDto: {
      name: string;
      /** @enum {string} */
      status: 'ok' | 'failed' | 'skipped';
      durationMs: number;
      detail: string;
    };
    TestConnectionErrorDto: {
      /** @enum {string} */
      category:
        | 'dns'
        | 'network'
        | 'tls'
        | 'authentication'
        | 'authorization'
        | 'throttled'
        | 'timeout'
        | 'protocol'
        | 'configuration';
      message: string;
      /** @description The mail service's own technical message. */
      serverMessage: string;
    };
    TestConnectionResultDto: {
      success: boolean;
      durationMs: number;
      steps: components['schemas']['TestConnectionStepDto'][];
      error?: components['schemas']['TestConnectionErrorDto'];
      /** @description Plain text for "Copy to clipboard". */
      transcript: string;
    };
    BasicSecretCreateDto: {
      /** @description Unique per tenant, case-insensitively; trimmed. */
      name: string;
      description?: string;
      /** @enum {string} */
      type: 'basic';
      username: string;
      /** @description Write-only: stored encrypted, never returned. */
      password: string;
    };
    GenerateCertificateDto: {
      /**
       * @description CN required; CN, O, OU, C, ST, L, E.
       * @example CN=archive.example.com,O=Acme
       */
      subject: string;
      validityDays: number;
    };
    GeneratedCertificateSecretCreateDto: {
      /** @description Unique per tenant, case-insensitively; trimmed. */
      name: string;
      description?: string;
      /** @enum {string} */
      type: 'certificate';
      /** @description A self-signed RSA-2048 certificate (SHA-256). */
      generate: components['schemas']['GenerateCertificateDto'];
    };
    PemCertificateSecretCreateDto: {
      /** @description Unique per tenant, case-insensitively; trimmed. */
      name: string;
      description?: string;
      /** @enum {string} */
      type: 'certificate';
      /** @description The certificate, PEM. */
      certificatePem: string;
      /** @description Its private key, PEM (may be encrypted with password). Write-only: stored encrypted, never returned. */
      privateKeyPem: string;
      /** @description Password of an encrypted private key. Write-only: stored encrypted, never returned. */
      password?: string;
    };
    Pkcs12CertificateSecretCreateDto: {
      /** @description Unique per tenant, case-insensitively; trimmed. */
      name: string;
      description?: string;
      /** @enum {string} */
      type: 'certificate';
      /**
       * Format: byte
       * @description A PKCS#12 archive, base64. Write-only: stored encrypted, never returned.
       */
      pkcs12: string;
      /** @description Its password. Write-only: stored encrypted, never returned. */
      password?: string;
    };
    ClientSecretCreateDto: {
      /** @description Unique per tenant, case-insensitively; trimmed. */
      name: string;
      description?: string;
      /** @enum {string} */
      type: 'client-secret';
      /** @description Write-only: stored encrypted, never returned. */
      clientSecret: string;
      /**
       * Format: date-time
       * @description Flagged as expiring soon 30 days before.
       */
      expiresAt?: string;
    };
    ServiceAccountKeyDto: {
      /** @enum {string} */
      type: 'service_account';
      /** Format: email */
      client_email: string;
      /** @description PEM. Write-only: stored encrypted, never returned. */
      private_key: string;
      /**
       * Format: uri
       * @example https://oauth2.googleapis.com/token
       */
      token_uri: string;
    };
    GoogleServiceAccountSecretCreateDto: {
      /** @description Unique per tenant, case-insensitively; trimmed. */
      name: string;
      description?: string;
      /** @enum {string} */
      type: 'google-service-account';
      /** @description The JSON key as downloaded from Google (other fields kept as they are). Write-only: stored encrypted, never returned. */
      serviceAccountKey: components['schemas']['ServiceAccountKeyDto'];
    };
    CertificateSummaryDto: {
      /** @example CN=archive.example.com, O=Acme */
      subject: string;
      /** @description SHA-1 of the DER certificate, lowercase hex. */
      thumbprint: string;
      /** Format: date-time */
      notBefore: string;
      /** Format: date-time */
      notAfter: string;
    };
    ReferenceDto: {
      /** @example archiving-profile */
      kind: string;
      id: string;
      name?: string;
    };
    SecretDto: {
      /** Format: uuid */
      id: string;
      name: string;
      description: string | null;
      /** @enum {string} */
      type: 'basic' | 'certificate' | 'client-secret' | 'google-service-account';
      /** @description basic */
      username?: string;
      /** @description google-service-account */
      clientEmail?: string;
      /** @description certificate */
      certificate?: components['schemas']['CertificateSummaryDto'];
      /**
       * Format: date-time
       * @description A certificate's notAfter or a client secret's expiry.
       */
      expiresAt?: string;
      /** @description expiresAt is within 30 days (or past). */
      expiresSoon: boolean;
      /** @description Profiles and directory services that use it. */
      usedBy: components['schemas']['ReferenceDto'][];
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    SecretPageDto: {
      items: components['schemas']['SecretDto'][];
      /** @description Pass as `cursor` for the next page; null on the last page. */
      nextCursor: string | null;
    };
    UpdateSecretDto: {
      name?: string;
      description?: Record<string, never> | null;
      /**
       * @description Must equal the stored type (422 otherwise).
       * @enum {string}
       */
      type?: 'basic' | 'certificate' | 'client-secret' | 'google-service-account';
      /** @description basic */
      username?: string;
      /** @description basic; certificate (of pkcs12 or privateKeyPem). Write-only: stored encrypted, never returned. */
      password?: string;
      /** @description certificate: replace by a new self-signed one */
      generate?: components['schemas']['GenerateCertificateDto'];
      /** @description certificate */
      certificatePem?: string;
      /** @description certificate. Write-only: stored encrypted, never returned. */
      privateKeyPem?: string;
      /**
       * Format: byte
       * @description certificate. Write-only: stored encrypted, never returned.
       */
      pkcs12?: string;
      /** @description client-secret. Write-only: stored encrypted, never returned. */
      clientSecret?: string;
      /**
       * Format: date-time
       * @description client-secret
       */
      expiresAt?: string;
      /** @description google-service-account. Write-only: stored encrypted, never returned. */
      serviceAccountKey?: components['schemas']['ServiceAccountKeyDto'];
    };
    ArchivingProfilePageDto: {
      /** @description Each item is the view of its type. */
      items: components['schemas']['ArchivingProfile'][];
      nextCursor: string | null;
    };
    TestSavedProfileDto: {
      /**
       * Format: uuid
       * @description Multiple mode: the mailbox of the directory service to test (required there).
       */
      mailboxId?: string;
    };
    RecurrenceDto: {
      /** @enum {string} */
      type: 'once' | 'interval' | 'daily' | 'cron';
      /**
       * @description once: ISO-8601 date and time, in the future (a past time is a field error); without an offset it is read in the schedule time zone.
       * @example 2027-03-28T02:30
       */
      at?: string;
      /** @description interval: minutes of elapsed time between firings. */
      everyMinutes?: number;
      /**
       * @description daily: local times "HH:MM".
       * @example [
       *       "02:30"
       *     ]
       */
      times?: string[];
      /** @description daily: only on these days; every day when absent. */
      weekdays?: ('mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun')[];
      /**
       * @description cron: 5 fields, read in the schedule time zone.
       * @example 30 2 * * 1-5
       */
      expression?: string;
    };
    ProfileScheduleInputDto: {
      /** @description Unique in the tenant (case-insensitive), 1–200 characters. */
      name: string;
      /**
       * @description Disabled schedules do not fire; run now still works.
       * @default true
       */
      enabled?: boolean;
      /**
       * @description IANA time zone of the recurrence.
       * @example Europe/Berlin
       */
      timezone: string;
      /** @description A local time the zone skips fires at the end of the gap; a local time it repeats fires once (the first). */
      recurrence: components['schemas']['RecurrenceDto'];
    };
    ScheduleTargetDto: {
      /** @enum {string} */
      kind: 'archiving-profile';
      /**
       * Format: uuid
       * @description An archiving profile of the tenant.
       */
      profileId: string;
    };
    ScheduleDto: {
      /** @description Unique in the tenant (case-insensitive), 1–200 characters. */
      name: string;
      target: components['schemas']['ScheduleTargetDto'];
      /**
       * @description Disabled schedules do not fire; run now still works.
       * @default true
       */
      enabled?: boolean;
      /**
       * @description IANA time zone of the recurrence.
       * @example Europe/Berlin
       */
      timezone: string;
      /** @description A local time the zone skips fires at the end of the gap; a local time it repeats fires once (the first). */
      recurrence: components['schemas']['RecurrenceDto'];
      /** Format: uuid */
      id: string;
      /** @description The next 5 fire times, ISO-8601 UTC; empty when disabled. */
      nextRuns: string[];
    };
    ScheduleInputDto: {
      /** @description Unique in the tenant (case-insensitive), 1–200 characters. */
      name: string;
      target: components['schemas']['ScheduleTargetDto'];
      /**
       * @description Disabled schedules do not fire; run now still works.
       * @default true
       */
      enabled?: boolean;
      /**
       * @description IANA time zone of the recurrence.
       * @example Europe/Berlin
       */
      timezone: string;
      /** @description A local time the zone skips fires at the end of the gap; a local time it repeats fires once (the first). */
      recurrence: components['schemas']['RecurrenceDto'];
    };
    SchedulePageDto: {
      items: components['schemas']['ScheduleDto'][];
      nextCursor: string | null;
    };
    NextRunsDto: {
      /** @description ISO-8601 UTC, earliest first. */
      items: string[];
    };
    RunCountersDto: {
      mailboxesTotal: number;
      mailboxesSucceeded: number;
      mailboxesFailed: number;
      /** @description Messages newly archived in this run. */
      messagesArchived: number;
      duplicatesSkipped: number;
      messagesFailed: number;
      bytesArchived: number;
    };
    TaskCountersDto: {
      /** @description Messages newly archived by this task. */
      messagesArchived: number;
      duplicatesSkipped: number;
      messagesFailed: number;
      bytesArchived: number;
    };
    TaskDto: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      mailboxId: string;
      /** @enum {string} */
      status: 'pending' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
      /** @description Deliveries so far. */
      attempts: number;
      counters: components['schemas']['TaskCountersDto'];
      /** @description The reason of the last failure, not a stack. */
      lastError: string | null;
    };
    RunDto: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      scheduleId: string;
      /** Format: uuid */
      profileId: string;
      /** @enum {string} */
      trigger: 'schedule' | 'manual';
      /** @enum {string} */
      status:
        'queued' | 'running' | 'succeeded' | 'completed-with-errors' | 'failed' | 'cancelled' | 'skipped';
      startedAt: string | null;
      finishedAt: string | null;
      counters: components['schemas']['RunCountersDto'];
      /** @description At most 500 tasks, failed and running first; GET …/runs/{id}/tasks pages through all. */
      tasks: components['schemas']['TaskDto'][];
    };
    RunLogEntryDto: {
      /**
       * @description Decimal string of an integer that increases with every entry: the order of the log, and the SSE event id.
       * @example 1042
       */
      id: string;
      /** @description ISO-8601 UTC. */
      at: string;
      /** @enum {string} */
      severity: 'info' | 'warning' | 'error';
      message: string;
      /**
       * Format: uuid
       * @description Null for the run as a whole.
       */
      mailboxId: string | null;
    };
    RunCountersEventDto: {
      mailboxesTotal: number;
      mailboxesSucceeded: number;
      mailboxesFailed: number;
      messagesArchived: number;
      duplicatesSkipped: number;
      messagesFailed: number;
      bytesArchived: number;
    };
    RunProgressEventDto: {
      /** Format: uuid */
      tenantId: string;
      /** Format: uuid */
      runId: string;
      /** @enum {string} */
      status:
        'queued' | 'running' | 'succeeded' | 'completed-with-errors' | 'failed' | 'cancelled' | 'skipped';
      counters: components['schemas']['RunCountersEventDto'];
      /** @description ISO-8601 UTC. */
      reportedAt: string;
    };
    RunFinishedEventDto: {
      /** Format: uuid */
      tenantId: string;
      /** Format: uuid */
      runId: string;
      /** Format: uuid */
      scheduleId: string;
      /** Format: uuid */
      profileId: string;
      /** @enum {string} */
      status:
        'queued' | 'running' | 'succeeded' | 'completed-with-errors' | 'failed' | 'cancelled' | 'skipped';
      counters: components['schemas']['RunCountersEventDto'];
      /** @description ISO-8601 UTC; absent for a run that never started. */
      startedAt?: string;
      /** @description ISO-8601 UTC. */
      finishedAt: string;
    };
    RunPageDto: {
      /** @description Newest first; `tasks` is empty in lists. */
      items: components['schemas']['RunDto'][];
      nextCursor: string | null;
    };
    TaskPageDto: {
      /** @description Ordered by task id. */
      items: components['schemas']['TaskDto'][];
      nextCursor: string | null;
    };
    RunLogPageDto: {
      /** @description Oldest first. */
      items: components['schemas']['RunLogEntryDto'][];
      nextCursor: string | null;
    };
    MessageAttachmentDto: {
      /** @description Its number: `GET …/messages/{id}/attachments/{part}` downloads it. */
      part: number;
      /** @description File name, decoded. */
      name: string;
      /** @example application/pdf */
      mimeType: string;
      /** @description Decoded size in bytes. */
      size: number;
      /** @description Its text is searchable. */
      indexed: boolean;
    };
    ArchivedMessageDto: {
      /** Format: uuid */
      id: string;
      /** Format: uuid */
      mailboxId: string;
      /** @description Full folder path, decoded, `/` between levels; empty where the source has none (POP3). */
      folder: string;
      /**
       * @description Every folder or label the message is in at the source, `folder` first: one row for a Gmail message with several labels.
       * @example [
       *       "Inbox",
       *       "Receipts"
       *     ]
       */
      folders: string[];
      /** @description SHA-256 of the raw message (hex): its blob address. */
      sha256: string;
      /** @description Bytes of the raw message. */
      size: number;
      /** @example <abc@example.com> */
      messageId: string | null;
      /** @description Decoded (RFC 2047, charsets). */
      subject: string | null;
      /** @example Jörg Müller <jm@example.de> */
      from: string | null;
      to: string | null;
      cc: string | null;
      /** @description The Date header, ISO-8601 UTC; null when unusable. */
      date: string | null;
      /** @description ISO-8601 UTC. */
      archivedAt: string;
      /** Format: uuid */
      runId: string;
      /**
       * @description Body and attachments in the full text index: `pending` until the catalog extracted them (seconds after archiving; a re-index), `unreadable` when the blob could not be read (found by its headers only).
       * @enum {string}
       */
      text: 'pending' | 'indexed' | 'unreadable';
      /** @description Empty until the text is indexed. */
      attachments: components['schemas']['MessageAttachmentDto'][];
      /** @description An attachment that should have text could not be extracted. */
      unindexedAttachments: boolean;
      /** @description With `q` only: passages of the body and attachments’ text around the matched words, HTML-escaped, the matched words in `<mark>…</mark>` (none when the words matched the headers only); null without text. */
      snippet?: string | null;
    };
    MessagePageDto: {
      /** @description Newest first (by Date, else archive time). A page may hold fewer than `limit` (about 768 KB at most). */
      items: components['schemas']['ArchivedMessageDto'][];
      nextCursor: string | null;
    };
    TextReindexProgressDto: {
      /** @enum {string} */
      status: 'running' | 'succeeded';
      /** @description Distinct message blobs to re-index. */
      total: number;
      /** @description Blobs re-indexed so far. */
      done: number;
      requestedAt: string;
      finishedAt: string | null;
    };
    TextIndexStatusDto: {
      /** @description Messages of the tenant. */
      messages: number;
      /** @description Messages whose text is not extracted yet. */
      pending: number;
      /** @description Messages whose blob could not be read (found by their headers only). */
      unreadable: number;
      /** @description Messages with an attachment whose text could not be extracted. */
      withUnindexedAttachments: number;
      reindex: components['schemas']['TextReindexProgressDto'] | null;
    };
    IntegrityMismatchDto: {
      /** @description The blob address (hash recorded at archive time). */
      sha256: string;
      /** @description SHA-256 of the bytes read back now. */
      actualSha256: string;
      expectedSize: number;
      actualSize: number;
    };
    IntegrityMissingBlobDto: {
      sha256: string;
      expectedSize: number;
    };
    IntegrityDamagedSegmentDto: {
      /**
       * Format: uuid
       * @description The segment (as in a message location).
       */
      segmentId: string;
      /**
       * @description `trailer`: its trailer or index cannot be read; `index`: its index does not list a message where the catalog places it; `checksum`: its bytes fail its checksum outside every archived message.
       * @enum {string}
       */
      problem: 'trailer' | 'index' | 'checksum';
    };
    IntegrityCheckDto: {
      /** Format: uuid */
      id: string;
      /**
       * @description `succeeded`: every blob was checked (findings or not); `failed`: it could not finish (`error`).
       * @enum {string}
       */
      status: 'running' | 'succeeded' | 'failed';
      /** @description Distinct blobs checked so far. */
      checked: number;
      /** @description Distinct blobs of the tenant when the check started. */
      total: number;
      /** @description The first 1000 by hash. */
      mismatches: components['schemas']['IntegrityMismatchDto'][];
      /** @description The first 1000 by hash. */
      missing: components['schemas']['IntegrityMissingBlobDto'][];
      /** @description Segments damaged while every archived message in them still hashes (a damaged message is a mismatch); the first 1000 by id. */
      damagedSegments: components['schemas']['IntegrityDamagedSegmentDto'][];
      mismatchCount: number;
      missingCount: number;
      damagedSegmentCount: number;
      /** @description ISO-8601 UTC. */
      startedAt: string;
      finishedAt: string | null;
      error: string | null;
    };
    ProfileFolders: {
      /** @description Folders to archive (full paths, `/` between levels); empty = all. */
      include: string[];
      /** @description Folders never archived. */
      exclude: string[];
      /** @description Skip Trash, Junk, Drafts and Outbox (by special-use where the protocol has it). */
      excludeDefaults: boolean;
    };
    ImapProfile: {
      /**
       * Format: uuid
       * @description The profile’s id.
       */
      id: string;
      /** @description Unique in the tenant (case-insensitive), 1–200 characters, trimmed. */
      name: string;
      /**
       * @description The profile type; it cannot be changed after creation. (enum property replaced by openapi-typescript)
       * @enum {string}
       */
      type: 'imap';
      /**
       * @description `single`: one mailbox; `multiple`: every mailbox of a directory service.
       * @enum {string}
       */
      mode: 'single' | 'multiple';
      /**
       * Format: uuid
       * @description A secret of the tenant, of a type this profile type accepts. Accepted: basic.
       */
      credentialsSecretId: string;
      /**
       * Format: uuid
       * @description Single mode (required there): the archive mailbox.
       */
      mailboxId?: string;
      /**
       * Format: uuid
       * @description Multiple mode (required there): the directory service whose mailboxes are archived.
       */
      directoryServiceId?: string;
      /**
       * @description Deletes each message from the source mailbox once it is archived durably (blob stored, event acknowledged). Meant for journal mailboxes only; flagged messages are never deleted.
       * @default false
       */
      deleteInSource: boolean;
      /** @description Increases with each change; sent as ETag, expected back in If-Match. */
      version: number;
      /**
       * Format: date-time
       * @description ISO-8601 UTC.
       */
      createdAt: string;
      /**
       * Format: date-time
       * @description ISO-8601 UTC.
       */
      updatedAt: string;
      /** @description Host name or IP address, without protocol or port. */
      serverName: string;
      /** @description TCP port; empty or 0 = the protocol’s default. Defaults: 993 for imap-ssl, 143 for imap-tls. */
      port?: number;
      /**
       * @description `-ssl`: implicit TLS; `-tls`: STARTTLS / STLS.
       * @enum {string}
       */
      protocol: 'imap-ssl' | 'imap-tls';
      /**
       * @description Seconds to wait for the server; empty = 60.
       * @default 60
       */
      timeoutSeconds?: number;
      /**
       * @description Accept any server certificate. Unsafe.
       * @default false
       */
      ignoreTlsCertificateErrors?: boolean;
      /** @description Which folders are archived. */
      folders?: components['schemas']['ProfileFolders'];
    };
    ExchangeProfile: {
      /**
       * Format: uuid
       * @description The profile’s id.
       */
      id: string;
      /** @description Unique in the tenant (case-insensitive), 1–200 characters, trimmed. */
      name: string;
      /**
       * @description The profile type; it cannot be changed after creation. (enum property replaced by openapi-typescript)
       * @enum {string}
       */
      type: 'exchange';
      /**
       * @description `single`: one mailbox; `multiple`: every mailbox of a directory service.
       * @enum {string}
       */
      mode: 'single' | 'multiple';
      /**
       * Format: uuid
       * @description A secret of the tenant, of a type this profile type accepts. Accepted: basic.
       */
      credentialsSecretId: string;
      /**
       * Format: uuid
       * @description Single mode (required there): the archive mailbox.
       */
      mailboxId?: string;
      /**
       * Format: uuid
       * @description Multiple mode (required there): the directory service whose mailboxes are archived.
       */
      directoryServiceId?: string;
      /**
       * @description Deletes each message from the source mailbox once it is archived durably (blob stored, event acknowledged). Meant for journal mailboxes only; flagged messages are never deleted.
       * @default false
       */
      deleteInSource: boolean;
      /** @description Increases with each change; sent as ETag, expected back in If-Match. */
      version: number;
      /**
       * Format: date-time
       * @description ISO-8601 UTC.
       */
      createdAt: string;
      /**
       * Format: date-time
       * @description ISO-8601 UTC.
       */
      updatedAt: string;
      /** @description Host name or IP address, without protocol or port. */
      serverName: string;
      /**
       * @description Seconds to wait for the server; empty = 60.
       * @default 60
       */
      timeoutSeconds?: number;
      /** @description Single mode: the source address when it differs from the credential’s user (or for impersonation). */
      sourceMailbox?: string;
      /**
       * @description Accept any server certificate. Unsafe.
       * @default false
       */
      ignoreTlsCertificateErrors?: boolean;
      /** @description Which folders are archived. */
      folders?: components['schemas']['ProfileFolders'];
    };
    M365Profile: {
      /**
       * Format: uuid
       * @description The profile’s id.
       */
      id: string;
      /** @description Unique in the tenant (case-insensitive), 1–200 characters, trimmed. */
      name: string;
      /**
       * @description The profile type; it cannot be changed after creation. (enum property replaced by openapi-typescript)
       * @enum {string}
       */
      type: 'm365';
      /**
       * @description `single`: one mailbox; `multiple`: every mailbox of a directory service.
       * @enum {string}
       */
      mode: 'single' | 'multiple';
      /**
       * Format: uuid
       * @description A secret of the tenant, of a type this profile type accepts. Accepted: certificate, client-secret.
       */
      credentialsSecretId: string;
      /**
       * Format: uuid
       * @description Single mode (required there): the archive mailbox.
       */
      mailboxId?: string;
      /**
       * Format: uuid
       * @description Multiple mode (required there): the directory service whose mailboxes are archived.
       */
      directoryServiceId?: string;
      /**
       * @description Deletes each message from the source mailbox once it is archived durably (blob stored, event acknowledged). Meant for journal mailboxes only; flagged messages are never deleted.
       * @default false
       */
      deleteInSource: boolean;
      /** @description Increases with each change; sent as ETag, expected back in If-Match. */
      version: number;
      /**
       * Format: date-time
       * @description ISO-8601 UTC.
       */
      createdAt: string;
      /**
       * Format: date-time
       * @description ISO-8601 UTC.
       */
      updatedAt: string;
      /** @description The Entra ID app registration’s Application (client) ID (a GUID, any version). */
      applicationId: string;
      /** @description The Entra ID Directory (tenant) ID (a GUID, any version). */
      directoryId: string;
      /** @description Single mode: the source address when it differs from the credential’s user (or for impersonation). */
      sourceMailbox?: string;
      /** @description Which folders are archived. */
      folders?: components['schemas']['ProfileFolders'];
    };
    Pop3Profile: {
      /**
       * Format: uuid
       * @description The profile’s id.
       */
      id: string;
      /** @description Unique in the tenant (case-insensitive), 1–200 characters, trimmed. */
      name: string;
      /**
       * @description The profile type; it cannot be changed after creation. (enum property replaced by openapi-typescript)
       * @enum {string}
       */
      type: 'pop3';
      /**
       * @description `single`: one mailbox; `multiple`: every mailbox of a directory service.
       * @enum {string}
       */
      mode: 'single' | 'multiple';
      /**
       * Format: uuid
       * @description A secret of the tenant, of a type this profile type accepts. Accepted: basic.
       */
      credentialsSecretId: string;
      /**
       * Format: uuid
       * @description Single mode (required there): the archive mailbox.
       */
      mailboxId?: string;
      /**
       * @description Deletes each message from the source mailbox once it is archived durably (blob stored, event acknowledged). Meant for journal mailboxes only; flagged messages are never deleted.
       * @default false
       */
      deleteInSource: boolean;
      /** @description Increases with each change; sent as ETag, expected back in If-Match. */
      version: number;
      /**
       * Format: date-time
       * @description ISO-8601 UTC.
       */
      createdAt: string;
      /**
       * Format: date-time
       * @description ISO-8601 UTC.
       */
      updatedAt: string;
      /** @description Host name or IP address, without protocol or port. */
      serverName: string;
      /** @description TCP port; empty or 0 = the protocol’s default. Defaults: 995 for pop-ssl, 110 for pop-tls. */
      port?: number;
      /**
       * @description `-ssl`: implicit TLS; `-tls`: STARTTLS / STLS.
       * @enum {string}
       */
      protocol: 'pop-ssl' | 'pop-tls';
      /**
       * @description Seconds to wait for the server; empty = 60.
       * @default 60
       */
      timeoutSeconds?: number;
      /**
       * @description Accept any server certificate. Unsafe.
       * @default false
       */
      ignoreTlsCertificateErrors?: boolean;
    };
    GoogleWorkspaceProfile: {
      /**
       * Format: uuid
       * @description The profile’s id.
       */
      id: string;
      /** @description Unique in the tenant (case-insensitive), 1–200 characters, trimmed. */
      name: string;
      /**
       * @description The profile type; it cannot be changed after creation. (enum property replaced by openapi-typescript)
       * @enum {string}
       */
      type: 'google-workspace';
      /**
       * @description `single`: one mailbox; `multiple`: every mailbox of a directory service.
       * @enum {string}
       */
      mode: 'single' | 'multiple';
      /**
       * Format: uuid
       * @description A secret of the tenant, of a type this profile type accepts. Accepted: google-service-account.
       */
      credentialsSecretId: string;
      /**
       * Format: uuid
       * @description Single mode (required there): the archive mailbox.
       */
      mailboxId?: string;
      /**
       * Format: uuid
       * @description Multiple mode (required there): the directory service whose mailboxes are archived.
       */
      directoryServiceId?: string;
      /**
       * @description Deletes each message from the source mailbox once it is archived durably (blob stored, event acknowledged). Meant for journal mailboxes only; flagged messages are never deleted.
       * @default false
       */
      deleteInSource: boolean;
      /** @description Increases with each change; sent as ETag, expected back in If-Match. */
      version: number;
      /**
       * Format: date-time
       * @description ISO-8601 UTC.
       */
      createdAt: string;
      /**
       * Format: date-time
       * @description ISO-8601 UTC.
       */
      updatedAt: string;
      /** @description Single mode: the source address when it differs from the credential’s user (or for impersonation). */
      sourceMailbox?: string;
      /** @description Which folders are archived. */
      folders?: components['schemas']['ProfileFolders'];
    };
    ImapProfileCreate: {
      /** @description Unique in the tenant (case-insensitive), 1–200 characters, trimmed. */
      name: string;
      /**
       * @description The profile type; it cannot be changed after creation. (enum property replaced by openapi-typescript)
       * @enum {string}
       */
      type: 'imap';
      /**
       * @description `single`: one mailbox; `multiple`: every mailbox of a directory service.
       * @enum {string}
       */
      mode: 'single' | 'multiple';
      /**
       * Format: uuid
       * @description A secret of the tenant, of a type this profile type accepts. Accepted: basic.
       */
      credentialsSecretId: string;
      /**
       * Format: uuid
       * @description Single mode (required there): the archive mailbox.
       */
      mailboxId?: string;
      /**
       * Format: uuid
       * @description Multiple mode (required there): the directory service whose mailboxes are archived.
       */
      directoryServiceId?: string;
      /**
       * @description Deletes each message from the source mailbox once it is archived durably (blob stored, event acknowledged). Meant for journal mailboxes only; flagged messages are never deleted.
       * @default false
       */
      deleteInSource?: boolean;
      /** @description Host name or IP address, without protocol or port. */
      serverName: string;
      /** @description TCP port; empty or 0 = the protocol’s default. Defaults: 993 for imap-ssl, 143 for imap-tls. */
      port?: number;
      /**
       * @description `-ssl`: implicit TLS; `-tls`: STARTTLS / STLS.
       * @enum {string}
       */
      protocol: 'imap-ssl' | 'imap-tls';
      /**
       * @description Seconds to wait for the server; empty = 60.
       * @default 60
       */
      timeoutSeconds?: number;
      /**
       * @description Accept any server certificate. Unsafe.
       * @default false
       */
      ignoreTlsCertificateErrors?: boolean;
      /** @description Which folders are archived. */
      folders?: components['schemas']['ProfileFolders'];
    };
    ExchangeProfileCreate: {
      /** @description Unique in the tenant (case-insensitive), 1–200 characters, trimmed. */
      name: string;
      /**
       * @description The profile type; it cannot be changed after creation. (enum property replaced by openapi-typescript)
       * @enum {string}
       */
      type: 'exchange';
      /**
       * @description `single`: one mailbox; `multiple`: every mailbox of a directory service.
       * @enum {string}
       */
      mode: 'single' | 'multiple';
      /**
       * Format: uuid
       * @description A secret of the tenant, of a type this profile type accepts. Accepted: basic.
       */
      credentialsSecretId: string;
      /**
       * Format: uuid
       * @description Single mode (required there): the archive mailbox.
       */
      mailboxId?: string;
      /**
       * Format: uuid
       * @description Multiple mode (required there): the directory service whose mailboxes are archived.
       */
      directoryServiceId?: string;
      /**
       * @description Deletes each message from the source mailbox once it is archived durably (blob stored, event acknowledged). Meant for journal mailboxes only; flagged messages are never deleted.
       * @default false
       */
      deleteInSource?: boolean;
      /** @description Host name or IP address, without protocol or port. */
      serverName: string;
      /**
       * @description Seconds to wait for the server; empty = 60.
       * @default 60
       */
      timeoutSeconds?: number;
      /** @description Single mode: the source address when it differs from the credential’s user (or for impersonation). */
      sourceMailbox?: string;
      /**
       * @description Accept any server certificate. Unsafe.
       * @default false
       */
      ignoreTlsCertificateErrors?: boolean;
      /** @description Which folders are archived. */
      folders?: components['schemas']['ProfileFolders'];
    };
    M365ProfileCreate: {
      /** @description Unique in the tenant (case-insensitive), 1–200 characters, trimmed. */
      name: string;
      /**
       * @description The profile type; it cannot be changed after creation. (enum property replaced by openapi-typescript)
       * @enum {string}
       */
      type: 'm365';
      /**
       * @description `single`: one mailbox; `multiple`: every mailbox of a directory service.
       * @enum {string}
       */
      mode: 'single' | 'multiple';
      /**
       * Format: uuid
       * @description A secret of the tenant, of a type this profile type accepts. Accepted: certificate, client-secret.
       */
      credentialsSecretId: string;
      /**
       * Format: uuid
       * @description Single mode (required there): the archive mailbox.
       */
      mailboxId?: string;
      /**
       * Format: uuid
       * @description Multiple mode (required there): the directory service whose mailboxes are archived.
       */
      directoryServiceId?: string;
      /**
       * @description Deletes each message from the source mailbox once it is archived durably (blob stored, event acknowledged). Meant for journal mailboxes only; flagged messages are never deleted.
       * @default false
       */
      deleteInSource?: boolean;
      /** @description The Entra ID app registration’s Application (client) ID (a GUID, any version). */
      applicationId: string;
      /** @description The Entra ID Directory (tenant) ID (a GUID, any version). */
      directoryId: string;
      /** @description Single mode: the source address when it differs from the credential’s user (or for impersonation). */
      sourceMailbox?: string;
      /** @description Which folders are archived. */
      folders?: components['schemas']['ProfileFolders'];
    };
    Pop3ProfileCreate: {
      /** @description Unique in the tenant (case-insensitive), 1–200 characters, trimmed. */
      name: string;
      /**
       * @description The profile type; it cannot be changed after creation. (enum property replaced by openapi-typescript)
       * @enum {string}
       */
      type: 'pop3';
      /**
       * @description `single`: one mailbox; `multiple`: every mailbox of a directory service.
       * @enum {string}
       */
      mode: 'single' | 'multiple';
      /**
       * Format: uuid
       * @description A secret of the tenant, of a type this profile type accepts. Accepted: basic.
       */
      credentialsSecretId: string;
      /**
       * Format: uuid
       * @description Single mode (required there): the archive mailbox.
       */
      mailboxId?: string;
      /**
       * @description Deletes each message from the source mailbox once it is archived durably (blob stored, event acknowledged). Meant for journal mailboxes only; flagged messages are never deleted.
       * @default false
       */
      deleteInSource?: boolean;
      /** @description Host name or IP address, without protocol or port. */
      serverName: string;
      /** @description TCP port; empty or 0 = the protocol’s default. Defaults: 995 for pop-ssl, 110 for pop-tls. */
      port?: number;
      /**
       * @description `-ssl`: implicit TLS; `-tls`: STARTTLS / STLS.
       * @enum {string}
       */
      protocol: 'pop-ssl' | 'pop-tls';
      /**
       * @description Seconds to wait for the server; empty = 60.
       * @default 60
       */
      timeoutSeconds?: number;
      /**
       * @description Accept any server certificate. Unsafe.
       * @default false
       */
      ignoreTlsCertificateErrors?: boolean;
    };
    GoogleWorkspaceProfileCreate: {
      /** @description Unique in the tenant (case-insensitive), 1–200 characters, trimmed. */
      name: string;
      /**
       * @description The profile type; it cannot be changed after creation. (enum property replaced by openapi-typescript)
       * @enum {string}
       */
      type: 'google-workspace';
      /**
       * @description `single`: one mailbox; `multiple`: every mailbox of a directory service.
       * @enum {string}
       */
      mode: 'single' | 'multiple';
      /**
       * Format: uuid
       * @description A secret of the tenant, of a type this profile type accepts. Accepted: google-service-account.
       */
      credentialsSecretId: string;
      /**
       * Format: uuid
       * @description Single mode (required there): the archive mailbox.
       */
      mailboxId?: string;
      /**
       * Format: uuid
       * @description Multiple mode (required there): the directory service whose mailboxes are archived.
       */
      directoryServiceId?: string;
      /**
       * @description Deletes each message from the source mailbox once it is archived durably (blob stored, event acknowledged). Meant for journal mailboxes only; flagged messages are never deleted.
       * @default false
       */
      deleteInSource?: boolean;
      /** @description Single mode: the source address when it differs from the credential’s user (or for impersonation). */
      sourceMailbox?: string;
      /** @description Which folders are archived. */
      folders?: components['schemas']['ProfileFolders'];
    };
    ImapProfileUpdate: {
      /** @description Unique in the tenant (case-insensitive), 1–200 characters, trimmed. */
      name?: string;
      /**
       * @description The profile type; it cannot be changed after creation. (enum property replaced by openapi-typescript)
       * @enum {string}
       */
      type: 'imap';
      /**
       * @description `single`: one mailbox; `multiple`: every mailbox of a directory service.
       * @enum {string}
       */
      mode?: 'single' | 'multiple';
      /**
       * Format: uuid
       * @description A secret of the tenant, of a type this profile type accepts. Accepted: basic.
       */
      credentialsSecretId?: string;
      /**
       * Format: uuid
       * @description Single mode (required there): the archive mailbox.
       */
      mailboxId?: string | null;
      /**
       * Format: uuid
       * @description Multiple mode (required there): the directory service whose mailboxes are archived.
       */
      directoryServiceId?: string | null;
      /**
       * @description Deletes each message from the source mailbox once it is archived durably (blob stored, event acknowledged). Meant for journal mailboxes only; flagged messages are never deleted.
       * @default false
       */
      deleteInSource?: boolean;
      /** @description Host name or IP address, without protocol or port. */
      serverName?: string;
      /** @description TCP port; empty or 0 = the protocol’s default. Defaults: 993 for imap-ssl, 143 for imap-tls. */
      port?: number | null;
      /**
       * @description `-ssl`: implicit TLS; `-tls`: STARTTLS / STLS.
       * @enum {string}
       */
      protocol?: 'imap-ssl' | 'imap-tls';
      /**
       * @description Seconds to wait for the server; empty = 60.
       * @default 60
       */
      timeoutSeconds?: number | null;
      /**
       * @description Accept any server certificate. Unsafe.
       * @default false
       */
      ignoreTlsCertificateErrors?: boolean | null;
      /** @description Which folders are archived. */
      folders?: components['schemas']['ProfileFolders'] | null;
    };
    ExchangeProfileUpdate: {
      /** @description Unique in the tenant (case-insensitive), 1–200 characters, trimmed. */
      name?: string;
      /**
       * @description The profile type; it cannot be changed after creation. (enum property replaced by openapi-typescript)
       * @enum {string}
       */
      type: 'exchange';
      /**
       * @description `single`: one mailbox; `multiple`: every mailbox of a directory service.
       * @enum {string}
       */
      mode?: 'single' | 'multiple';
      /**
       * Format: uuid
       * @description A secret of the tenant, of a type this profile type accepts. Accepted: basic.
       */
      credentialsSecretId?: string;
      /**
       * Format: uuid
       * @description Single mode (required there): the archive mailbox.
       */
      mailboxId?: string | null;
      /**
       * Format: uuid
       * @description Multiple mode (required there): the directory service whose mailboxes are archived.
       */
      directoryServiceId?: string | null;
      /**
       * @description Deletes each message from the source mailbox once it is archived durably (blob stored, event acknowledged). Meant for journal mailboxes only; flagged messages are never deleted.
       * @default false
       */
      deleteInSource?: boolean;
      /** @description Host name or IP address, without protocol or port. */
      serverName?: string;
      /**
       * @description Seconds to wait for the server; empty = 60.
       * @default 60
       */
      timeoutSeconds?: number | null;
      /** @description Single mode: the source address when it differs from the credential’s user (or for impersonation). */
      sourceMailbox?: string | null;
      /**
       * @description Accept any server certificate. Unsafe.
       * @default false
       */
      ignoreTlsCertificateErrors?: boolean | null;
      /** @description Which folders are archived. */
      folders?: components['schemas']['ProfileFolders'] | null;
    };
    M365ProfileUpdate: {
      /** @description Unique in the tenant (case-insensitive), 1–200 characters, trimmed. */
      name?: string;
      /**
       * @description The profile type; it cannot be changed after creation. (enum property replaced by openapi-typescript)
       * @enum {string}
       */
      type: 'm365';
      /**
       * @description `single`: one mailbox; `multiple`: every mailbox of a directory service.
       * @enum {string}
       */
      mode?: 'single' | 'multiple';
      /**
       * Format: uuid
       * @description A secret of the tenant, of a type this profile type accepts. Accepted: certificate, client-secret.
       */
      credentialsSecretId?: string;
      /**
       * Format: uuid
       * @description Single mode (required there): the archive mailbox.
       */
      mailboxId?: string | null;
      /**
       * Format: uuid
       * @description Multiple mode (required there): the directory service whose mailboxes are archived.
       */
      directoryServiceId?: string | null;
      /**
       * @description Deletes each message from the source mailbox once it is archived durably (blob stored, event acknowledged). Meant for journal mailboxes only; flagged messages are never deleted.
       * @default false
       */
      deleteInSource?: boolean;
      /** @description The Entra ID app registration’s Application (client) ID (a GUID, any version). */
      applicationId?: string;
      /** @description The Entra ID Directory (tenant) ID (a GUID, any version). */
      directoryId?: string;
      /** @description Single mode: the source address when it differs from the credential’s user (or for impersonation). */
      sourceMailbox?: string | null;
      /** @description Which folders are archived. */
      folders?: components['schemas']['ProfileFolders'] | null;
    };
    Pop3ProfileUpdate: {
      /** @description Unique in the tenant (case-insensitive), 1–200 characters, trimmed. */
      name?: string;
      /**
       * @description The profile type; it cannot be changed after creation. (enum property replaced by openapi-typescript)
       * @enum {string}
       */
      type: 'pop3';
      /**
       * @description `single`: one mailbox; `multiple`: every mailbox of a directory service.
       * @enum {string}
       */
      mode?: 'single' | 'multiple';
      /**
       * Format: uuid
       * @description A secret of the tenant, of a type this profile type accepts. Accepted: basic.
       */
      credentialsSecretId?: string;
      /**
       * Format: uuid
       * @description Single mode (required there): the archive mailbox.
       */
      mailboxId?: string | null;
      /**
       * @description Deletes each message from the source mailbox once it is archived durably (blob stored, event acknowledged). Meant for journal mailboxes only; flagged messages are never deleted.
       * @default false
       */
      deleteInSource?: boolean;
      /** @description Host name or IP address, without protocol or port. */
      serverName?: string;
      /** @description TCP port; empty or 0 = the protocol’s default. Defaults: 995 for pop-ssl, 110 for pop-tls. */
      port?: number | null;
      /**
       * @description `-ssl`: implicit TLS; `-tls`: STARTTLS / STLS.
       * @enum {string}
       */
      protocol?: 'pop-ssl' | 'pop-tls';
      /**
       * @description Seconds to wait for the server; empty = 60.
       * @default 60
       */
      timeoutSeconds?: number | null;
      /**
       * @description Accept any server certificate. Unsafe.
       * @default false
       */
      ignoreTlsCertificateErrors?: boolean | null;
    };
    GoogleWorkspaceProfileUpdate: {
      /** @description Unique in the tenant (case-insensitive), 1–200 characters, trimmed. */
      name?: string;
      /**
       * @description The profile type; it cannot be changed after creation. (enum property replaced by openapi-typescript)
       * @enum {string}
       */
      type: 'google-workspace';
      /**
       * @description `single`: one mailbox; `multiple`: every mailbox of a directory service.
       * @enum {string}
       */
      mode?: 'single' | 'multiple';
      /**
       * Format: uuid
       * @description A secret of the tenant, of a type this profile type accepts. Accepted: google-service-account.
       */
      credentialsSecretId?: string;
      /**
       * Format: uuid
       * @description Single mode (required there): the archive mailbox.
       */
      mailboxId?: string | null;
      /**
       * Format: uuid
       * @description Multiple mode (required there): the directory service whose mailboxes are archived.
       */
      directoryServiceId?: string | null;
      /**
       * @description Deletes each message from the source mailbox once it is archived durably (blob stored, event acknowledged). Meant for journal mailboxes only; flagged messages are never deleted.
       * @default false
       */
      deleteInSource?: boolean;
      /** @description Single mode: the source address when it differs from the credential’s user (or for impersonation). */
      sourceMailbox?: string | null;
      /** @description Which folders are archived. */
      folders?: components['schemas']['ProfileFolders'] | null;
    };
    /** @description An archiving profile: the common properties and those of its type; defaults (port, timeout) filled in. */
    ArchivingProfile:
      | components['schemas']['ImapProfile']
      | components['schemas']['ExchangeProfile']
      | components['schemas']['M365Profile']
      | components['schemas']['Pop3Profile']
      | components['schemas']['GoogleWorkspaceProfile'];
    /** @description A new archiving profile (SPEC §3.1): the properties of its type and mode; any other is a field error. */
    ArchivingProfileCreate:
      | components['schemas']['ImapProfileCreate']
      | components['schemas']['ExchangeProfileCreate']
      | components['schemas']['M365ProfileCreate']
      | components['schemas']['Pop3ProfileCreate']
      | components['schemas']['GoogleWorkspaceProfileCreate'];
    /** @description The properties to change; `null` removes an optional one. `type` must be the profile’s own (it cannot change: 422); it selects the properties that apply (the API also accepts a body without it). */
    ArchivingProfileUpdate:
      | components['schemas']['ImapProfileUpdate']
      | components['schemas']['ExchangeProfileUpdate']
      | components['schemas']['M365ProfileUpdate']
      | components['schemas']['Pop3ProfileUpdate']
      | components['schemas']['GoogleWorkspaceProfileUpdate'];
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  HealthController_live: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  HealthController_ready: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  SessionController_session: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SessionDto'];
        };
      };
    };
  };
  TenantsController_list: {
    parameters: {
      query?: {
        /** @description Matches when the name includes it or the id equals it, both case-insensitive; % and _ are literal. */
        search?: string;
        limit?: number;
        /** @description The nextCursor of the previous page. */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TenantPageDto'];
        };
      };
    };
  };
  TenantsController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateTenantDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TenantDto'];
        };
      };
    };
  };
  TenantsController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TenantDto'];
        };
      };
    };
  };
  TenantsController_delete: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  TenantsController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateTenantDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TenantDto'];
        };
      };
    };
  };
  TenantApiKeysController_list: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiKeyListDto'];
        };
      };
    };
  };
  TenantApiKeysController_create: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateTenantApiKeyDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CreatedApiKeyDto'];
        };
      };
    };
  };
  TenantApiKeysController_revoke: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  OperatorApiKeysController_list: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiKeyListDto'];
        };
      };
    };
  };
  OperatorApiKeysController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateOperatorApiKeyDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CreatedApiKeyDto'];
        };
      };
    };
  };
  OperatorApiKeysController_revoke: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  AuditController_tenantLog: {
    parameters: {
      query?: {
        /** @description Exact action, e.g. `tenant.create`. */
        action?: string;
        outcome?: 'success' | 'denied' | 'failed';
        objectType?: string;
        objectId?: string;
        actorApiKeyId?: string;
        /** @description Entries at or after this time. */
        from?: string;
        /** @description Entries before this time. */
        to?: string;
        limit?: number;
        cursor?: string;
      };
      header?: never;
      path: {
        tenantId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AuditPageDto'];
        };
      };
    };
  };
  AuditController_verifyTenant: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AuditVerificationDto'];
        };
      };
    };
  };
  AuditController_platformLog: {
    parameters: {
      query?: {
        /** @description Exact action, e.g. `tenant.create`. */
        action?: string;
        outcome?: 'success' | 'denied' | 'failed';
        objectType?: string;
        objectId?: string;
        actorApiKeyId?: string;
        /** @description Entries at or after this time. */
        from?: string;
        /** @description Entries before this time. */
        to?: string;
        limit?: number;
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AuditPageDto'];
        };
      };
    };
  };
  AuditController_verifyPlatform: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AuditVerificationDto'];
        };
      };
    };
  };
  MailboxesController_list: {
    parameters: {
      query?: {
        /** @description Matches when the name includes it or the id equals it, both case-insensitive; % and _ are literal. */
        search?: string;
        limit?: number;
        /** @description The nextCursor of the previous page. */
        cursor?: string;
        /** @description Only the members of this directory service. */
        directoryServiceId?: string;
      };
      header?: never;
      path: {
        tenantId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['MailboxPageDto'];
        };
      };
    };
  };
  MailboxesController_create: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateMailboxDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['MailboxDto'];
        };
      };
    };
  };
  MailboxesController_import: {
    parameters: {
      query?: {
        /** @description Assign every imported mailbox to this static directory service. */
        directoryServiceId?: string;
      };
      header?: never;
      path: {
        tenantId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'text/csv': string;
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['MailboxImportResultDto'];
        };
      };
    };
  };
  MailboxesController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['MailboxDto'];
        };
      };
    };
  };
  MailboxesController_delete: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  MailboxesController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateMailboxDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['MailboxDto'];
        };
      };
    };
  };
  DirectoryServicesController_list: {
    parameters: {
      query?: {
        /** @description Matches when the name includes it or the id equals it, both case-insensitive; % and _ are literal. */
        search?: string;
        limit?: number;
        /** @description The nextCursor of the previous page. */
        cursor?: string;
      };
      header?: never;
      path: {
        tenantId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DirectoryServicePageDto'];
        };
      };
    };
  };
  DirectoryServicesController_create: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json':
          | components['schemas']['StaticDirectoryServiceCreateDto']
          | components['schemas']['M365DirectoryServiceCreateDto']
          | components['schemas']['GoogleWorkspaceDirectoryServiceCreateDto']
          | components['schemas']['LdapDirectoryServiceCreateDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | components['schemas']['StaticDirectoryServiceDto']
            | components['schemas']['M365DirectoryServiceDto']
            | components['schemas']['GoogleWorkspaceDirectoryServiceDto']
            | components['schemas']['LdapDirectoryServiceDto'];
        };
      };
    };
  };
  DirectoryServicesController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | components['schemas']['StaticDirectoryServiceDto']
            | components['schemas']['M365DirectoryServiceDto']
            | components['schemas']['GoogleWorkspaceDirectoryServiceDto']
            | components['schemas']['LdapDirectoryServiceDto'];
        };
      };
    };
  };
  DirectoryServicesController_delete: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  DirectoryServicesController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateDirectoryServiceDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | components['schemas']['StaticDirectoryServiceDto']
            | components['schemas']['M365DirectoryServiceDto']
            | components['schemas']['GoogleWorkspaceDirectoryServiceDto']
            | components['schemas']['LdapDirectoryServiceDto'];
        };
      };
    };
  };
  DirectoryServicesController_sync: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['SyncDirectoryServiceDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SyncResultDto'];
        };
      };
    };
  };
  DirectoryServicesController_testConnection: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TestConnectionResultDto'];
        };
      };
    };
  };
  SecretsController_list: {
    parameters: {
      query?: {
        /** @description Matches when the name includes it or the id equals it, both case-insensitive; % and _ are literal. */
        search?: string;
        limit?: number;
        /** @description The nextCursor of the previous page. */
        cursor?: string;
      };
      header?: never;
      path: {
        tenantId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SecretPageDto'];
        };
      };
    };
  };
  SecretsController_create: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json':
          | components['schemas']['BasicSecretCreateDto']
          | components['schemas']['GeneratedCertificateSecretCreateDto']
          | components['schemas']['PemCertificateSecretCreateDto']
          | components['schemas']['Pkcs12CertificateSecretCreateDto']
          | components['schemas']['ClientSecretCreateDto']
          | components['schemas']['GoogleServiceAccountSecretCreateDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SecretDto'];
        };
      };
      /** @description The name is taken (code duplicate_name). */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  SecretsController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SecretDto'];
        };
      };
    };
  };
  SecretsController_delete: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description In use (code in_use); `references` names the users. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description A service that may use it cannot be asked; nothing was deleted. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  SecretsController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateSecretDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SecretDto'];
        };
      };
      /** @description A different type was given (code type_immutable). */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  SecretsController_certificate: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The certificate, PEM. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/x-pem-file': string;
        };
      };
    };
  };
  ArchivingProfilesController_list: {
    parameters: {
      query?: {
        /** @description Matches when the name includes it or the id equals it, both case-insensitive; % and _ are literal. */
        search?: string;
        limit?: number;
        /** @description The nextCursor of the previous page. */
        cursor?: string;
      };
      header?: never;
      path: {
        tenantId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ArchivingProfilePageDto'];
        };
      };
    };
  };
  ArchivingProfilesController_create: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ArchivingProfileCreate'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ArchivingProfile'];
        };
      };
    };
  };
  ArchivingProfilesController_testDraft: {
    parameters: {
      query?: {
        /** @description Multiple mode: the mailbox of the directory service to test (required there). */
        mailboxId?: string;
      };
      header?: never;
      path: {
        tenantId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ArchivingProfileCreate'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TestConnectionResultDto'];
        };
      };
    };
  };
  ArchivingProfilesController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ArchivingProfile'];
        };
      };
    };
  };
  ArchivingProfilesController_delete: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ArchivingProfilesController_update: {
    parameters: {
      query?: never;
      header?: {
        /** @description The ETag of the version you edited, e.g. "3". */
        'If-Match'?: string;
      };
      path: {
        tenantId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ArchivingProfileUpdate'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ArchivingProfile'];
        };
      };
    };
  };
  ArchivingProfilesController_testSaved: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['TestSavedProfileDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TestConnectionResultDto'];
        };
      };
    };
  };
  ArchivingProfileSchedulesController_create: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ProfileScheduleInputDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ScheduleDto'];
        };
      };
    };
  };
  SchedulesController_list: {
    parameters: {
      query?: {
        /** @description Matches when the name includes it or the id equals it, both case-insensitive; % and _ are literal. */
        search?: string;
        limit?: number;
        /** @description The nextCursor of the previous page. */
        cursor?: string;
        /** @description Only schedules that run this profile. */
        profileId?: string;
      };
      header?: never;
      path: {
        tenantId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SchedulePageDto'];
        };
      };
    };
  };
  SchedulesController_create: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ScheduleInputDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ScheduleDto'];
        };
      };
    };
  };
  SchedulesController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ScheduleDto'];
        };
      };
    };
  };
  SchedulesController_delete: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  SchedulesController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ScheduleInputDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ScheduleDto'];
        };
      };
    };
  };
  SchedulesController_nextRuns: {
    parameters: {
      query?: {
        /** @description Fire times after this instant (ISO-8601 with offset); default now. */
        from?: string;
        count?: number;
      };
      header?: never;
      path: {
        tenantId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['NextRunsDto'];
        };
      };
    };
  };
  SchedulesController_runNow: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RunDto'];
        };
      };
    };
  };
  RunsController_list: {
    parameters: {
      query?: {
        limit?: number;
        /** @description The nextCursor of the previous page. */
        cursor?: string;
        /** @description Only runs of this archiving profile. */
        profileId?: string;
        /** @description Only runs in this status. */
        status?:
          'queued' | 'running' | 'succeeded' | 'completed-with-errors' | 'failed' | 'cancelled' | 'skipped';
      };
      header?: never;
      path: {
        tenantId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RunPageDto'];
        };
      };
    };
  };
  RunsController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RunDto'];
        };
      };
    };
  };
  RunsController_cancel: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RunDto'];
        };
      };
    };
  };
  RunsController_tasks: {
    parameters: {
      query?: {
        limit?: number;
        /** @description The nextCursor of the previous page. */
        cursor?: string;
        /** @description Only tasks in this status. */
        status?: 'pending' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
      };
      header?: never;
      path: {
        tenantId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TaskPageDto'];
        };
      };
    };
  };
  RunsController_log: {
    parameters: {
      query?: {
        limit?: number;
        /** @description The nextCursor of the previous page. */
        cursor?: string;
      };
      header?: never;
      path: {
        tenantId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RunLogPageDto'];
        };
      };
    };
  };
  RunsController_events: {
    parameters: {
      query?: never;
      header?: {
        /** @description The id of the last `log` event received; only later entries are sent. */
        'Last-Event-ID'?: string;
      };
      path: {
        tenantId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The event stream. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/event-stream': unknown;
        };
      };
      /** @description No such run in this tenant. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  MessagesController_list: {
    parameters: {
      query?: {
        /** @description Only messages of this archive mailbox. */
        mailboxId?: string;
        /** @description Only messages of this folder: the whole path as shown in `folder`, exact. */
        folder?: string;
        /** @description Full text over subject, names, addresses, body and attachments’ text (PDF, Word/Excel/PowerPoint, OpenDocument, RTF, text, CSV, HTML, nested messages, ZIP contents), as typed into a search engine: words (all must match), `"a phrase"` (words next to each other, in order), `-excluded` (also `-"a phrase"`), `a or b` (also `OR`, `|`), `prefix*`. Case-insensitive, no stemming; words inside joined tokens match (`spyware` finds `adware/spyware`, `mixed` finds `multipart/mixed`); Chinese, Japanese and Korean words are found without spaces (CJK text is indexed as character bigrams). Addresses match whole or by part (`alice`, `example.com`). Each listed message then has a `snippet`. */
        q?: string;
        /** @description A whole address matches that sender exactly; other text matches part of a sender name or address. */
        from?: string;
        /** @description Like `from`, over the To and Cc recipients. */
        to?: string;
        /** @description Part of the subject, case-insensitive; % and _ are literal. */
        subject?: string;
        /** @description Messages dated at or after this ISO-8601 instant (messages without a usable Date never match). */
        after?: string;
        /** @description Messages dated before this ISO-8601 instant. */
        before?: string;
        /** @description `true`: only messages with an attachment whose text could not be extracted (damaged, encrypted, too large, too slow); `false`: only messages without. */
        unindexedAttachments?: boolean;
        limit?: number;
        /** @description The nextCursor of the previous page (same filters). */
        cursor?: string;
      };
      header?: never;
      path: {
        tenantId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['MessagePageDto'];
        };
      };
    };
  };
  MessagesController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ArchivedMessageDto'];
        };
      };
    };
  };
  MessagesController_raw: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The raw message. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'message/rfc822': unknown;
        };
      };
    };
  };
  MessagesController_attachment: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
        id: string;
        part: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The attachment. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/octet-stream': unknown;
        };
      };
    };
  };
  TextIndexController_status: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TextIndexStatusDto'];
        };
      };
    };
  };
  TextIndexController_reindex: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TextIndexStatusDto'];
        };
      };
    };
  };
  IntegrityChecksController_start: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['IntegrityCheckDto'];
        };
      };
    };
  };
  IntegrityChecksController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        tenantId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['IntegrityCheckDto'];
        };
      };
    };
  };
}
