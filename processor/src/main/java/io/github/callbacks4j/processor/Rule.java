package io.github.callbacks4j.processor;

/** Each rule the processor checks, with the stable id its diagnostics carry in brackets. */
enum Rule {
  BAD_MODIFIER("bad-modifier"),
  BAD_RETURN("bad-return"),
  BAD_PARAMETER("bad-parameter"),
  DUPLICATE_PARAMETER("duplicate-parameter"),
  BAD_METRIC_TYPE("bad-metric-type"),
  EMPTY_METRIC_KEY("empty-metric-key"),
  METRIC_KEY_WHITESPACE("metric-key-whitespace"),
  METRIC_NEVER_LOGGED("metric-never-logged"),
  METRIC_WITHOUT_HOOK("metric-without-hook"),
  GENERIC_METHOD("generic-method"),
  BAD_CLASS("bad-class"),
  INACCESSIBLE_METHOD("inaccessible-method"),
  UNDEFINED_TYPE("undefined-type");

  private final String id;

  Rule(String id) {
    this.id = "callbacks4j." + id;
  }

  /** The message as printed: {@code [callbacks4j.bad-parameter] text}. */
  String format(String text) {
    return "[" + id + "] " + text;
  }
}
