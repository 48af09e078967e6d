/** The DLQ claim rules shared by every backend ({@link io.prodigy.storage.support.dlq.DlqClaims}). */
package io.prodigy.storage.support.dlq;
