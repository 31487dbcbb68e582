package io.github.callbacks4j;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** Which {@link Callback} hook methods a class overrides: found once per class, then cached. */
final class OverriddenHooks {
  private static final ClassValue<Set<Hook>> CACHE =
      new ClassValue<>() {
        @Override
        protected Set<Hook> computeValue(Class<?> type) {
          EnumSet<Hook> hooks = EnumSet.noneOf(Hook.class);
          for (Hook hook : Hook.values()) {
            if (overrides(type, hook)) {
              hooks.add(hook);
            }
          }
          return Collections.unmodifiableSet(hooks);
        }
      };

  private OverriddenHooks() {}

  static Set<Hook> of(Class<? extends Callback> type) {
    return CACHE.get(type);
  }

  private static boolean overrides(Class<?> type, Hook hook) {
    try {
      return type.getMethod(hook.methodName(), hook.parameterTypes()).getDeclaringClass()
          != Callback.class;
    } catch (NoSuchMethodException impossible) {
      throw new AssertionError("Callback declares " + hook.methodName(), impossible);
    }
  }
}
