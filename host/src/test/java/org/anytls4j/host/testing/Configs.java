package org.anytls4j.host.testing;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * Instances of DS configuration {@code @interface}s from property maps, as SCR makes them: a method reads the
 * property of its DS name ({@code _users} is {@code .users}, {@code outbound_target} is {@code outbound.target}) or
 * falls back to its default.
 */
public final class Configs {
    private Configs() {
    }

    public static <A> A of(Class<A> type, Map<String, Object> properties) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("toString") ? type.getSimpleName() + properties.keySet()
                        : method.getName().equals("hashCode") ? System.identityHashCode(proxy) : proxy == args[0];
            }
            String name = propertyName(method);
            return properties.containsKey(name) ? properties.get(name) : method.getDefaultValue();
        }));
    }

    private static String propertyName(Method method) {
        return method.getName().replace("__", "\u0000").replace('_', '.').replace('\u0000', '_');
    }
}
