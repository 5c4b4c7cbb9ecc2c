package org.paneld.daemon.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.paneld.protocol.Codec;
import org.paneld.protocol.Frame;
import org.paneld.protocol.Message;

/**
 * Issue 10 items 4, 12 and 15 against the real paneld.jar, with real second uids: the test runs
 * as root and runs panelctl.jar and a small Python socket client as other uids through
 * {@code setpriv} (numeric ids, no user is created). Silent sockets of one uid (or of root) keep
 * neither root nor another uid out and are closed with ERROR ETIMEDOUT (at the HELLO deadline, or
 * earlier to make room); the per-uid
 * cap's EBUSY is what panelctl prints; {@code allow_gids} matches a supplementary group;
 * {@code panelctl set} works on an unowned panel.
 */
class LockoutIT {
    static final int SILENT_UID = 4242;
    static final int OTHER_UID = 4243;
    static final int GROUP_USER = 4244;
    static final int VIDEO_GID = 4343;
    static final int PER_UID = 8;
    static final int HELLO_MS = 15_000;

    /** Opens N Unix sockets; "silent": says nothing and reports what each got; "hold": HELLO each, hold until stdin closes. */
    static final String CLIENT_PY = """
            import select, socket, struct, sys, time
            mode, path, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
            t0 = time.monotonic()
            socks = []
            for i in range(n):
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(path)
                if mode == "hold":
                    s.sendall(bytes.fromhex(sys.argv[4]))
                socks.append(s)
            data = {s: b"" for s in socks}
            eof = {}
            def first_frame(b):
                if len(b) < 12:
                    return "none"
                typ = struct.unpack_from("<H", b, 4)[0]
                if typ == 0x7FFF and len(b) >= 16:
                    return "error:%d" % struct.unpack_from("<I", b, 12)[0]
                return "type:%#x" % typ
            if mode == "silent":
                print("connected %d" % n, flush=True)
                deadline = t0 + float(sys.argv[4])
                while len(eof) < n and time.monotonic() < deadline:
                    r, _, _ = select.select([s for s in socks if s not in eof], [], [], 0.5)
                    for s in r:
                        try:
                            d = s.recv(65536)
                        except OSError:
                            d = b""
                        if d:
                            data[s] += d
                        else:
                            eof[s] = time.monotonic() - t0
                for s in socks:
                    print("socket %s %s %d" % (first_frame(data[s]), "eof" if s in eof else "open", int(eof.get(s, -1) * 1000)))
                print("done", flush=True)
            else:
                got = []
                for s in socks:
                    s.settimeout(10)
                    b = b""
                    while len(b) < 12 or len(b) < 4 + struct.unpack_from("<I", b)[0]:
                        d = s.recv(65536)
                        if not d:
                            break
                        b += d
                    got.append(first_frame(b))
                print("held " + " ".join(got), flush=True)
                sys.stdin.read()
            """;

