package org.anytls4j.anytls.wire;

/**
 * The command byte of an AnyTLS frame (spec §5.1).
 *
 * <p>Commands are plain {@code int}s rather than an enum because the wire carries any byte value and a receiver
 * must keep unknown commands (they are consumed and ignored, §5.3) without losing their number.
 */
public final class Command {

    public static final int WASTE = 0;
    public static final int SYN = 1;
    public static final int PSH = 2;
    public static final int FIN = 3;
    public static final int SETTINGS = 4;
    public static final int ALERT = 5;
    public static final int UPDATE_PADDING_SCHEME = 6;
    /** Protocol v2. */
    public static final int SYNACK = 7;
    /** Protocol v2. */
    public static final int HEART_REQUEST = 8;
    /** Protocol v2. */
    public static final int HEART_RESPONSE = 9;
    /** Protocol v2. */
    public static final int SERVER_SETTINGS = 10;

    /** The largest value the one-byte command field can hold. */
    public static final int MAX_VALUE = 0xFF;

    // The spellings of the reference documentation and of the golden captures, so logs read the same everywhere.
    private static final String[] NAMES = {
        "Waste", "SYN", "PSH", "FIN", "Settings", "Alert", "UpdatePaddingScheme",
        "SYNACK", "HeartRequest", "HeartResponse", "ServerSettings",
    };

    private Command() {
    }

    /** Whether {@code command} is one of the commands defined by protocol v1 or v2. */
    public static boolean isKnown(int command) {
        return command >= 0 && command < NAMES.length;
    }

    /** The protocol name of {@code command}, or {@code "cmd <n>"} for a command this implementation does not know. */
    public static String name(int command) {
        return isKnown(command) ? NAMES[command] : "cmd " + command;
    }

    static int checkCommand(int command) {
        if (command < 0 || command > MAX_VALUE) {
            throw new IllegalArgumentException("command " + command + " does not fit the one-byte command field (0.."
                + MAX_VALUE + ")");
        }
        return command;
    }
}
