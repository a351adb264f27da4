package org.anytls4j.testkit;

import io.netty.resolver.AbstractAddressResolver;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;

/**
 * Name resolution as a test scripts it: each lookup hands the test a promise of the address, to complete at once,
 * later, or never (a dial that hangs in its lookup). Works on an {@code EmbeddedChannel}'s loop too, which Netty's
 * own group cache cannot use (it watches the loop's termination).
 */
public final class ScriptedResolvers extends AddressResolverGroup<InetSocketAddress> {
    private final Consumer<Promise<InetAddress>> script;

    public ScriptedResolvers(Consumer<Promise<InetAddress>> script) {
        this.script = script;
    }

    @Override
    public AddressResolver<InetSocketAddress> getResolver(EventExecutor executor) {
        return newResolver(executor);
    }

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
        return new AbstractAddressResolver<InetSocketAddress>(executor) {
            @Override
            protected boolean doIsResolved(InetSocketAddress address) {
                return !address.isUnresolved();
            }

            @Override
            protected void doResolve(InetSocketAddress unresolved, Promise<InetSocketAddress> promise) {
                Promise<InetAddress> address = executor().newPromise();
                address.addListener(done -> {
                    if (done.isSuccess()) {
                        promise.setSuccess(new InetSocketAddress(address.getNow(), unresolved.getPort()));
                    } else {
                        promise.setFailure(done.cause());
                    }
                });
                script.accept(address);
            }

            @Override
            protected void doResolveAll(InetSocketAddress unresolved, Promise<List<InetSocketAddress>> promise) {
                promise.setFailure(new UnsupportedOperationException("resolveAll"));
            }
        };
    }
}
