package org.anytls4j.group.core;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.anytls4j.transport.api.OpenRequest;

/**
 * {@code load-balance} by {@code consistent-hashing}: rendezvous hashing of the destination host (not the port, so
 * one site stays on one member and reuses its sessions) with each member's name. While the members are stable a
 * host always gets the same order; when one goes, only the hosts it served move, and they move to their second
 * choice.
 */
final class ConsistentHashingStrategy implements Strategy {
    @Override
    public List<Member> order(List<Member> usable, OpenRequest request) {
        String host = request.destination().host().toLowerCase(Locale.ROOT);
        return usable.stream()
                .sorted(Comparator.comparingLong((Member member) -> score(member.name(), host)).reversed()
                        .thenComparing(Member::name))
                .collect(Collectors.toList());
    }

    @Override
    public Optional<Member> current(List<Member> usable) {
        return Optional.empty();
    }

    /** A 64-bit FNV-1a of both names, finished by a strong mixer so nearby names spread evenly. */
    static long score(String member, String host) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : (member + '\u0000' + host).getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        hash ^= hash >>> 33;
        return hash;
    }
}
