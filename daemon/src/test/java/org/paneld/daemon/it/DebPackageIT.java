package org.paneld.daemon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Debian package {@code target/paneld_VERSION_all.deb} that {@code mvn package} builds:
 * lintian finds no error in it and README.md explains each warning it gives; installed with
 * {@code dpkg -i} it puts every file in place (root-owned, the wrappers executable, the config a
 * conffile), creates the paneld user in the spi, gpio and plugdev groups, /run/paneld and the
 * units' enable links; {@code /usr/bin/paneld --check} and {@code /usr/bin/panelctl --help} work,
 * the wrapper tells clearly when no Java 17 is found; {@code /usr/bin/paneld-mirror} and its user unit
 * are in place (the script refuses to run outside a Wayland session); paneld started by hand as the paneld user
 * with the service's JVM flags serves the two virtual panels of the packaged config, and
 * {@code /usr/bin/panelctl} draws on them (root, and a user in the paneld group), the packaged
 * Python client lists them and the packaged C client's sources build and draw, when the package has them; {@code dpkg -r} keeps the configuration, then
 * {@code dpkg --purge} leaves no file, link, user or group behind.
 *
 * <p>This really installs on the machine: it needs root and dpkg (skipped otherwise — but under
 * {@code CI=true} a missing tool fails the test), refuses to run outside CI when paneld is already
 * installed or a paneld user exists, and always purges and removes the groups the install created.
 * Test lifetime; JUnit's thread.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // lintian's test last: it runs meanwhile
class DebPackageIT {
    static final Path DOC = Path.of(System.getProperty("paneld.systemd.dir", "../systemd")).resolve("../README.md");
    static final Pattern LINTIAN_TAG = Pattern.compile("^([EWI]): paneld: (\\S+)");

    static long mark = System.nanoTime();

    /** Prints how long the step just done took (the test's output file): where the time goes. */
    static void step(String done) {
        long now = System.nanoTime();
        System.out.printf("DebPackageIT: %-40s %6d ms%n", done, (now - mark) / 1_000_000);
        mark = now;
    }

    static boolean ci() {
        return "true".equals(System.getenv("CI"));
    }

    /** Skips with {@code why} outside CI; fails under CI, where this test must run. */
    static void need(boolean ok, String why) {
        if (ci()) {
            assertTrue(ok, why + " (under CI=true this test must run: .ci/run installs what .ci/apt-packages lists)");
        } else {
            assumeTrue(ok, why);
        }
    }

    static Path deb() {
        Path deb = DaemonProcess.jar("paneld.deb");
        assertTrue(Files.isRegularFile(deb), deb + " was not built (mvn package builds it)");
        return deb;
    }

    static Ctl.Result run(int seconds, String... cmd) throws IOException, InterruptedException {
        return Ctl.exec(List.of(cmd), Map.of("DEBIAN_FRONTEND", "noninteractive"), seconds);
    }

    static Ctl.Result run(String... cmd) throws IOException, InterruptedException {
        return run(360, cmd);
    }

    static Ctl.Result ok(String... cmd) throws IOException, InterruptedException {
        Ctl.Result r = run(cmd);
        assertEquals(0, r.code(), String.join(" ", cmd) + ":\n" + r);
        return r;
    }

    /** lintian, started before the tests so that it runs while the package is installed and tried (10-20 s). */
    static Process lintian;
    static Path lintianOut;
    static long lintianStart;

