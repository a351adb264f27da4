package org.anytls4j.itests.felix;

import org.anytls4j.itests.support.AnyTlsFelix;
import org.anytls4j.itests.support.LogCapture;
import org.anytls4j.itests.support.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * The fixture of every test class here: peers outside the framework (echo server, test PKI, AnyTLS servers the
 * subclass adds in its own {@code @BeforeAll}) for the class, and a fresh Felix with the log of
 * {@code org.anytls4j} captured for each test. Failsafe runs each class in its own JVM, so the static peers are
 * never shared between classes.
 */
abstract class FelixIT {
    protected static Peers peers;
    protected AnyTlsFelix felix;
    protected LogCapture log;

    @BeforeAll
    static void startPeers(TestInfo info) {
        peers = new Peers(info.getTestClass().map(Class::getSimpleName).orElse("felix"));
    }

    @AfterAll
    static void stopPeers() {
        peers.close();
    }

    @BeforeEach
    void launchFramework(TestInfo info) throws Exception {
        log = LogCapture.of("org.anytls4j");
        felix = launch(getClass().getSimpleName());
    }

    /** The framework each test gets; the AnyTLS bundle with Declarative Services, Configuration Admin, Metatype. */
    protected AnyTlsFelix launch(String name) throws Exception {
        return AnyTlsFelix.launch(name);
    }

    @AfterEach
    void closeFramework() {
        try {
            if (felix != null) {
                felix.close();
            }
        } finally {
            log.close();
        }
    }
}
