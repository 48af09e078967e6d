/**
 * Fault injection for storage tests: {@link io.prodigy.storage.tck.fault.FaultInjectingStorage} wraps any backend
 * and makes chosen calls fail, fail after being applied, or run slow, recording every call. Use it to test code
 * above the SPI (the resilience layers, a workflow engine's recovery) and a backend's behaviour under failure.
 */
package io.prodigy.storage.tck.fault;
