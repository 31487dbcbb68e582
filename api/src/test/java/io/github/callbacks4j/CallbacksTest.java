package io.github.callbacks4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class CallbacksTest {

  static class EpochAndBatchEnd implements Callback {
    @Override
    public void onEpochEnd(int epoch, Logs logs) {}

    @Override
    public void onTrainBatchEnd(int batch, Logs logs) {}
  }

  static class Inherits extends EpochAndBatchEnd {
    @Override
    public void onTrainBegin(Logs logs) {}
  }

  /** A named class of the user's, without hooks: neither kind of callback. */
  static class NoHooks {
    void onEpochEnd(int epoch) {}
  }

  /** Hook annotations, compiled without the processor (the api module has none): no adapter. */
  static class AnnotatedWithoutAdapter {
    @OnEpochEnd
    void epochEnded(int epoch) {}
  }

  static class InheritsAnnotations extends AnnotatedWithoutAdapter {}

  @Test
  void aCallbackIsReturnedAsItIs() {
    Callback callback = new EpochAndBatchEnd();
    assertSame(callback, Callbacks.adapt(callback));
  }

  @Test
  void nullIsRejected() {
    NullPointerException e = assertThrows(NullPointerException.class, () -> Callbacks.adapt(null));
    assertEquals("callback must not be null", e.getMessage());
  }

  @Test
  void plainObjectIsRejectedSayingWhatWouldWork() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Callbacks.adapt(List.of()));
    assertTrue(e.getMessage().contains("is neither a Callback nor a class with hook annotations"),
        e.getMessage());
  }

  @Test
  void aNamedClassWithoutHooksIsNeitherKind() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Callbacks.adapt(new NoHooks()));
    assertTrue(e.getMessage().startsWith(NoHooks.class.getName()
        + " is neither a Callback nor a class with hook annotations"), e.getMessage());
  }

  /**
   * The message names the annotated class, its missing adapter and a likely cause (which one
   * depends on whether the processor is on the classpath), then the plugin block to copy.
   */
  @Test
  void hookAnnotationsWithoutAnAdapterAreExplainedWithThePluginBlock() {
    for (Object callback : List.of(new AnnotatedWithoutAdapter(), new InheritsAnnotations())) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Callbacks.adapt(callback));
      assertTrue(e.getMessage().startsWith(AnnotatedWithoutAdapter.class.getName()
          + " has hook annotations but no generated adapter "
          + "io.github.callbacks4j.CallbacksTest_AnnotatedWithoutAdapter_Callback"
          + ": callbacks4j-processor did not run when it was compiled. Likely cause: "),
          e.getMessage());
      assertTrue(e.getMessage().contains(Callbacks.processorSnippet()), e.getMessage());
    }
  }

  @Test
  void thePluginBlockPinsTheCompilerPluginAndNamesTheProcessorWithThisBuildsVersions() {
    String snippet = Callbacks.processorSnippet().replaceAll("\\s+", "");
    assertTrue(snippet.startsWith("<plugin><groupId>org.apache.maven.plugins</groupId>"
        + "<artifactId>maven-compiler-plugin</artifactId>"
        + "<version>" + BuildInfo.COMPILER_PLUGIN_VERSION + "</version>"), snippet);
    assertTrue(snippet.contains("<annotationProcessorPaths><path>"
        + "<groupId>io.github.callbacks4j</groupId><artifactId>callbacks4j-processor</artifactId>"
        + "<version>" + BuildInfo.VERSION + "</version></path></annotationProcessorPaths>"), snippet);
  }

  @Test
  void aLocalClassWithHookAnnotationsIsToldToBecomeANamedClass() {
    class Local {
      @OnEpochEnd
      void epochEnded(int epoch) {}
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Callbacks.adapt(new Local()));
    assertTrue(e.getMessage().contains(" is a local or anonymous class; hook annotations work"
        + " only on top-level, static nested and inner classes"), e.getMessage());
  }

  @Test
  void handwrittenCallbacksDeclareTheHooksTheyOverrideIncludingInherited() {
    assertEquals(EnumSet.of(Hook.EPOCH_END, Hook.TRAIN_BATCH_END),
        new EpochAndBatchEnd().implementedHooks());
    assertEquals(EnumSet.of(Hook.TRAIN_BEGIN, Hook.EPOCH_END, Hook.TRAIN_BATCH_END),
        new Inherits().implementedHooks());
    assertEquals(EnumSet.noneOf(Hook.class), new Callback() {}.implementedHooks());
  }

  @Test
  void adapterNamesJoinNestedClassNames() {
    assertEquals("io.github.callbacks4j.CallbacksTest_Inherits_Callback",
        Callbacks.adapterName(Inherits.class));
  }

  @Test
  void hookMetadataMatchesTheCallbackInterface() throws NoSuchMethodException {
    for (Hook hook : Hook.values()) {
      Callback.class.getMethod(hook.methodName(), hook.parameterTypes());
      assertEquals("On" + hook.methodName().substring(2), hook.annotation().getSimpleName());
    }
  }

  @Test
  void hookSetOfIsAnUnmodifiableSetInHookOrder() {
    java.util.Set<Hook> hooks = Hook.setOf(Hook.TRAIN_BATCH_END, Hook.TRAIN_BEGIN);
    assertEquals(List.of(Hook.TRAIN_BEGIN, Hook.TRAIN_BATCH_END), List.copyOf(hooks));
    assertThrows(UnsupportedOperationException.class, () -> hooks.add(Hook.EPOCH_END));
  }

  @Test
  void wrapPassesACallbackExceptionThroughAndNamesTheMethodOtherwise() {
    CallbackException inner = new CallbackException("a.Inner", "m", Hook.EPOCH_END,
        new java.io.IOException("disk full"));
    assertSame(inner, CallbackException.wrap(inner, "a.Outer", "n", Hook.TRAIN_END));
    CallbackException wrapped =
        CallbackException.wrap(new IllegalStateException("boom"), "a.B", "save", Hook.EPOCH_END);
    assertEquals("a.B.save failed in @OnEpochEnd: java.lang.IllegalStateException: boom",
        wrapped.getMessage());
    assertEquals("a.B", wrapped.callbackClass());
  }

  @Test
  void paramsCarryOptionalBatchSizeAndSamples() {
    Params basic = Params.of(10, 94, 1);
    assertEquals(OptionalInt.empty(), basic.batchSize());
    Params full = Params.of(10, 94, 1, 32, 3000);
    assertEquals(OptionalInt.of(32), full.batchSize());
    assertEquals(OptionalInt.of(3000), full.samples());
    assertEquals("Params{epochs=10, steps=94, verbose=1, batchSize=32, samples=3000}", full.toString());
    assertThrows(IllegalArgumentException.class, () -> Params.of(-1, 3, 0));
  }

  @Test
  void callbackListPassesEmptyLogsForNullAndRejectsItself() {
    Logs[] seen = new Logs[1];
    CallbackList list = CallbackList.of(new Callback() {
      @Override
      public void onTrainBegin(Logs logs) {
        seen[0] = logs;
      }
    });
    list.onTrainBegin(null);
    assertEquals(new Logs(), seen[0]);
    assertThrows(IllegalArgumentException.class, () -> list.append(list));
  }

  @Test
  void callbackListForwardsParamsAndModelToEveryCallback() {
    Params params = Params.of(1, 2, 0);
    Object[] got = new Object[2];
    CallbackList list = CallbackList.of(new Callback() {
      @Override
      public void setParams(Params p) {
        got[0] = p;
      }
    }, new Callback() {
      @Override
      public void setParams(Params p) {
        got[1] = p;
      }
    });
    list.setParams(params);
    assertSame(params, got[0]);
    assertSame(params, got[1]);
  }
}
