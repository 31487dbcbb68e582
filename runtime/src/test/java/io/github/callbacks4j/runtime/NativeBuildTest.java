package io.github.callbacks4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class NativeBuildTest {
  @Test
  void genericBuildOnAnAvx2CpuNamesTheAvx2Classifier() {
    assertEquals(Optional.of("ND4J runs its generic x86-64 native build on a CPU with AVX2; for"
            + " faster element-wise ops (activations, losses, updaters) add org.nd4j:nd4j-native"
            + " with classifier linux-x86_64-avx2, same version as ND4J"),
        NativeBuild.hint(0, 2, "linux-x86_64"));
    assertEquals(NativeBuild.hint(0, 2, "linux-x86_64"), NativeBuild.hint(1, 2, "linux-x86_64"));
  }

  @Test
  void genericBuildOnAnAvx512CpuNamesTheAvx2Classifier() {
    // The AVX-512 build measured no faster than the AVX2 build (benchmarks/README).
    assertEquals(Optional.of("ND4J runs its generic x86-64 native build on a CPU with AVX-512; for"
            + " faster element-wise ops (activations, losses, updaters) add org.nd4j:nd4j-native"
            + " with classifier windows-x86_64-avx2, same version as ND4J"),
        NativeBuild.hint(0, 3, "windows-x86_64"));
  }

  @Test
  void noHintFromAnAvx2BuildUpOrOnACpuWithoutAvx2() {
    assertEquals(Optional.empty(), NativeBuild.hint(2, 2, "linux-x86_64"));
    assertEquals(Optional.empty(), NativeBuild.hint(2, 3, "linux-x86_64"));
    assertEquals(Optional.empty(), NativeBuild.hint(3, 3, "linux-x86_64"));
    assertEquals(Optional.empty(), NativeBuild.hint(0, 0, "linux-x86_64"));
    assertEquals(Optional.empty(), NativeBuild.hint(1, 1, "linux-arm64"));
  }
}
