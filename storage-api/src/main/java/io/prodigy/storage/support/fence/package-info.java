/**
 * The fencing-token check every backend applies to its fenced writes ({@link io.prodigy.storage.support.fence.FenceCheck}).
 */
package io.prodigy.storage.support.fence;
