/**
 * The servers the tests of the distributed backends run against, found once per test JVM: {@link
 * io.prodigy.storage.testservers.TestServers} is the entry point. Test support only: modules depend on it in test
 * scope; nothing here ships in a product.
 */
package io.prodigy.storage.testservers;
