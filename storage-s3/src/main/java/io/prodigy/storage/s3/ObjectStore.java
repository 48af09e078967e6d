package io.prodigy.storage.s3;

import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.StorageException;
import io.prodigy.storage.error.StorageUnavailableException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The handful of S3 requests the backend is built from, with one error mapping. Every other class talks to S3
 * through this one, so the request cost of an operation is the sum of the calls it makes here.
 *
 * <p>The one concurrency primitive is {@link #createIfAbsent}: {@code PutObject} with {@code If-None-Match: *}, which
 * S3 applies atomically (one of several racing writers wins, the others get 412). Nothing here relies on
 * {@code If-Match}, which several S3-compatible servers do not apply atomically.
 *
 * <p>Retries of transient failures (5xx, 503 SlowDown, timeouts, broken connections) happen inside the SDK client,
 * per {@code storage.retry_policy}. What reaches this class has exhausted them and becomes a
 * {@link StorageUnavailableException}.
 */
final class ObjectStore {

    /** An object as LIST reports it. {@code eTag} without quotes. */
    record Listed(String key, long size, String eTag, Instant lastModified) {}

    /** One page of a listing under a prefix, with the server's time when it answered (from the Date header). */
    record Page(List<Listed> objects, Instant serverTime) {}

    /** Attempts made when S3 answers 409 ConditionalRequestConflict (a concurrent conditional write in flight). */
    private static final int CONFLICT_ATTEMPTS = 8;

    private final S3Client s3;
    private final String bucket;

    ObjectStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    String bucket() {
        return bucket;
    }

    /**
     * Creates {@code key} only if no object has that key ({@code If-None-Match: *}).
     *
     * @return the new object's ETag (without quotes) if this call created it, {@code null} if the key already
     *         existed (412). After a retry inside the SDK the 412 may be this call's own earlier attempt: callers
     *         read the object and compare it with what they wrote (every body carries a random write id, so equal
     *         bytes mean "mine")
     */
    String createIfAbsent(String key, byte[] body, Map<String, String> metadata) {
        for (int attempt = 1; ; attempt++) {
            try {
                PutObjectResponse r = s3.putObject(b -> b.bucket(bucket).key(key).ifNoneMatch("*")
                        .metadata(metadata).contentType("application/json"), RequestBody.fromBytes(body));
                return r.eTag() == null ? "" : r.eTag().replace("\"", "");
            } catch (S3Exception e) {
                if (e.statusCode() == 412) {
                    return null;
                }
                // 409: another conditional write to the key is in flight; it was not applied, so try again.
                if (e.statusCode() == 409 && attempt < CONFLICT_ATTEMPTS) {
                    pause(attempt);
                    continue;
                }
                throw map("create " + key, e, true);
            } catch (SdkException e) {
                throw map("create " + key, e, true);
            }
        }
    }

    /** Writes {@code key} whatever is there (used only where last-writer-wins is the documented behaviour). */
    void put(String key, byte[] body, Map<String, String> metadata) {
        call("write " + key, true, () -> s3.putObject(b -> b.bucket(bucket).key(key).metadata(metadata)
                .contentType("application/json"), RequestBody.fromBytes(body)));
    }

    /** An object's bytes with its ETag (without quotes). */
    record Fetched(byte[] bytes, String eTag) {}

    /** The object's bytes, or empty if there is none. */
    Optional<byte[]> get(String key) {
        return fetch(key).map(Fetched::bytes);
    }

    /** The object's bytes and ETag, or empty if there is none. */
    Optional<Fetched> fetch(String key) {
        try {
            ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
            String etag = bytes.response().eTag() == null ? "" : bytes.response().eTag().replace("\"", "");
            return Optional.of(new Fetched(bytes.asByteArrayUnsafe(), etag));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && !isNoSuchBucket(e)) {
                return Optional.empty();
            }
            throw map("read " + key, e, false);
        } catch (SdkException e) {
            throw map("read " + key, e, false);
        }
    }

    /** The object's user metadata, or empty if there is none. */
    Optional<Map<String, String>> headMetadata(String key) {
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
            return Optional.of(head.metadata());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw map("read " + key, e, false);
        } catch (SdkException e) {
            throw map("read " + key, e, false);
        }
    }

    /** Deletes {@code keys} in batches of 1,000 (one DeleteObjects request each). Missing keys are fine. */
    void deleteAll(Collection<String> keys) {
        List<String> all = new ArrayList<>(keys);
        for (int from = 0; from < all.size(); from += 1000) {
            List<ObjectIdentifier> batch = all.subList(from, Math.min(all.size(), from + 1000)).stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
            DeleteObjectsResponse response = call("delete " + batch.size() + " objects", true,
                    () -> s3.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder().objects(batch)
                            .quiet(true).build())));
            if (response.hasErrors() && !response.errors().isEmpty()) {
                var first = response.errors().get(0);
                throw StorageUnavailableException.outcomeUnknown("S3 bucket '" + bucket + "' refused to delete "
                        + response.errors().size() + " of " + batch.size() + " objects (first: " + first.key()
                        + ": " + first.code() + " " + first.message() + "). The outcome of the call is unknown;"
                        + " it is safe to repeat it.", null);
            }
        }
    }

    void delete(String key) {
        call("delete " + key, true, () -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
    }

    /**
     * One page of the objects under {@code prefix} after {@code startAfter} (exclusive; {@code null} for the start),
     * in key order (UTF-8 bytes), at most {@code max} keys (S3 caps it at 1,000).
     */
    Page page(String prefix, String startAfter, int max) {
        ListObjectsV2Response r = call("list " + prefix, false, () -> s3.listObjectsV2(
                ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).startAfter(startAfter)
                        .maxKeys(max).build()));
        return new Page(r.contents().stream().map(ObjectStore::listed).toList(), serverTime(r.sdkHttpResponse()));
    }

    /**
     * Every object under {@code prefix} after {@code startAfter}, in key order, read lazily a page (1,000 keys, one
     * LIST request) at a time as the stream is consumed.
     */
    Stream<Listed> list(String prefix, String startAfter) {
        Iterator<Listed> it = new Iterator<>() {
            private Iterator<Listed> page = List.<Listed>of().iterator();
            private String after = startAfter;
            private boolean more = true;

            @Override
            public boolean hasNext() {
                while (!page.hasNext() && more) {
                    Page p = page(prefix, after, 1000);
                    more = p.objects().size() == 1000;
                    if (!p.objects().isEmpty()) {
                        after = p.objects().get(p.objects().size() - 1).key();
                    }
                    page = p.objects().iterator();
                }
                return page.hasNext();
            }

            @Override
            public Listed next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.next();
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED), false);
    }

    /** Every object under {@code prefix}, read eagerly (one LIST per 1,000 keys), with the first page's time. */
    Page listAll(String prefix) {
        Page first = page(prefix, null, 1000);
        if (first.objects().size() < 1000) {
            return first;
        }
        List<Listed> all = new ArrayList<>(first.objects());
        try (Stream<Listed> rest = list(prefix, all.get(all.size() - 1).key())) {
            rest.forEach(all::add);
        }
        return new Page(all, first.serverTime());
    }

    /**
     * The distinct next path segments under {@code prefix} (LIST with delimiter {@code /}), each without the prefix
     * and the trailing slash, in key order.
     */
    List<String> children(String prefix) {
        List<String> out = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            ListObjectsV2Response r = call("list " + prefix, false, () -> s3.listObjectsV2(
                    ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).delimiter("/")
                            .continuationToken(t).build()));
            for (CommonPrefix cp : r.commonPrefixes()) {
                String p = cp.prefix();
                out.add(p.substring(prefix.length(), p.length() - 1));
            }
            token = Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null;
        } while (token != null);
        return out;
    }

    /**
     * The distinct next path segments under {@code prefix} after {@code startAfter} (exclusive, a full key; {@code
     * null} for all), each without the prefix and the trailing slash, in key order, listed lazily ({@code pageSize}
     * per LIST with delimiter {@code /}).
     */
    Stream<String> children(String prefix, String startAfter, int pageSize) {
        Iterator<String> it = new Iterator<>() {
            private Iterator<String> page = List.<String>of().iterator();
            private String token;
            private boolean more = true;

            @Override
            public boolean hasNext() {
                while (!page.hasNext() && more) {
                    String t = token;
                    ListObjectsV2Response r = call("list " + prefix, false, () -> s3.listObjectsV2(
                            ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).delimiter("/")
                                    .startAfter(t == null ? startAfter : null).continuationToken(t)
                                    .maxKeys(pageSize).build()));
                    List<String> names = new ArrayList<>();
                    for (CommonPrefix cp : r.commonPrefixes()) {
                        String p = cp.prefix();
                        names.add(p.substring(prefix.length(), p.length() - 1));
                    }
                    page = names.iterator();
                    token = Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null;
                    more = token != null;
                }
                return page.hasNext();
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.next();
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED), false);
    }

    private static Listed listed(S3Object o) {
        String etag = o.eTag() == null ? "" : o.eTag().replace("\"", "");
        return new Listed(o.key(), o.size() == null ? 0 : o.size(), etag, o.lastModified());
    }

    /** The server's clock from the response's Date header (1 s resolution), or {@code null} if it sent none. */
    static Instant serverTime(SdkHttpResponse response) {
        if (response == null) {
            return null;
        }
        return response.firstMatchingHeader("Date").map(d -> {
            try {
                return ZonedDateTime.parse(d, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                return null;
            }
        }).orElse(null);
    }

    private <T> T call(String what, boolean write, Supplier<T> request) {
        try {
            return request.get();
        } catch (SdkException e) {
            throw map(what, e, write);
        }
    }

    /**
     * Maps an SDK failure (after the SDK's own retries) to the SPI's errors. Messages name the bucket and the request
     * but never the credentials. A write that failed this way may still have been applied (the response may have
     * been lost), which the message says; the backend's writes are built to be repeated safely.
     */
    StorageException map(String what, SdkException e, boolean write) {
        String outcome = write ? " The write may or may not have been applied; repeating the call is safe." : "";
        if (e instanceof S3Exception s3e) {
            int status = s3e.statusCode();
            String code = s3e.awsErrorDetails() == null ? "" : s3e.awsErrorDetails().errorCode();
            if (isNoSuchBucket(s3e)) {
                return new StorageUnavailableException("S3 bucket '" + bucket + "' does not exist (" + what
                        + "). Create it, or set storage.backend_config.create_bucket to true.", e);
            }
            if (status == 403) {
                return new StorageUnavailableException("S3 denied access to bucket '" + bucket + "' (" + what + ": "
                        + code + "). Check the credentials and the bucket policy.", e);
            }
            if (status == 400 && "EntityTooLarge".equals(code)) {
                return new InvalidInputException("The record is too large for one S3 object (" + what + ").", e);
            }
            String message = "S3 request failed after retries (" + what + ": HTTP " + status + " " + code + ")."
                    + outcome;
            // A 5xx may come after S3 applied a write; a 4xx means it was refused.
            return write && status >= 500 ? StorageUnavailableException.outcomeUnknown(message, e)
                    : new StorageUnavailableException(message, e);
        }
        String message = "S3 could not be reached (" + what + ": " + e.getMessage() + ")." + outcome;
        return write ? StorageUnavailableException.outcomeUnknown(message, e)
                : new StorageUnavailableException(message, e);
    }

    static boolean isNoSuchBucket(S3Exception e) {
        return e.awsErrorDetails() != null && "NoSuchBucket".equals(e.awsErrorDetails().errorCode());
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(Math.min(200, 5L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException("Interrupted while waiting to repeat an S3 write.", e);
        }
    }
}
