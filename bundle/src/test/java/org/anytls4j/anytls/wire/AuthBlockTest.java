package org.anytls4j.anytls.wire;

import static org.anytls4j.anytls.wire.Bytes.ALLOC;
import static org.anytls4j.anytls.wire.Bytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class AuthBlockTest {

    private static final byte[] HASH = AuthBlock.passwordHash("golden-pw");

    @Test
    void passwordHashIsSha256OfUtf8() {
        assertThat(hex(HASH)).isEqualTo("6792ad6f14cd875b809a882438ca374b42be7e641c40c7f45224deb95c190bde");
        // sha256 of c3 a9 (UTF-8), not of e9 (Latin-1: de2e331d...)
        assertThat(hex(AuthBlock.passwordHash("\u00e9")))
            .isEqualTo("4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c");
    }

    @Test
    void negativePaddingLengthIsWrittenAsZero() {
        ByteBuf block = AuthBlock.encode(ALLOC, HASH, -1);
        try {
            assertThat(block.readableBytes()).isEqualTo(AuthBlock.HEADER_LENGTH);
            assertThat(block.getUnsignedShort(32)).isZero();
        } finally {
            block.release();
        }
    }

    @Test
    void paddingUpTo65535() {
        ByteBuf block = AuthBlock.encode(ALLOC, HASH, 65535);
        try {
            assertThat(block.readableBytes()).isEqualTo(34 + 65535);
            assertThat(block.getUnsignedShort(32)).isEqualTo(65535);
        } finally {
            block.release();
        }
        assertThatIllegalArgumentException().isThrownBy(() -> AuthBlock.encode(ALLOC, HASH, 65536))
            .withMessageContaining("65536");
        assertThatIllegalArgumentException().isThrownBy(() -> AuthBlock.encode(ALLOC, new byte[31], 0))
            .withMessageContaining("got 31");
    }

    @Test
    void parseWaitsForTheWholePaddingWithoutConsumingAnything() {
        byte[] block = ByteBufUtil.getBytes(bufferOf(AuthBlock.encode(ALLOC, HASH, 100)));
        ByteBuf in = Unpooled.buffer();
        for (int available = 0; available < block.length; available++) {
            AuthBlock.Parse parse = AuthBlock.parse(in);
            assertThat(parse.status()).as("%d bytes", available).isEqualTo(AuthBlock.Parse.Status.NEED_MORE);
            assertThat(parse.requiredLength()).isEqualTo(available < 34 ? 34 : 134);
            assertThat(in.readerIndex()).isZero();
            in.writeByte(block[available]);
        }
        AuthBlock.Parse parse = AuthBlock.parse(in);
        assertThat(parse.isComplete()).isTrue();
        assertThat(parse.paddingLength()).isEqualTo(100);
        assertThat(parse.totalLength()).isEqualTo(134);
        assertThat(parse.hash()).isEqualTo(HASH);
        assertThat(parse.hashMatches(HASH)).isTrue();
        assertThat(parse.hashMatches(AuthBlock.passwordHash("wrong-pw"))).isFalse();
        assertThat(in.readerIndex()).isZero();
        in.release();
    }

    @Test
    void framesAfterThePaddingInTheSameRecordAreNotPartOfTheBlock() {
        ByteBuf in = bufferOf(AuthBlock.encode(ALLOC, HASH, 30)).writeBytes(ByteBufUtil.decodeHexDump("01000000010000"));
        try {
            AuthBlock.Parse parse = AuthBlock.parse(in);
            assertThat(parse.totalLength()).isEqualTo(64);
            in.skipBytes(parse.totalLength());
            Frame syn = FrameDecoder.tryDecode(in);
            assertThat(syn).hasToString("SYN sid=1 len=0");
            syn.release();
        } finally {
            in.release();
        }
    }

    @Test
    void matchesComparesAtAnIndexWithoutMovingIt() {
        ByteBuf in = Unpooled.buffer().writeByte(0xEE).writeBytes(HASH);
        try {
            assertThat(AuthBlock.matches(HASH, in, 1)).isTrue();
            assertThat(AuthBlock.matches(HASH, in, 0)).isFalse();
            assertThat(in.readerIndex()).isZero();
        } finally {
            in.release();
        }
    }

    @Test
    void incompleteParseHasNoHash() {
        ByteBuf in = Unpooled.buffer().writeBytes(HASH);
        try {
            AuthBlock.Parse parse = AuthBlock.parse(in);
            assertThat(parse.paddingLength()).isEqualTo(-1);
            assertThatIllegalStateException().isThrownBy(parse::hash).withMessageContaining("need 34 bytes");
            assertThatIllegalStateException().isThrownBy(parse::totalLength);
        } finally {
            in.release();
        }
    }

    @Test
    void toStringNeverShowsTheHash() {
        ByteBuf in = bufferOf(AuthBlock.encode(ALLOC, HASH, 0));
        try {
            assertThat(AuthBlock.parse(in).toString()).doesNotContain(hex(HASH).substring(0, 8))
                .contains("COMPLETE");
        } finally {
            in.release();
        }
    }

    /** An unpooled, writable copy, releasing the encoder's buffer. */
    private static ByteBuf bufferOf(ByteBuf encoded) {
        try {
            return Unpooled.buffer().writeBytes(encoded);
        } finally {
            encoded.release();
        }
    }
}
