/**
 * The TLS layer under an AnyTLS session, for both sides: client contexts and handlers (SNI, verification,
 * SPKI pins, ALPN, handshake timeout), server contexts from PEM files that are reloaded when the files change,
 * and a self-signed certificate when none is configured.
 *
 * <p>Nothing here knows about OSGi or about the AnyTLS frame layer; TLS is configured separately from the
 * protocol (spec §2).
 */
package org.anytls4j.anytls.tls;
