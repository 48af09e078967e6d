package io.prodigy.storage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: Debian's headless Chromium driven through chromedriver by Selenium. The demo runs
 * in one child process, {@code prodigy-storage dashboard} serves its store from another, and a third appends an event
 * that must show up in the job page's live tail. The test writes the screenshots that docs/dashboard.md shows.
 * Under {@code CI=true} a missing browser fails the test; elsewhere it is skipped with a message.
 */
class DashboardBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path tmp;

    @Test
    void demoJobInTheBrowserWithALiveTailFedByAnotherProcess() throws Exception {
        requireBrowser();
        Map<String, String> env = Map.of("PRODIGY_HOME", tmp.resolve("home").toString());
        Path project = tmp.resolve("wordcount");
        CliResult demo = JarProcess.run(project, env, null, "demo", "--jobs", "1", "--seed", "7");
        assertThat(demo.exitCode()).as(demo.toString()).isZero();
        JsonNode jobs = JarProcess.run(project, env, null, "--json", "jobs", "list").json();
        String jobId = jobs.get(0).get("job_id").asText();

        JarProcess server = JarProcess.start(project, env, null, "dashboard", "--port", "0", "--for", "5m");
        ChromeDriver browser = null;
        try {
            String base = awaitUrl(server);
            browser = startBrowser();
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));

            browser.get(base);
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("jobs-table")));
            assertThat(browser.findElement(By.id("health")).getText()).contains("healthy", "file backend");
            WebElement row = browser.findElement(By.cssSelector("#jobs-table tr[data-job='" + jobId + "']"));
            assertThat(row.getText()).contains("completed", "100%");
            screenshot(browser, "overview", 1360, 640);

            row.findElement(By.linkText(jobId)).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("event-chart")));
            assertThat(browser.getTitle()).startsWith(jobId);

            JsonNode stats = JarProcess.run(project, env, null, "--json", "events", "stats", "--job", jobId).json();
            Map<String, Long> storeCounts = new TreeMap<>();
            stats.get("counts_by_type").fields().forEachRemaining(f -> storeCounts.put(f.getKey(),
                    f.getValue().asLong()));
            assertThat(chartCounts(browser)).isEqualTo(storeCounts);
            assertThat(tableCounts(browser)).isEqualTo(storeCounts);
            assertThat(browser.findElement(By.cssSelector("#stat-events .value")).getText())
                    .isEqualTo(String.format("%,d", stats.get("total_events").asLong()));

            wait.until(ExpectedConditions.textToBe(By.id("live-state"), "live"));
            screenshot(browser, "job", 1360, 2200);
            CliResult append = JarProcess.run(project, env, "{\"event_type\":\"browser_check_completed\","
                    + "\"agent_id\":\"other-process\",\"data\":{\"note\":\"from a second process\"}}\n",
                    "events", "append", "--job", jobId);
            assertThat(append.exitCode()).as(append.toString()).isZero();
            long appended = System.nanoTime();
            WebElement fresh = new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions
                    .presenceOfElementLocated(By.cssSelector("#live-tail tbody tr[data-sequence='"
                            + (stats.get("last_sequence").asLong() + 1) + "']")));
            System.out.printf("live tail showed the appended event %d ms after the appending process exited%n",
                    (System.nanoTime() - appended) / 1_000_000);
            assertThat(fresh.getText()).contains("browser_check_completed", "other-process", "from a second process");
            screenshot(browser, "live-tail", 1360, 1000, By.id("live"));

            browser.get(base + "sessions");
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sessions-table")));
            screenshot(browser, "sessions", 1360, 700);
            browser.get(base + "locks");
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("locks-table")));
            browser.get(base + "workflows");
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("workflows-table")));
        } finally {
            if (browser != null) {
                browser.quit();
            }
            server.kill();
        }
    }

    private static void requireBrowser() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing: install"
                    + " Debian's chromium and chromium-driver (.ci/run does when it can).");
        }
        if (!present) {
            System.err.println("SKIPPED DashboardBrowserIT: " + CHROMIUM + " or " + CHROMEDRIVER + " is missing;"
                    + " run 'apt-get install -y chromium chromium-driver' to run it.");
        }
        Assumptions.assumeTrue(present, "chromium and chromium-driver are not installed");
    }

    private ChromeDriver startBrowser() throws Exception {
        // Selenium warns that it has no DevTools binding for this Chromium version; WebDriver alone is used here.
        java.util.logging.Logger.getLogger("org.openqa.selenium.devtools").setLevel(java.util.logging.Level.SEVERE);
        // Explicit driver and binary: Selenium Manager must not try to download anything.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--hide-scrollbars", "--force-device-scale-factor=1",
                "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }

    /** Waits for the dashboard's first line and returns its address. */
    private static String awaitUrl(JarProcess server) throws Exception {
        Pattern url = Pattern.compile("at (http://\\S+/)");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = url.matcher(server.stdoutSoFar());
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the dashboard did not start; stdout:\n" + server.stdoutSoFar() + "\nstderr:\n"
                + server.stderrSoFar());
    }

    private static Map<String, Long> chartCounts(ChromeDriver browser) {
        Map<String, Long> counts = new TreeMap<>();
        for (WebElement bar : browser.findElements(By.cssSelector("#event-chart rect.bar"))) {
            counts.merge(bar.getDomAttribute("data-type"), Long.parseLong(bar.getDomAttribute("data-count")),
                    Long::sum);
        }
        return counts;
    }

    private static Map<String, Long> tableCounts(ChromeDriver browser) {
        Map<String, Long> counts = new HashMap<>();
        for (WebElement tr : browser.findElements(By.cssSelector("#counts tbody tr"))) {
            counts.put(tr.getDomAttribute("data-type"),
                    Long.parseLong(tr.findElement(By.cssSelector("td.count")).getText().replace(",", "")));
        }
        return new TreeMap<>(counts);
    }

    private void screenshot(ChromeDriver browser, String name, int width, int height, By... element) throws Exception {
        browser.manage().window().setSize(new Dimension(width, height));
        Path png = element.length == 0 ? ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath()
                : browser.findElement(element[0]).getScreenshotAs(OutputType.FILE).toPath();
        Path docs = Path.of("").toAbsolutePath().getParent().resolve("docs").resolve("images");
        Files.createDirectories(docs);
        Files.copy(png, docs.resolve("dashboard-" + name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(docs.resolve("dashboard-" + name + ".png"))).isPositive();
        List.of(png).forEach(p -> p.toFile().delete());
    }
}
