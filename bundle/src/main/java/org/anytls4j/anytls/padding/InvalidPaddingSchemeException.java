package org.anytls4j.anytls.padding;

/** A padding scheme text that a parser refused; the message names the offending line and value. */
public final class InvalidPaddingSchemeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidPaddingSchemeException(String message) {
        super(message);
    }
}
