/**
 * The {@code s3} backend: prodigy-storage on S3 or an S3-compatible object store, built on one atomic primitive,
 * the create-only {@code PutObject} ({@code If-None-Match: *}). Mutable records are chains of generation objects,
 * event logs are create-only segments keyed by their first sequence. docs/s3.md describes the layout, the request
 * cost of every operation, what is atomic and what is not, and the clock.
 */
package io.prodigy.storage.s3;
