/** Injection token of the catalog's BlobDriver (createBlobDriver over its env: reads and whole segments). */
export const BLOB_STORE = Symbol('mailkeep:catalog-blob-store');
