package org.anytls4j.anytls.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.anytls4j.anytls.wire.SocksAddress;
import org.anytls4j.anytls.wire.WireFormatException;

import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** The destination at the start of every stream (spec §8.1), as a client (or anyone on the session) sends it. */
class SocksAddressFuzzTest {

    @FuzzTest(maxDuration = FuzzDurations.MAX)
    void anyBytesGiveAnAddressThatEncodesBackOrAClearRefusal(byte[] bytes) {
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        InetSocketAddress address;
        try {
            address = SocksAddress.tryDecode(in);
        } catch (WireFormatException refused) {
            assertThat(in.readerIndex()).as("nothing consumed on a refusal").isZero();
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        if (address == null) {
            assertThat(in.readerIndex()).as("nothing consumed while incomplete").isZero();
            assertThat(bytes.length).isLessThan(1 + 1 + 255 + 2);
            return;
        }
        int consumed = in.readerIndex();
        assertThat(consumed).isBetween(1 + 2 + 2, 1 + 1 + 255 + 2);
        assertThat(address.getPort()).isBetween(0, 65535);

        ByteBuf out = Unpooled.buffer();
        try {
            SocksAddress.encode(out, address);
        } catch (IllegalArgumentException refused) {
            // The decoder accepts one trailing dot (as Go does); the encoder refuses it (sing does): nothing else.
            assertThat(address.getHostString()).endsWith(".");
            return;
        }
        assertThat(out.readableBytes()).isEqualTo(SocksAddress.encodedLength(address));
        assertThat(SocksAddress.decode(out)).isEqualTo(address);
        assertThat(out.isReadable()).isFalse();
    }
}
