package io.github.callbacks4j.processor;

import java.util.ArrayList;
import java.util.List;

/** Test sources compiled through the processor record their hook calls here. */
public final class Recorder {
  public static final List<String> CALLS = new ArrayList<>();

  private Recorder() {}

  public static void record(String call) {
    CALLS.add(call);
  }
}
