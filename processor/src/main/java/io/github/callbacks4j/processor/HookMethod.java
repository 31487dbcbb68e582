package io.github.callbacks4j.processor;

import io.github.callbacks4j.Hook;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/** A valid hook method: which hooks it runs on and what each parameter receives. */
record HookMethod(ExecutableElement element, Set<Hook> hooks, List<Argument> arguments) {

  /** What the adapter passes for one parameter. */
  record Argument(Kind kind, String metricKey) {
    enum Kind {
      INDEX,
      LOGS,
      MODEL,
      PARAMS,
      METRIC_DOUBLE,
      METRIC_OPTIONAL
    }

    static Argument of(Kind kind) {
      return new Argument(kind, null);
    }
  }

  String name() {
    return element.getSimpleName().toString();
  }

  TypeElement declaringType() {
    return (TypeElement) element.getEnclosingElement();
  }

  boolean uses(Argument.Kind kind) {
    return arguments.stream().anyMatch(argument -> argument.kind() == kind);
  }

  /** The same method, now called for {@code extraHooks} as well. */
  HookMethod withHooks(Set<Hook> extraHooks) {
    EnumSet<Hook> all = EnumSet.copyOf(hooks);
    all.addAll(extraHooks);
    return new HookMethod(element, all, arguments);
  }
}
