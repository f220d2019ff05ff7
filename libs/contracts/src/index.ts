// class-transformer's @Type reads design-time metadata.
import 'reflect-metadata';

export * from './archive/index.js';
export * from './catalog/index.js';
export * from './core/buckets.js';
export * from './core/contract.js';
export * from './core/describe.js';
export * from './core/entra-guid.js';
export * from './core/max-chars.js';
export * from './core/optional.js';
export * from './core/errors.js';
export * from './core/ids.js';
export * from './core/list-request.js';
export * from './core/streams.js';
export * from './directory/index.js';
export * from './platform/find-references/find-references.contract.js';
export * from './platform/service-ping/service-ping.contract.js';
export * from './profiles/index.js';
export * from './scheduler/index.js';
export * from './secrets/index.js';
export * from './tenant/tenant-created/tenant-created.contract.js';
export * from './tenant/tenant-deleted/tenant-deleted.contract.js';
export { ALL_CONTRACTS } from './registry.js';
