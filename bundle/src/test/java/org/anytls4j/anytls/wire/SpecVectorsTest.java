package org.anytls4j.anytls.wire;

import static org.anytls4j.anytls.wire.Bytes.ALLOC;
import static org.anytls4j.anytls.wire.Bytes.fromHex;
import static org.anytls4j.anytls.wire.Bytes.hex;
import static org.anytls4j.anytls.wire.Bytes.hexAndRelease;
import static org.anytls4j.anytls.wire.Bytes.zeros;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test vectors 1–18 of spec §17, byte for byte (19 belongs to the padding scheme). */
class SpecVectorsTest {

    private static final String PASSWORD_SHA256 = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8";
    private static final String DEFAULT_SCHEME = "stop=8\n0=30-30\n1=100-400\n"
        + "2=400-500,c,500-1000,c,500-1000,c,500-1000,c,500-1000\n3=9-9,500-1000\n"
        + "4=500-1000\n5=500-1000\n6=500-1000\n7=500-1000";
    private static final String DEFAULT_MD5 = "75cff2ad89aadf5e257059ee571ebe11";
    private static final String SETTINGS_FRAME = "04000000000045763d320a636c69656e743d616e79746c732f302e302e31330a"
        + "70616464696e672d6d64353d3735636666326164383961616466356532353730353965653537316562653131";
    private static final String EXAMPLE_COM_443 = "030b6578616d706c652e636f6d01bb";

    @Test
    void vector01PasswordHash() {
        assertThat(hex(AuthBlock.passwordHash("password"))).isEqualTo(PASSWORD_SHA256);
    }

    @Test
    void vector02AuthBlockWithoutPadding() {
        assertThat(hexAndRelease(AuthBlock.encode(ALLOC, AuthBlock.passwordHash("password"), 0)))
            .isEqualTo(PASSWORD_SHA256 + "0000");
    }

    @Test
    void vector03AuthBlockWithDefaultPadding() {
        String hex = hexAndRelease(AuthBlock.encode(ALLOC, AuthBlock.passwordHash("password"), 30));
        assertThat(hex).isEqualTo(PASSWORD_SHA256 + "001e" + zeros(30)).hasSize(2 * 64);
    }

    @Test
    void vector04DefaultSchemeMd5IsOverTheRawBytesWithoutTrailingNewline() throws Exception {
        assertThat(DEFAULT_SCHEME.getBytes(StandardCharsets.US_ASCII)).hasSize(137);
        assertThat(md5(DEFAULT_SCHEME)).isEqualTo(DEFAULT_MD5);
        assertThat(md5(DEFAULT_SCHEME + "\n")).isEqualTo("305fc37916c150b282ecb61e9ee141d7");
    }

    @Test
    void vector05SettingsFrame() {
        String body = Settings.clientSettings("anytls/0.0.13", DEFAULT_MD5);
        assertThat(body.length()).isEqualTo(0x45);
        assertThat(hexAndRelease(Frames.text(ALLOC, Command.SETTINGS, 0, body))).isEqualTo(SETTINGS_FRAME);
    }

    @Test
    void vector05SettingsFrameDecodesToItsKeys() {
        ByteBuf wire = fromHex(SETTINGS_FRAME);
        Frame frame = FrameDecoder.tryDecode(wire);
        try {
            assertThat(frame.command()).isEqualTo(Command.SETTINGS);
            assertThat(Settings.parse(frame.data())).containsExactly(
                Map.entry("v", "2"), Map.entry("client", "anytls/0.0.13"), Map.entry("padding-md5", DEFAULT_MD5));
            assertThat(Settings.version(Settings.parse(frame.data()))).hasValue(2);
        } finally {
            frame.release();
            wire.release();
        }
    }

    @Test
    void vector06Syn() {
        assertThat(hexAndRelease(Frames.control(ALLOC, Command.SYN, 1))).isEqualTo("01000000010000");
    }

