package dev.clickstream.testsupport.chdb;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The session of {@link WithChdb}: kept in the test class's store, so JUnit closes it when the class is done and
 * the next class can open its own (chDB allows one open session per process).
 */
public final class ChdbExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ChdbSession.class);

    /** Closes the session with the class's store. */
    private record Held(ChdbSession session) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            session.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ChdbSession.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        return classContext.getStore(NAMESPACE)
                .getOrComputeIfAbsent("session", key -> new Held(ChdbSession.open()), Held.class).session();
    }
}
