package org.anytls4j.transport.api.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.anytls4j.transport.api.Destination;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TransportDatagramTest {
    private static final Destination PEER = Destination.ofHost("dns.example", 53);

    private TransportDatagram datagram;

    @AfterEach
    void releaseWhatTheTestStillHolds() {
        if (datagram != null && datagram.refCnt() > 0) {
            datagram.release(datagram.refCnt());
        }
    }

    /** Direct and pooled, so that Netty's leak detector tracks it (unpooled heap buffers are not tracked). */
    private static ByteBuf payload(String text) {
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(text.length());
        buffer.writeCharSequence(text, StandardCharsets.US_ASCII);
        return buffer;
    }

    @Test
    void carriesPayloadAndPeer() {
        datagram = new TransportDatagram(payload("query"), PEER);

        assertThat(datagram.peer()).isEqualTo(PEER);
        assertThat(datagram.content().toString(StandardCharsets.US_ASCII)).isEqualTo("query");
        assertThat(datagram.toString()).contains("dns.example:53");
    }

    @Test
    void releaseFreesTheContent() {
        ByteBuf content = payload("x");
        datagram = new TransportDatagram(content, PEER);

        assertThat(datagram.release()).isTrue();

        assertThat(content.refCnt()).isZero();
    }

    @Test
    void retainAndTouchReturnTheSameDatagram() {
        datagram = new TransportDatagram(payload("x"), PEER);

        TransportDatagram retained = datagram.retain().touch("hint").touch().retain(2);

        assertThat(retained).isSameAs(datagram);
        assertThat(datagram.refCnt()).isEqualTo(4);
        assertThat(datagram.release(3)).isFalse();
        assertThat(datagram.refCnt()).isEqualTo(1);
    }

    @Test
    void copyIsIndependentAndKeepsThePeer() {
        datagram = new TransportDatagram(payload("abc"), PEER);

        TransportDatagram copy = datagram.copy();
        try {
            copy.content().setByte(0, 'z');

            assertThat(copy.peer()).isEqualTo(PEER);
            assertThat(copy.refCnt()).isEqualTo(1);
            assertThat(datagram.content().toString(StandardCharsets.US_ASCII)).isEqualTo("abc");
            assertThat(copy.content().toString(StandardCharsets.US_ASCII)).isEqualTo("zbc");
        } finally {
            copy.release();
        }
    }

    @Test
    void duplicateSharesContentAndReferenceCount() {
        datagram = new TransportDatagram(payload("abc"), PEER);

        TransportDatagram duplicate = datagram.duplicate();

        assertThat(duplicate).isNotSameAs(datagram).isEqualTo(datagram);
        assertThat(duplicate.peer()).isEqualTo(PEER);
        datagram.content().setByte(0, 'z');
        assertThat(duplicate.content().getByte(0)).isEqualTo((byte) 'z');
        assertThat(duplicate.refCnt()).isEqualTo(1);
    }

    @Test
    void retainedDuplicateHoldsItsOwnReference() {
        datagram = new TransportDatagram(payload("abc"), PEER);

        TransportDatagram duplicate = datagram.retainedDuplicate();
        datagram.release();

        assertThat(duplicate.peer()).isEqualTo(PEER);
        assertThat(duplicate.content().toString(StandardCharsets.US_ASCII)).isEqualTo("abc");
        assertThat(duplicate.release()).isTrue();
    }

    @Test
    void replaceKeepsThePeerAndTakesTheNewContent() {
        datagram = new TransportDatagram(payload("old"), PEER);

        TransportDatagram replaced = datagram.replace(payload("new"));
        try {
            assertThat(replaced.peer()).isEqualTo(PEER);
            assertThat(replaced.content().toString(StandardCharsets.US_ASCII)).isEqualTo("new");
            assertThat(datagram.content().toString(StandardCharsets.US_ASCII)).isEqualTo("old");
        } finally {
            replaced.release();
        }
    }

    @Test
    void equalityNeedsSamePayloadAndPeer() {
        datagram = new TransportDatagram(payload("abc"), PEER);
        TransportDatagram samePayloadSamePeer = new TransportDatagram(payload("abc"), PEER);
        TransportDatagram otherPeer = new TransportDatagram(payload("abc"), Destination.ofHost("1.1.1.1", 53));
        try {
            assertThat(datagram).isEqualTo(samePayloadSamePeer).hasSameHashCodeAs(samePayloadSamePeer);
            assertThat(datagram).isNotEqualTo(otherPeer);
        } finally {
            samePayloadSamePeer.release();
            otherPeer.release();
        }
    }

    @Test
    void peerIsRequired() {
        ByteBuf content = payload("x");
        try {
            assertThatThrownBy(() -> new TransportDatagram(content, null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("peer");
        } finally {
            content.release();
        }
    }
}
