package io.github.callbacks4j.processor;

import java.util.ArrayList;
import java.util.List;
import javax.annotation.processing.Messager;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * The diagnostics that validating one class produced, each attached to the most precise element:
 * a method, a parameter, or the class itself. Generation runs only on a clean report.
 */
final class ValidationReport {
  /** One diagnostic. */
  record Item(Diagnostic.Kind kind, Rule rule, String message, Element element) {
    String formatted() {
      return rule.format(message);
    }
  }

  private final List<Item> items = new ArrayList<>();

  void error(Rule rule, Element element, String message) {
    items.add(new Item(Diagnostic.Kind.ERROR, rule, message, element));
  }

  void warning(Rule rule, Element element, String message) {
    items.add(new Item(Diagnostic.Kind.WARNING, rule, message, element));
  }

  List<Item> items() {
    return List.copyOf(items);
  }

  /** True when no item is an error (warnings do not stop generation). */
  boolean isClean() {
    return items.stream().noneMatch(item -> item.kind() == Diagnostic.Kind.ERROR);
  }

  void printTo(Messager messager) {
    for (Item item : items) {
      messager.printMessage(item.kind(), item.formatted(), item.element());
    }
  }
}
