package io.github.callbacks4j.processor;

import static com.google.common.truth.Truth.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** javac and Gradle find the processor through the files the jar ships. */
class RegistrationTest {

  @Test
  void registeredAsAnAnnotationProcessorService() throws IOException {
    assertThat(resource("META-INF/services/javax.annotation.processing.Processor").trim())
        .isEqualTo(CallbacksProcessor.class.getName());
  }

  @Test
  void declaredIsolatingForGradleIncrementalCompilation() throws IOException {
    assertThat(resource("META-INF/gradle/incremental.annotation.processors").trim())
        .isEqualTo(CallbacksProcessor.class.getName() + ",isolating");
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = CallbacksProcessor.class.getClassLoader().getResourceAsStream(name)) {
      assertThat(in).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