    @BeforeAll
    static void startLintian() throws IOException {
        Path deb = Path.of(System.getProperty("paneld.deb", "-"));
        if (SystemdFilesIT.onPath("lintian") && Files.isRegularFile(deb)) {
            lintianOut = Files.createTempFile("paneld-lintian-", ".out");
            lintianStart = System.nanoTime();
            lintian = new ProcessBuilder("lintian", "--tag-display-limit", "0", deb.toString())
                    .redirectErrorStream(true).redirectOutput(lintianOut.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        }
    }

    @AfterAll
    static void stopLintian() throws IOException {
        if (lintian != null) {
            lintian.destroyForcibly();
            Files.deleteIfExists(lintianOut);
        }
    }

    @Test
    @Order(2)
    void lintianFindsNoErrorAndReadmeExplainsEachWarning() throws Exception {
        Path deb = deb();
        need(SystemdFilesIT.onPath("lintian"), "lintian is not installed");
        assertTrue(lintian.waitFor(180, TimeUnit.SECONDS), "lintian did not finish within 180 s");
        Ctl.Result r = new Ctl.Result(lintian.exitValue(), Files.readString(lintianOut), "");
        System.out.printf("DebPackageIT: lintian (alongside the other test)   %6d ms%n",
                (System.nanoTime() - lintianStart) / 1_000_000);
        System.out.println("lintian " + deb.getFileName() + ":\n" + r.out() + r.err());
        Set<String> errors = new TreeSet<>();
        Set<String> warnings = new TreeSet<>();
        for (String line : r.lines()) {
            Matcher m = LINTIAN_TAG.matcher(line);
            if (m.find()) {
                (m.group(1).equals("E") ? errors : warnings).add(m.group(2));
            }
        }
        assertEquals(Set.of(), errors, "lintian errors:\n" + r);
        assertEquals(0, r.code(), r.toString());
        String readme = Files.readString(DOC);
        for (String w : warnings) {
            assertTrue(readme.contains("`" + w + "`"), "lintian gives " + w + ", which README.md does not explain:\n" + r);
        }
    }

    @Test
    @Order(1)
    void installsRunsAndPurgesCleanly() throws Exception {
        Path deb = deb();
        mark = System.nanoTime();
        need("root".equals(System.getProperty("user.name")), "needs root: it installs the package");
        for (String tool : List.of("dpkg", "dpkg-query", "setpriv", "getent")) {
            need(SystemdFilesIT.onPath(tool), tool + " is not installed");
        }
        if (installed()) {
            need(false, "paneld is installed on this machine; the test would replace and purge it (dpkg --purge paneld first)");
            pkg("-P", "paneld"); // CI: a leftover of an interrupted run
        }
        if (run("getent", "passwd", "paneld").code() == 0) {
            need(false, "a paneld user exists (a manual install?); the test's purge would delete it");
        }
        List<String> groups = List.of("paneld", "spi", "gpio", "plugdev");
        Set<String> groupsBefore = new LinkedHashSet<>();
        for (String g : groups) {
            if (run("getent", "group", g).code() == 0) {
                groupsBefore.add(g);
            }
        }
        Path dir = Files.createTempDirectory("paneld-deb-it");
        DaemonProcess daemon = null;
        try {
            pkg("-i", deb.toAbsolutePath().toString());
            step("install");
            List<String> owned = ok("dpkg-query", "-L", "paneld").lines();
            checkFiles(owned);
            step("files, owners, units");
            checkWrappers(dir);
            step("wrappers: --check, --help, no Java");

            // paneld by hand (no systemd here), as the service runs it: the paneld user, its groups
            daemon = DaemonProcess.startCommand(dir, Map.of(),
                    List.of("setpriv", "--reuid=paneld", "--regid=paneld", "--init-groups", "/usr/bin/paneld"));
            daemon.awaitReady();
            step("paneld started, ready");
            assertTrue(daemon.logText().contains("serving 2 panel(s) on /run/paneld/paneld.sock"), daemon.logText());
            String cmdline = Files.readString(Path.of("/proc", String.valueOf(daemon.pid()), "cmdline")).replace('\0', ' ');
            assertTrue(cmdline.contains(" " + String.join(" ", MemoryBudgetIT.serviceJvmFlags()) + " -jar /usr/share/paneld/paneld.jar"),
                    "paneld runs with the service's JVM flags, exec'd in the wrapper's process (Type=notify): " + cmdline);
            String status = Files.readString(Path.of("/proc", String.valueOf(daemon.pid()), "status"));
            String uid = ok("id", "-u", "paneld").out().trim();
            assertTrue(status.contains("\nUid:\t" + uid + "\t"), status);

            List<String> list = ok("/usr/bin/panelctl", "list").lines();
            assertEquals(List.of("lcd0 mi0283qt 320x240 connected", "lcd1 st7789v 240x240 connected"), list);
            ok("/usr/bin/panelctl", "fill", "lcd0", "red");
            Path png = dir.resolve("lcd0.png");
            ok("/usr/bin/panelctl", "snapshot", "lcd0", png.toString());
            BufferedImage shown = ImageIO.read(png.toFile());
            assertEquals(0xff0000, shown.getRGB(160, 120) & 0xffffff, "lcd0 shows red after panelctl fill");
            // a user in the paneld group may use the socket; one outside it may not
            Ctl.Result member = run("setpriv", "--reuid=nobody", "--regid=nogroup", "--groups=paneld",
                    "/usr/bin/panelctl", "fill", "lcd1", "blue");
            assertEquals(0, member.code(), "panelctl as nobody in group paneld: " + member);
            Ctl.Result outsider = run("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                    "/usr/bin/panelctl", "list");
            assertEquals(3, outsider.code(), "panelctl as nobody outside group paneld: " + outsider);
            step("panelctl list, fill, snapshot, users");
            if (owned.contains("/usr/lib/python3/dist-packages/paneld/__init__.py")) {
                // the packaged Python client, imported by Debian's python3 from dist-packages (PYTHONSAFEPATH: not from the working directory)
                Ctl.Result py = Ctl.exec(List.of("/usr/bin/python3", "-c", "import paneld; c = paneld.connect(); "
                        + "print(paneld.__file__); print(' '.join(d.name for d in c.devices())); c.close()"),
                        Map.of("PYTHONPATH", "", "PYTHONSAFEPATH", "1", "PYTHONDONTWRITEBYTECODE", ""), 60); // writes __pycache__: prerm clears it
                assertEquals(0, py.code(), "python3 -c 'import paneld …': " + py);
                assertEquals(List.of("/usr/lib/python3/dist-packages/paneld/__init__.py", "lcd0 lcd1"), py.lines(), py.toString());
            }
            if (owned.contains("/usr/share/paneld/c/Makefile") && SystemdFilesIT.onPath("make") && SystemdFilesIT.onPath("cc")) {
                // the packaged C client's sources build where they are installed (read-only), and its hello draws
                Path c = dir.resolve("c");
                ok("make", "-s", "-C", "/usr/share/paneld/c", "BUILD=" + c, c.resolve("hello").toString());
                Ctl.Result hello = ok(c.resolve("hello").toString());
                assertTrue(hello.out().startsWith("flush: "), hello.toString());
                ok("/usr/bin/panelctl", "snapshot", "lcd0", png.toString());
                int rgb565 = 0xf8fcf8; // the bits an RGB565 panel (the MI0283QT) keeps of each channel
                assertEquals(0xff8000 & rgb565, ImageIO.read(png.toFile()).getRGB(160, 120) & rgb565, "lcd0 shows the C hello's orange");
            }
            assertEquals(0, daemon.terminate(java.time.Duration.ofSeconds(20)), daemon.logText());
            step("python and C clients, paneld stopped");

            // remove keeps the configuration (and the user); purge then takes everything
            pkg("-r", "paneld");
            assertTrue(Files.isRegularFile(Path.of("/etc/paneld/paneld.toml")), "dpkg -r keeps /etc/paneld/paneld.toml");
            assertFalse(Files.exists(Path.of("/usr/bin/paneld")), "dpkg -r takes /usr/bin/paneld");
            assertFalse(Files.exists(Path.of("/usr/share/paneld/paneld.jar")), "dpkg -r takes the jars");
            assertEquals("config-files", ok("dpkg-query", "-W", "-f=${db:Status-Status}", "paneld").out().trim());
            step("remove");
            pkg("-P", "paneld");
            assertFalse(installed(), "paneld still known to dpkg after the purge");
            checkNothingLeft(owned);
            step("purge, nothing left");
        } finally {
            if (daemon != null) {
                daemon.close();
            }
            if (installed()) {
                run("dpkg", "-P", "paneld");
            }
            for (String g : groups) {
                if (!groupsBefore.contains(g) && run("getent", "group", g).code() == 0) {
                    run("groupdel", g); // spi and gpio, created for the paneld user
                }
            }
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * {@code dpkg --force-unsafe-io ACTION ARG} ({@code -i}, {@code -r}, {@code -P}; no fsync per
     * file: a test install, seconds faster); when another dpkg or apt holds dpkg's lock (another
     * apt-get on a shared machine), the same through apt-get, whose lock timeout waits for it.
     * apt-get is not the first choice: it rebuilds its cache each time, 5-10 s.
     */
    static Ctl.Result pkg(String action, String arg) throws IOException, InterruptedException {
        Ctl.Result r = run("dpkg", "--force-unsafe-io", action, arg);
        if (r.code() != 0 && r.err().contains("lock")) {
            String what = Map.of("-i", "install", "-r", "remove", "-P", "purge").get(action);
            r = run("apt-get", "-y", "-q", "--no-install-recommends", "-o", "DPkg::Lock::Timeout=300",
                    "-o", "Dpkg::Options::=--force-unsafe-io", what, arg);
        }
        assertEquals(0, r.code(), "dpkg " + action + " " + arg + ": " + r);
        return r;
    }

    static boolean installed() throws IOException, InterruptedException {
        Ctl.Result r = run("dpkg-query", "-W", "-f=${db:Status-Status}", "paneld");
        return r.code() == 0 && !r.out().trim().equals("not-installed");
    }

    /** The package's files, their owners and modes; the user, /run/paneld and the enable links. */
    static void checkFiles(List<String> owned) throws Exception {
        Map<String, String> modes = Map.ofEntries(
                Map.entry("/usr/share/paneld/paneld.jar", "rw-r--r--"),
                Map.entry("/usr/share/paneld/panelctl.jar", "rw-r--r--"),
                Map.entry("/usr/bin/paneld", "rwxr-xr-x"),
                Map.entry("/usr/bin/panelctl", "rwxr-xr-x"),
                Map.entry("/lib/systemd/system/paneld.service", "rw-r--r--"),
                Map.entry("/lib/systemd/system/paneld.socket", "rw-r--r--"),
                Map.entry("/usr/lib/sysusers.d/paneld.conf", "rw-r--r--"),
                Map.entry("/usr/lib/tmpfiles.d/paneld.conf", "rw-r--r--"),
                Map.entry("/lib/udev/rules.d/99-paneld.rules", "rw-r--r--"),
                Map.entry("/etc/paneld/paneld.toml", "rw-r--r--"),
                Map.entry("/usr/share/doc/paneld/copyright", "rw-r--r--"),
                Map.entry("/usr/share/doc/paneld/changelog.gz", "rw-r--r--"),
                Map.entry("/usr/share/doc/paneld/README.md", "rw-r--r--"),
                Map.entry("/usr/share/man/man1/paneld.1.gz", "rw-r--r--"),
                Map.entry("/usr/share/man/man1/panelctl.1.gz", "rw-r--r--"),
                Map.entry("/usr/bin/paneld-mirror", "rwxr-xr-x"),
                Map.entry("/usr/lib/systemd/user/paneld-mirror.service", "rw-r--r--"),
                Map.entry("/usr/share/man/man1/paneld-mirror.1.gz", "rw-r--r--"));
        for (Map.Entry<String, String> e : modes.entrySet()) {
            assertTrue(owned.contains(e.getKey()), "dpkg -L paneld lacks " + e.getKey());
            PosixFileAttributes a = Files.readAttributes(Path.of(e.getKey()), PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            assertEquals("root:root " + e.getValue(), a.owner().getName() + ":" + a.group().getName() + " "
                    + PosixFilePermissions.toString(a.permissions()), e.getKey());
        }
        assertTrue(ok("dpkg-query", "-W", "-f=${Conffiles}", "paneld").out().contains("/etc/paneld/paneld.toml "),
                "/etc/paneld/paneld.toml is a conffile");
        String service = Files.readString(Path.of("/lib/systemd/system/paneld.service"));
        assertTrue(service.contains("\nExecStart=/usr/bin/paneld --config /etc/paneld/paneld.toml\n"), service);
        Set<String> groups = Set.of(ok("id", "-nG", "paneld").out().trim().split("\\s+"));
        assertTrue(groups.containsAll(Set.of("paneld", "spi", "gpio", "plugdev")), "paneld's groups: " + groups);
        if (SystemdFilesIT.onPath("systemd-tmpfiles")) {
            PosixFileAttributes run = Files.readAttributes(Path.of("/run/paneld"), PosixFileAttributes.class);
            assertEquals("paneld:paneld rwxr-x---", run.owner().getName() + ":" + run.group().getName() + " "
                    + PosixFilePermissions.toString(run.permissions()), "/run/paneld");
        }
        if (SystemdFilesIT.onPath("deb-systemd-helper")) {
            for (String link : List.of("/etc/systemd/system/sockets.target.wants/paneld.socket",
                    "/etc/systemd/system/multi-user.target.wants/paneld.service")) {
                assertTrue(Files.isSymbolicLink(Path.of(link)), link + " (the unit enabled)");
            }
        }
        if (SystemdFilesIT.onPath("systemd-analyze")) {
            Ctl.Result v = run("systemd-analyze", "verify", "/lib/systemd/system/paneld.service", "/lib/systemd/system/paneld.socket");
            assertEquals(0, v.code(), "systemd-analyze verify of the installed units: " + v);
            Path runtime = Files.createTempDirectory("paneld-deb-xdg-"); // a user manager's runtime dir, for --user
            Ctl.Result u = Ctl.exec(List.of("systemd-analyze", "--user", "verify", "/usr/lib/systemd/user/paneld-mirror.service"),
                    Map.of("XDG_RUNTIME_DIR", runtime.toString()), 60);
            run("rm", "-rf", runtime.toString());
            assertEquals(0, u.code(), "systemd-analyze --user verify of the installed paneld-mirror.service: " + u);
        }
    }

    /** paneld --check, panelctl --help, and the search for a Java runtime of version 17 or newer. */
    static void checkWrappers(Path dir) throws Exception {
        // JAVA_HOME naming a Java 11: passed over for the java on the PATH
        Path old = dir.resolve("jdk-11");
        Files.createDirectories(old.resolve("bin"));
        Files.writeString(old.resolve("release"), "JAVA_VERSION=\"11.0.2\"\n");
        Files.writeString(old.resolve("bin/java"), "#!/bin/sh\necho 'not this one' >&2\nexit 99\n");
        assertTrue(old.resolve("bin/java").toFile().setExecutable(true));
        Ctl.Result check = Ctl.exec(List.of("/usr/bin/paneld", "--check"), Map.of("JAVA_HOME", old.toString()), 60);
        assertEquals(0, check.code(), "paneld --check with JAVA_HOME naming a Java 11: " + check);
        assertTrue(check.out().contains("OK: /etc/paneld/paneld.toml: 2 panel(s)"), check.toString());
        Ctl.Result help = ok("/usr/bin/panelctl", "--help");
        assertTrue(help.out().startsWith("Usage: panelctl"), help.toString());
        // the desktop mirror, outside a Wayland session: its own refusal, exit 2
        Ctl.Result mirror = Ctl.exec(List.of("env", "-u", "WAYLAND_DISPLAY", "/usr/bin/paneld-mirror", "lcd0"), Map.of(), 30);
        assertEquals(2, mirror.code(), "paneld-mirror outside a Wayland session: " + mirror);
        assertTrue(mirror.err().contains("WAYLAND_DISPLAY is not set"), mirror.toString());
        assertTrue(Files.readString(Path.of("/usr/lib/systemd/user/paneld-mirror.service")).contains("\nExecStart=/usr/bin/paneld-mirror\n"),
                "the user unit runs the packaged script");
        Ctl.Result r;
        // and nothing else: /usr/lib/jvm hidden (a private mount namespace), so /usr/bin/java dangles
        if (SystemdFilesIT.onPath("unshare")) {
            r = Ctl.exec(List.of("unshare", "--mount", "sh", "-c",
                    "mount -t tmpfs tmpfs /usr/lib/jvm || exit 200; exec /usr/bin/paneld --check"), Map.of("JAVA_HOME", old.toString()), 60);
            if (r.code() == 200) {
                System.out.println("DebPackageIT: no private mount namespace here (" + r.err().trim() + "); the no-Java case is not checked");
            } else {
                assertEquals(127, r.code(), "no Java >= 17: " + r);
                assertTrue(r.err().contains("paneld: needs a Java runtime of version 17 or newer, and found none (found: "
                        + old.resolve("bin/java") + " (11))"), r.err());
            }
        }
    }

    /** After the purge: no file of the package, no config, /run/paneld, enable link, mask, user or group. */
    static void checkNothingLeft(List<String> owned) throws Exception {
        List<String> left = new ArrayList<>();
        for (String f : owned) {
            Path p = Path.of(f);
            // /lib is a link on a merged-/usr system: a link counts only when nothing of the package is under it
            boolean file = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                    || Files.isSymbolicLink(p) && owned.stream().noneMatch(o -> o.startsWith(f + "/"));
            if (file || (f.contains("paneld") && Files.exists(p))) { // a file, or a directory of the package's own
                left.add(f);
            }
        }
        for (String d : List.of("/etc/paneld", "/run/paneld")) {
            if (Files.exists(Path.of(d))) {
                left.add(d);
            }
        }
        for (String d : List.of("/etc/systemd/system", "/var/lib/systemd/deb-systemd-helper-enabled",
                "/var/lib/systemd/deb-systemd-helper-masked")) {
            if (Files.isDirectory(Path.of(d))) {
                try (Stream<Path> s = Files.walk(Path.of(d))) {
                    s.filter(p -> p.getFileName().toString().contains("paneld")).forEach(p -> left.add(p.toString()));
                }
            }
        }
        if (run("getent", "passwd", "paneld").code() == 0) {
            left.add("user paneld");
        }
        if (run("getent", "group", "paneld").code() == 0) {
            left.add("group paneld");
        }
        assertEquals(List.of(), left, "left behind by dpkg --purge paneld");
    }
}
