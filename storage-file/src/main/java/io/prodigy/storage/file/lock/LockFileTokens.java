package io.prodigy.storage.file.lock;

import io.prodigy.storage.file.layout.StorageLayout;
import io.prodigy.storage.support.fence.FenceCheck;

/**
 * The fence check's primitive for the file store: the highest token granted for a key is the one in its lock file
 * (grants only ever raise it, and the file is never deleted). Stores run {@link FenceCheck#check} while holding the
 * guard of what they are about to write, and write before releasing it: a grant that happens after the check is then
 * ordered after the write, and every later write with the superseded token is rejected
 * ({@link io.prodigy.storage.Capability#ATOMIC_FENCING}).
 */
public final class LockFileTokens implements FenceCheck {

    private final StorageLayout layout;

    public LockFileTokens(StorageLayout layout) {
        this.layout = layout;
    }

    @Override
    public long highestToken(String lockKey) {
        return FileLockService.readLease(layout.lockFile(lockKey)).map(LeaseRecord::fencingToken).orElse(0L);
    }
}
