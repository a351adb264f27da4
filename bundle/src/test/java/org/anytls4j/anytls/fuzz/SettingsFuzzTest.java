package org.anytls4j.anytls.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import org.anytls4j.anytls.wire.Settings;

import java.util.Map;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/** The key=value text of Settings and ServerSettings bodies (spec §6), as either peer may send it. */
class SettingsFuzzTest {

    @FuzzTest(maxDuration = FuzzDurations.MAX)
    void anyBodyParsesToEntriesThatFormatBackToThemselves(byte[] body) {
        Map<String, String> settings = Settings.parse(body);
        assertThat(Settings.parse(Unpooled.wrappedBuffer(body))).isEqualTo(settings);
        boolean formattable = true;
        for (Map.Entry<String, String> entry : settings.entrySet()) {
            assertThat(entry.getKey()).doesNotContain("=", "\n");
            assertThat(entry.getValue()).doesNotContain("\n");
            formattable &= !entry.getKey().isEmpty();
        }
        OptionalInt version = Settings.version(settings);
        if (version.isPresent()) {
            assertThat(settings.get(Settings.KEY_VERSION)).matches("[+-]?[0-9]+");
        }
        if (formattable) {
            assertThat(Settings.parse(Settings.format(settings))).isEqualTo(settings);
        }
    }
}