    @TempDir
    Path tmp;
    Path sock;
    Path panelctlJar;
    Path script;
    DaemonProcess daemon;
    final List<Process> helpers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && SystemdFilesIT.onPath("setpriv") && SystemdFilesIT.onPath("python3"),
                "needs root, setpriv and python3 to run clients as other uids");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        sock = tmp.resolve("paneld.sock");
        // the other uids may not be able to read the checkout: run a copy, as an installed one would be
        panelctlJar = Files.copy(DaemonProcess.jar("panelctl.jar"), tmp.resolve("panelctl.jar"));
        Files.setPosixFilePermissions(panelctlJar, PosixFilePermissions.fromString("rw-r--r--"));
        script = Files.writeString(tmp.resolve("client.py"), CLIENT_PY);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
        Path cfg = Files.writeString(tmp.resolve("paneld.toml"), """
                [server]
                socket = "%s"
                socket_mode = "0666"

                [server.limits]
                hello_timeout_ms = %d
                max_connections_per_uid = %d

                [[panel]]
                name = "lcd0"
                driver = "mi0283qt"
                backend = "virtual"
                allow_gids = [%d]
                """.formatted(sock, HELLO_MS, PER_UID, VIDEO_GID));
        daemon = DaemonProcess.start(tmp, Map.of(), "--config", cfg.toString());
        daemon.awaitReady();
    }

    @AfterEach
    void stop() throws Exception {
        for (Process p : helpers) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        if (daemon != null) {
            assertEquals(0, daemon.terminate(Duration.ofSeconds(30)), daemon.logText());
            daemon.close();
        }
    }

    /** setpriv … as {@code uid} with primary {@code gid} and exactly {@code groups} (none: cleared). */
    static List<String> as(int uid, int gid, int... groups) {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid));
        if (groups.length == 0) {
            cmd.add("--clear-groups");
        } else {
            StringBuilder g = new StringBuilder();
            for (int x : groups) {
                g.append(g.length() == 0 ? "" : ",").append(x);
            }
            cmd.add("--groups=" + g);
        }
        return cmd;
    }

    Ctl.Result panelctl(List<String> prefix, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(DaemonProcess.javaBin());
        cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-jar", panelctlJar.toString(),
                "--socket", sock.toString(), "--timeout", "20"));
        cmd.addAll(List.of(args));
        return Ctl.exec(cmd, Map.of("HOME", tmp.toString()), 90);
    }

    Process python(int uid, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(as(uid, uid));
        // an absolute path: root's PATH may lead to a python other uids cannot read (pyenv under /root)
        cmd.addAll(List.of(Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3", "-u", script.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        helpers.add(p);
        return p;
    }

    static String hex(Message m) {
        ByteBuf b = Unpooled.buffer();
        Codec.encode(new Frame(1, m), b);
        String s = ByteBufUtil.hexDump(b);
        b.release();
        return s;
    }

    @Test
    void threeHundredSilentSocketsKeepNeitherRootNorAnotherUidOutAndAreClosedWithEtimedout() throws Exception {
        Process silent = python(SILENT_UID, "silent", sock.toString(), "300", String.valueOf(HELLO_MS / 1000 + 45));
        BufferedReader out = new BufferedReader(new InputStreamReader(silent.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("connected 300", out.readLine());

        Ctl.Result root = panelctl(List.of(), "list");
        assertEquals(0, root.code(), root.toString());
        assertTrue(root.out().startsWith("lcd0 "), root.toString());
        Ctl.Result other = panelctl(as(OTHER_UID, OTHER_UID), "list");
        assertEquals(0, other.code(), other.toString());
        assertTrue(other.out().startsWith("lcd0 "), other.toString());
        // the silent ones were still there while both got in
        Ctl.Result status = panelctl(List.of(), "status");
        assertEquals(0, status.code(), status.toString());
        String line = status.lines().stream().filter(l -> l.startsWith("server connections=")).findFirst().orElseThrow();
        int connections = Integer.parseInt(line.replaceAll("^server connections=(\\d+).*", "$1"));
        assertTrue(connections >= PER_UID + 1, line);

        List<String> results = new ArrayList<>();
        for (String l; (l = out.readLine()) != null && !l.equals("done"); ) {
            results.add(l);
        }
        assertEquals(300, results.size(), String.join("\n", results));
        // uid 4242 holds at most max_connections_per_uid slots: each further silent socket of it
        // made room by closing its oldest one without HELLO; the last ones waited for the deadline
        int atDeadline = 0;
        for (String r : results) {
            String[] f = r.split(" "); // socket error:CODE eof MS
            assertEquals("error:110", f[1], "every silent socket gets ERROR ETIMEDOUT: " + r);
            assertEquals("eof", f[2], "and is closed by paneld: " + r);
            if (Integer.parseInt(f[3]) >= HELLO_MS - 1000) {
                atDeadline++;
            }
        }
        assertTrue(atDeadline >= 1 && atDeadline <= PER_UID, "at most max_connections_per_uid waited for the deadline: " + atDeadline);
        assertEquals(0, silent.waitFor(30, TimeUnit.SECONDS) ? silent.exitValue() : -1);
    }

    @Test
    void threeHundredSilentSocketsOfRootKeepNeitherRootNorAnotherUidOut() throws Exception {
        // root is not held by the per-uid cap: its silent sockets take every slot and the admin
        // reserve; a newcomer then makes room by closing the oldest connection without HELLO
        Process silent = python(0, "silent", sock.toString(), "300", String.valueOf(HELLO_MS / 1000 + 45));
        BufferedReader out = new BufferedReader(new InputStreamReader(silent.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("connected 300", out.readLine());
        Ctl.Result root = panelctl(List.of(), "list");
        assertEquals(0, root.code(), root.toString());
        Ctl.Result other = panelctl(as(OTHER_UID, OTHER_UID), "list");
        assertEquals(0, other.code(), other.toString());
        List<String> results = new ArrayList<>();
        for (String l; (l = out.readLine()) != null && !l.equals("done"); ) {
            results.add(l);
        }
        assertEquals(300, results.size(), String.join("\n", results));
        for (String r : results) {
            assertTrue(r.startsWith("socket error:110 eof "), "closed with ETIMEDOUT (evicted, or at the deadline): " + r);
        }
        assertEquals(0, silent.waitFor(30, TimeUnit.SECONDS) ? silent.exitValue() : -1);
    }

    @Test
    void perUidCapRefusesTheExtraConnectionWithAnEbusyThatPanelctlPrints() throws Exception {
        Process hold = python(SILENT_UID, "hold", sock.toString(), String.valueOf(PER_UID),
                hex(new Message.Hello(1, 1, 0, "hold")));
        BufferedReader out = new BufferedReader(new InputStreamReader(hold.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("held" + " type:0x8001".repeat(PER_UID), out.readLine());

        Ctl.Result refused = panelctl(as(SILENT_UID, SILENT_UID), "list");
        assertEquals(1, refused.code(), refused.toString());
        assertTrue(refused.err().contains("refused the connection: EBUSY: too many connections from uid " + SILENT_UID)
                && refused.err().contains("max_connections_per_uid " + PER_UID), refused.toString());
        assertTrue(!refused.err().contains("Broken pipe"), refused.toString());
        Ctl.Result other = panelctl(as(OTHER_UID, OTHER_UID), "list");
        assertEquals(0, other.code(), other.toString());
        Ctl.Result root = panelctl(List.of(), "list");
        assertEquals(0, root.code(), root.toString());

        hold.getOutputStream().close(); // the holder lets go: its uid gets in again
        assertTrue(hold.waitFor(30, TimeUnit.SECONDS));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> panelctl(as(SILENT_UID, SILENT_UID), "list").code() == 0);
    }

    @Test
    void allowGidsMatchesASupplementaryGroup() throws Exception {
        Ctl.Result member = panelctl(as(GROUP_USER, GROUP_USER, 44, VIDEO_GID), "fill", "lcd0", "red");
        assertEquals(0, member.code(), member.toString());
        Ctl.Result primary = panelctl(as(GROUP_USER, VIDEO_GID), "fill", "lcd0", "blue");
        assertEquals(0, primary.code(), primary.toString());
        Ctl.Result outsider = panelctl(as(GROUP_USER, GROUP_USER, 44, 4444), "fill", "lcd0", "green");
        assertEquals(1, outsider.code(), outsider.toString());
        assertTrue(outsider.err().contains("EACCES") && outsider.err().contains("uid " + GROUP_USER + " may not open lcd0"),
                outsider.toString());
    }

    @Test
    void panelctlSetTakesOwnershipForTheMomentItSets() throws Exception {
        Ctl.Result set = panelctl(List.of(), "set", "lcd0", "backlight", "40");
        assertEquals(0, set.code(), set.toString());
        Ctl.Result info = panelctl(List.of(), "info", "lcd0");
        assertTrue(info.lines().contains("property.backlight=40"), info.toString());
        assertTrue(info.lines().contains("owned=0"), "ownership was only for the moment: " + info);
        Ctl.Result asMember = panelctl(as(GROUP_USER, GROUP_USER, VIDEO_GID), "set", "lcd0", "backlight", "70");
        assertEquals(0, asMember.code(), asMember.toString());
        assertTrue(panelctl(List.of(), "info", "lcd0").lines().contains("property.backlight=70"));
    }
}