    @Test
    void vector07SocksAddresses() throws Exception {
        assertThat(socks(InetSocketAddress.createUnresolved("example.com", 443))).isEqualTo(EXAMPLE_COM_443);
        assertThat(socks(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 80))).isEqualTo("017f0000010050");
        assertThat(socks(new InetSocketAddress(InetAddress.getByName("::1"), 8080)))
            .isEqualTo("04000000000000000000000000000000011f90");
    }

    @Test
    void vector07SocksAddressesDecode() throws Exception {
        assertThat(decodeSocks(EXAMPLE_COM_443)).isEqualTo(InetSocketAddress.createUnresolved("example.com", 443));
        assertThat(decodeSocks("017f0000010050")).isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 80));
        assertThat(decodeSocks("04000000000000000000000000000000011f90"))
            .isEqualTo(new InetSocketAddress(InetAddress.getByName("::1"), 8080));
    }

    @Test
    void vector08PshCarryingTheAddress() {
        assertThat(hexAndRelease(addressPsh())).isEqualTo("0200000001000f" + EXAMPLE_COM_443);
    }

    @Test
    void vector09CompleteFirstSessionWrite() {
        ByteBuf first = ALLOC.compositeBuffer()
            .addComponent(true, Frames.text(ALLOC, Command.SETTINGS, 0, Settings.clientSettings("anytls/0.0.13",
                DEFAULT_MD5)))
            .addComponent(true, Frames.control(ALLOC, Command.SYN, 1))
            .addComponent(true, addressPsh());
        String expected = SETTINGS_FRAME + "010000000100000200000001000f" + EXAMPLE_COM_443;
        assertThat(first.readableBytes()).isEqualTo(105);
        assertThat(ByteBufUtil.hexDump(first)).isEqualTo(expected);

        // Padded to a drawn record size of 200: Waste(200 - 105 - 7 = 88).
        ByteBuf record = ALLOC.compositeBuffer().addComponent(true, first)
            .addComponent(true, Frames.waste(ALLOC, 200 - 105 - FrameHeader.SIZE));
        assertThat(record.readableBytes()).isEqualTo(200);
        assertThat(hexAndRelease(record)).isEqualTo(expected + "00000000000058" + zeros(88));
    }

    @Test
    void vector10Fin() {
        assertThat(hexAndRelease(Frames.control(ALLOC, Command.FIN, 1))).isEqualTo("03000000010000");
    }

    @Test
    void vector11Synack() {
        assertThat(hexAndRelease(Frames.control(ALLOC, Command.SYNACK, 1))).isEqualTo("07000000010000");
        assertThat(hexAndRelease(Frames.text(ALLOC, Command.SYNACK, 1, "dial tcp: refused")))
            .isEqualTo("070000000100116469616c207463703a2072656675736564");
    }

    @Test
    void vector12Heartbeats() {
        assertThat(hexAndRelease(Frames.control(ALLOC, Command.HEART_REQUEST, 0))).isEqualTo("08000000000000");
        assertThat(hexAndRelease(Frames.control(ALLOC, Command.HEART_RESPONSE, 0))).isEqualTo("09000000000000");
    }

    @Test
    void vector13ServerSettings() {
        assertThat(hexAndRelease(Frames.text(ALLOC, Command.SERVER_SETTINGS, 0, Settings.SERVER_SETTINGS_V2)))
            .isEqualTo("0a000000000003763d32");
    }

    @Test
    void vector14Alert() {
        assertThat(hexAndRelease(Frames.text(ALLOC, Command.ALERT, 0, "client did not send its settings")))
            .isEqualTo("05000000000020636c69656e7420646964206e6f742073656e64206974732073657474696e6773");
    }

    @Test
    void vector15Waste() {
        assertThat(hexAndRelease(Frames.waste(ALLOC, 5))).isEqualTo("000000000000050000000000");
    }

    @Test
    void vector16UotMagicDestinations() {
        assertThat(socks(UdpOverTcp.V2_DESTINATION))
            .isEqualTo("031773702e76322e7564702d6f7665722d7463702e617270610000");
        assertThat(socks(UdpOverTcp.V1_DESTINATION))
            .isEqualTo("031473702e7564702d6f7665722d7463702e617270610000");
        assertThat(decodeSocks("031773702e76322e7564702d6f7665722d7463702e617270610000"))
            .isEqualTo(UdpOverTcp.V2_DESTINATION);
    }

    @Test
    void vector17UotRequests() throws Exception {
        InetSocketAddress dns = new InetSocketAddress(InetAddress.getByName("8.8.8.8"), 53);
        assertThat(request(false, dns)).isEqualTo("0001080808080035");
        assertThat(request(true, dns)).isEqualTo("0101080808080035");
    }

    @Test
    void vector18UotPackets() throws Exception {
        assertThat(hexAndRelease(UdpOverTcp.connectPacket(ALLOC, fromHex("abcdef")))).isEqualTo("0003abcdef");
        assertThat(packet(new InetSocketAddress(InetAddress.getByName("8.8.8.8"), 53)))
            .isEqualTo("000808080800350003abcdef");
        assertThat(packet(new InetSocketAddress(InetAddress.getByName("::1"), 53)))
            .isEqualTo("010000000000000000000000000000000100350003abcdef");
        assertThat(packet(InetSocketAddress.createUnresolved("example.com", 53)))
            .isEqualTo("020b6578616d706c652e636f6d00350003abcdef");
    }

    private static ByteBuf addressPsh() {
        ByteBuf address = ALLOC.buffer();
        SocksAddress.encode(address, InetSocketAddress.createUnresolved("example.com", 443));
        return Frames.psh(ALLOC, 1, address);
    }

    private static String socks(InetSocketAddress address) {
        ByteBuf out = ALLOC.buffer();
        SocksAddress.encode(out, address);
        assertThat(out.readableBytes()).isEqualTo(SocksAddress.encodedLength(address));
        return hexAndRelease(out);
    }

    private static InetSocketAddress decodeSocks(String hex) {
        ByteBuf in = fromHex(hex);
        try {
            InetSocketAddress address = SocksAddress.decode(in);
            assertThat(in.isReadable()).isFalse();
            return address;
        } finally {
            in.release();
        }
    }

    private static String request(boolean connect, InetSocketAddress destination) {
        ByteBuf out = ALLOC.buffer();
        UdpOverTcp.encodeRequest(out, connect, destination);
        return hexAndRelease(out);
    }

    private static String packet(InetSocketAddress peer) {
        return hexAndRelease(UdpOverTcp.packet(ALLOC, peer, fromHex("abcdef")));
    }

    private static String md5(String text) throws Exception {
        return hex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.US_ASCII)));
    }
}
