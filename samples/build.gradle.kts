// The samples built with Gradle instead of Maven, from the artifacts `mvn install` put in your
// local Maven repository. For Gradle 7 or later; not exercised by CI here, which has no Gradle.
//
//   mvn -B -q install -DskipTests          (from the repository root, once)
//   gradle -p samples run                  (QuickStart)
//   gradle -p samples run -Psample=LossHistory
plugins {
    java
    application
}

repositories {
    mavenLocal()
    mavenCentral()
}

dependencies {
    implementation("io.github.callbacks4j:callbacks4j-runtime:0.1.0-SNAPSHOT")
    implementation("io.github.callbacks4j:callbacks4j-dl4j:0.1.0-SNAPSHOT")
    // The processor generates each annotated class's adapter; Gradle runs it incrementally.
    annotationProcessor("io.github.callbacks4j:callbacks4j-processor:0.1.0-SNAPSHOT")
    runtimeOnly("org.slf4j:slf4j-simple:2.0.16")
}

tasks.withType<JavaCompile> {
    options.release.set(17)
}

application {
    mainClass.set("io.github.callbacks4j.samples." + (findProperty("sample") ?: "QuickStart"))
}
