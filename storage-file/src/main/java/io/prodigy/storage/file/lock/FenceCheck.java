package io.prodigy.storage.file.lock;

import io.prodigy.storage.error.FencingException;
import io.prodigy.storage.file.layout.StorageLayout;
import io.prodigy.storage.lock.Fence;

/**
 * Checks a {@link Fence} against the lock file of its key. Callers run it while holding the guard of the record
 * they are about to write, and write before releasing that guard: a grant that happens after the check is then
 * ordered after the write, and every later write with the superseded token is rejected.
 */
public final class FenceCheck {

    private final StorageLayout layout;

    public FenceCheck(StorageLayout layout) {
        this.layout = layout;
    }

    /**
     * @param recordKey what is being written, for the message ("session 'x'")
     * @throws FencingException if the key has been granted with a higher token since
     */
    public void check(Fence fence, String recordKey) {
        if (fence == null || fence.isNone()) {
            return;
        }
        long current = FileLockService.readLease(layout.lockFile(fence.lockKey()))
                .map(LeaseRecord::fencingToken).orElse(0L);
        if (current > fence.token()) {
            throw new FencingException(recordKey, fence.lockKey(), fence.token(), current);
        }
    }
}
