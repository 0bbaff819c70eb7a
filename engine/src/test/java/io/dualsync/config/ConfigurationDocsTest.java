package io.dualsync.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/configuration.md documents every key the code declares, with its default, and shows the example file as it is. */
class ConfigurationDocsTest {
    private static final Path DOCS = Path.of("..", "docs", "configuration.md");
    private static final Path EXAMPLE = Path.of("..", "examples", "dualsync.yaml");

    @Test
    void everyKey_isDocumentedWithItsDefault() throws IOException {
        String docs = Files.readString(DOCS);

        for (Key<?> key : ConfigKeys.ALL) {
            String row = docs.lines().filter(l -> l.startsWith("| `" + key.name() + "` |")).findFirst().orElse(null);
            assertThat(row).as("a table row for " + key.name()).isNotNull();
            String shownDefault = key.defaultText().equals("none") || key.defaultText().equals("required")
                    ? key.defaultText() : "`" + key.defaultText() + "`";
            assertThat(row).as(key.name()).contains("| " + shownDefault + " |").contains(key.description().replace("|", "\\|"));
        }
        assertThat(docs.lines().filter(l -> l.matches("\\| `[a-zA-Z]+(\\.[a-zA-Z]+)+` \\|.*")).count())
                .as("no documented key that the code does not have")
                .isEqualTo(ConfigKeys.ALL.size());
    }

    @Test
    void completeExample_isTheExampleFile() throws IOException {
        assertThat(Files.readString(DOCS)).contains("```yaml\n" + Files.readString(EXAMPLE) + "```");
    }
}
