/**
 * The paneld wire protocol, version 1 (specified in {@code protocol/PROTOCOL.md}): the messages
 * ({@link org.paneld.protocol.Message}), the codec ({@link org.paneld.protocol.Codec}) with its
 * decode-time limits, the Netty frame decoder/encoder, and the error codes. Depends on Netty only;
 * shared by the Java client and the daemon's server. Stateless; any thread.
 */
package org.paneld.protocol;
