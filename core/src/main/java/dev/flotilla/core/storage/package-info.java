/**
 * Object storage: the {@link dev.flotilla.core.storage.ObjectStore} abstraction (S3 through MinIO,
 * or memory), the fixed key layout of a federation ({@link
 * dev.flotilla.core.storage.StorageLayout}) and the schema-versioned JSON documents stored in it:
 * the round plan, the trainers' metrics and the round manifest (the commit marker), read and
 * written through {@link dev.flotilla.core.storage.RoundStore}.
 */
package dev.flotilla.core.storage;
