/** Injection token of the catalog's BlobStore (createBlobStore over its env). */
export const BLOB_STORE = Symbol('mailkeep:catalog-blob-store');
