package io.github.callbacks4j.runtime;

import java.util.Optional;
import org.bytedeco.javacpp.Loader;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says once, at INFO, when ND4J runs its generic x86-64 build on a CPU with AVX2, as TensorFlow
 * says when it runs below the CPU: ND4J 1.0.0-M2.1 loads its generic build without a word, and
 * its AVX2 build ran Adam's update about 1.8x faster on the machine this project builds on. The
 * hint names the AVX2 build on AVX-512 CPUs too, and says nothing when the AVX2 build runs there:
 * ND4J's AVX-512 build trained no faster than its AVX2 build on an AMD EPYC with AVX-512 (see
 * benchmarks/README).
 */
final class NativeBuild {
  private static final Logger LOG = LoggerFactory.getLogger(NativeBuild.class);

  private static boolean checked;

  private NativeBuild() {}

  static synchronized void logHintOnce() {
    if (checked) {
      return;
    }
    checked = true;
    NativeOps nativeOps = NativeOpsHolder.getInstance().getDeviceNativeOps();
    hint(nativeOps.binaryLevel(), nativeOps.optimalLevel(), Loader.getPlatform())
        .ifPresent(LOG::info);
  }

  /**
   * The hint for ND4J's levels (as its {@code NativeOps} numbers them: 2 AVX2, 3 AVX-512, below
   * that generic), or empty when the loaded build is AVX2 or better, or the CPU has no AVX2.
   */
  static Optional<String> hint(int binaryLevel, int optimalLevel, String platform) {
    if (optimalLevel < 2 || binaryLevel >= 2) {
      return Optional.empty();
    }
    return Optional.of("ND4J runs its " + name(binaryLevel) + " native build on a CPU with "
        + name(optimalLevel) + "; for faster element-wise ops (activations, losses, updaters) add"
        + " org.nd4j:nd4j-native with classifier " + platform + "-avx2, same version as ND4J");
  }

  private static String name(int level) {
    return switch (level) {
      case 2 -> "AVX2";
      case 3 -> "AVX-512";
      default -> "generic x86-64";
    };
  }
}
