package org.paneld.protocol;

import java.util.Optional;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Names the seeds of jqwik properties (registered for every property in
 * META-INF/services/net.jqwik.api.lifecycle.LifecycleHook). A failing property's failure message
 * ends with its seed and the command that re-runs it; with {@code JQWIK_SEED} in the environment
 * (or {@code -Djqwik.seed=...} on the mvn command line) every property of the run uses that seed.
 * Stateless; jqwik's thread.
 */
public final class JqwikSeed implements AroundPropertyHook {
    /** The seed asked for, or empty: system property {@code jqwik.seed}, else env {@code JQWIK_SEED}. */
    public static Optional<String> requested() {
        String s = System.getProperty("jqwik.seed");
        if (s == null || s.isBlank()) {
            s = System.getenv("JQWIK_SEED");
        }
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
    }

    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        requested().ifPresent(seed -> context.attributes().setSeed(seed));
        PropertyExecutionResult result = property.execute();
        if (result.status() == PropertyExecutionResult.Status.FAILED && result.seed().isPresent()) {
            String seed = result.seed().get();
            Throwable cause = result.throwable().orElse(null);
            AssertionError named = new AssertionError(context.extendedLabel() + " failed with jqwik seed " + seed
                    + "; re-run it with: JQWIK_SEED=" + seed + " mvn -B verify (or .ci/run), or @Property(seed = \""
                    + seed + "\")" + (cause == null ? "" : ": " + cause), cause);
            return result.mapToFailed(named);
        }
        return result;
    }
}
