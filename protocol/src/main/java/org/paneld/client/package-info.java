/**
 * The Java client library: {@link org.paneld.client.PaneldClient} (a connection, over the Unix
 * socket with shared-memory buffers or over TCP with inline pixels), {@link org.paneld.client.Session}
 * (an open device, the client's "fd"), {@link org.paneld.client.Buffer} (display-sized pixels,
 * mapped when shared), {@link org.paneld.client.EventListener}. Every request has a blocking and a
 * CompletableFuture form; sessions and buffers are AutoCloseable.
 */
package org.paneld.client;
