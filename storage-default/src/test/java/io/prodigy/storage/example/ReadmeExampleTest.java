package io.prodigy.storage.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.config.HomeDirectory;
import io.prodigy.storage.core.StorageFactory;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.id.RepositoryNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README.md's Java example, compiled out of the README and run as a user would: {@code StorageFactory.create().load()}
 * with nothing configured, so the default file store under {@code $HOME/.prodigy}, with only this module's
 * dependencies (storage-api, storage-core, storage-file) on the class path. Surefire gives the JVM a private
 * {@code HOME} and points {@code user.home} at a directory that must stay empty (storage-default/pom.xml). The
 * example runs twice, as a user re-running it would.
 */
class ReadmeExampleTest {

    private static final Pattern JAVA_BLOCK = Pattern.compile("## Using it.*?```java\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path tmp;

    @Test
    void theReadmeExampleRunsTwiceAgainstTheFileStoreUnderHome() throws Exception {
        Path home = HomeDirectory.current();
        assertThat(home.toString()).as("surefire sets a private HOME").endsWith("test-home");
        Path userHome = Path.of(System.getProperty("user.home"));
        JobRef job = JobRef.of(RepositoryNames.fromWorkingDirectory(Path.of("")), "mapreduce-42");
        long before = eventsOf(job);

        Method main = compileReadmeExample();
        List<String> first = run(main);
        List<String> second = run(main);

        assertThat(first).hasSize((int) before + 1).last().asString().endsWith(" {\"item\":7}");
        assertThat(second).hasSize((int) before + 2).startsWith(first.toArray(String[]::new));
        assertThat(home.resolve(".prodigy/layout.json")).as("the default file store under $HOME").isRegularFile();
        assertThat(userHome).as("nothing is written under user.home when HOME is set").doesNotExist();
        try (UnifiedStorage storage = StorageFactory.create().load()) {
            Checkpoint reduce = storage.checkpoints().load(CheckpointScope.job(job), "reduce-1").orElseThrow();
            assertThat(reduce.stepIndex()).as("each run updated the checkpoint instead of failing")
                    .isGreaterThanOrEqualTo(2);
            assertThat(reduce.revision()).isGreaterThanOrEqualTo(2);
            assertThat(storage.locks().current("reduce:" + job.jobId())).isEmpty();
        }
    }

    private static long eventsOf(JobRef job) {
        try (UnifiedStorage storage = StorageFactory.create().load()) {
            return storage.events().aggregate(job).countsByType().getOrDefault("agent_failed", 0L);
        }
    }

    private Method compileReadmeExample() throws IOException, ReflectiveOperationException {
        String readme = Files.readString(Path.of(System.getProperty("prodigy.readme", "../README.md")));
        Matcher m = JAVA_BLOCK.matcher(readme);
        assertThat(m.find()).as("README.md has a ```java block under '## Using it'").isTrue();
        Path src = tmp.resolve("Example.java");
        Files.writeString(src, m.group(1));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int code = javac.run(null, diagnostics, diagnostics, "-d", tmp.toString(), "-classpath",
                System.getProperty("java.class.path"), src.toString());
        assertThat(code).as("README example compiles with the imports it shows:%n%s", diagnostics).isZero();
        URLClassLoader loader = new URLClassLoader(new URL[] {tmp.toUri().toURL()}, getClass().getClassLoader());
        return loader.loadClass("Example").getMethod("main", String[].class);
    }

    private static List<String> run(Method main) throws ReflectiveOperationException {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            main.invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
