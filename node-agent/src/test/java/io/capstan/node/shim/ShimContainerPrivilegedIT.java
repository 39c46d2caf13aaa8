package io.capstan.node.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A container run by the real shim: namespaces, filesystem, hardening, exit codes (needs root). */
@Tag("privileged")
class ShimContainerPrivilegedIT {
    @TempDir
    Path tmp;

    ShimFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new ShimFixture(tmp);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void theCommandIsPid1WithItsOwnHostname() throws Exception {
        String out = fx.output(fx.container("/bin/sh", "-c", "echo $$; hostname").hostname("capstan-ctr"));
        assertEquals("1\ncapstan-ctr\n", out);
    }

    @Test
    void procShowsOnlyTheContainersProcesses() throws Exception {
        String out = fx.output(fx.container("/bin/sh", "-c", "cd /proc && echo [0-9]*"));
        List<Integer> pids = Arrays.stream(out.trim().split(" ")).map(Integer::parseInt).toList();
        assertTrue(pids.contains(1), out);
        assertTrue(pids.stream().allMatch(p -> p < 10), "host processes visible: " + out);
    }

    @Test
    void sysIsReadOnlyAndKernelPathsAreMaskedOrReadOnly() throws Exception {
        String out = fx.output(fx.container("/bin/sh", "-c",
                "touch /sys/capstan 2>&1; ls -A /sys/firmware | wc -l; wc -c < /proc/timer_list;"
                        + " echo 1 > /proc/sys/kernel/ns_last_pid 2>&1; echo done"));
        assertTrue(out.contains("touch: /sys/capstan: Read-only file system"), out);
        assertTrue(out.contains("\n0\n0\n"), "masked paths readable: " + out);
        assertTrue(out.contains("ns_last_pid: Read-only file system") || out.contains("Read-only"), out);

        String privileged = fx.output(fx.container("/bin/sh", "-c", "wc -c < /proc/timer_list; ls -A /sys/firmware | wc -l")
                .privileges(new Privileges(null, null, List.of(), List.of(), List.of(), true, false)));
        assertFalse(privileged.startsWith("0\n"), "privileged containers see /proc/timer_list: " + privileged);
    }

    @Test
    void capabilitiesAreDockersDefaultsAdjustedByAddAndDrop() throws Exception {
        long docker = caps(0, 1, 3, 4, 5, 6, 7, 8, 10, 13, 18, 27, 29, 31);
        assertEquals(docker, 0xa80425fbL);
        assertEquals(docker, capEff(Privileges.defaults()));
        assertEquals((docker | caps(12)) & ~caps(0),
                capEff(new Privileges(null, null, List.of(), List.of("NET_ADMIN"), List.of("CAP_CHOWN"), false, false)));
        assertEquals(caps(10),
                capEff(new Privileges(null, null, List.of(), List.of("net_bind_service"), List.of("ALL"), false, false)));
    }

    @Test
    void noNewPrivsAndANonRootUserWithoutEffectiveCapabilities() throws Exception {
        String out = fx.output(fx.container("/bin/sh", "-c", "id; grep -E 'CapEff|NoNewPrivs' /proc/self/status")
                .privileges(new Privileges(1000L, 2000L, List.of(3000L, 3001L), List.of(), List.of(), false, true)));
        assertEquals("uid=1000 gid=2000 groups=3000,3001\nCapEff:\t0000000000000000\nNoNewPrivs:\t1\n", out);
    }

    @Test
    void onlyStdioIsOpenInTheContainer() throws Exception {
        // sleep's fds are what the shim passed on (ls /proc/self/fd would show ls's own dir fd)
        String out = fx.output(fx.container("/bin/sh", "-c", "sleep 100 & ls /proc/$!/fd; kill $!"));
        assertEquals("0\n1\n2\n", out);
    }

    @Test
    void exitCodesAreRelayedAndSigkillGives137() throws Exception {
        ExitStatus three = fx.run(fx.container("/bin/sh", "-c", "exit 3").build());
        assertEquals(3, three.exitCode());
        assertEquals(0, three.signal());
        assertNull(three.error());

        ShimProcess sleeper = fx.start(fx.container("/bin/sleep", "1000").build());
        long pid = sleeper.awaitStarted(ShimFixture.WAIT);
        assertTrue(ProcessHandle.of(pid).isPresent());
        assertTrue(sleeper.kill());
        ExitStatus killed = sleeper.onExit().get(30, TimeUnit.SECONDS);
        assertEquals(137, killed.exitCode());
        assertEquals(9, killed.signal());
        assertEquals(killed, sleeper.exitStatus().orElseThrow());
    }

    @Test
    void aMissingCommandFailsWith125AndTheExecError() throws Exception {
        ShimProcess p = fx.start(fx.container("nosuch").build());
        ShimStartException e = assertThrows(ShimStartException.class, () -> p.awaitStarted(ShimFixture.WAIT));
        assertEquals(125, e.exitCode());
        assertEquals("capstan-shim: exec \"nosuch\": No such file or directory (errno 2)", e.getMessage());
        assertTrue(e.isExecFailure());
        assertEquals(125, p.exitStatus().orElseThrow().exitCode());
    }

    @Test
    void stdoutAndStderrGoToACriLogSplitAt16KiB() throws Exception {
        Path log = tmp.resolve("0.log");
        fx.run(fx.container("/bin/sh", "-c",
                        "echo out1; echo err1 >&2; head -c 40000 /dev/zero | tr '\\0' a; echo; printf last")
                .log(log).build());
        List<String> lines = ShimFixture.criLines(log);
        assertTrue(lines.contains("stdout F out1"), lines.toString());
        assertTrue(lines.contains("stderr F err1"), lines.toString());
        String a = "a";
        List<String> stdout = lines.stream().filter(l -> l.startsWith("stdout") && l.contains(a.repeat(100))).toList();
        assertEquals(List.of("stdout P " + a.repeat(16384), "stdout P " + a.repeat(16384), "stdout F " + a.repeat(40000 - 32768)),
                stdout);
        List<String> allStdout = lines.stream().filter(l -> l.startsWith("stdout")).toList();
        assertEquals("stdout F last", allStdout.get(allStdout.size() - 1), "an unterminated last line is flushed");
    }

    @Test
    void readOnlyRootfsAndBindMounts() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("volume"));
        Files.writeString(data.resolve("hello"), "from host\n");
        String out = fx.output(fx.container("/bin/sh", "-c",
                        "cat /data/hello; touch /data/x 2>&1; touch /x 2>&1; echo ok > /rw/file; cat /rw/file")
                .readOnlyRootfs(true)
                .mount(data, "/data", true)
                .mount(Files.createDirectories(tmp.resolve("rw")), "/rw", false));
        assertEquals("from host\ntouch: /data/x: Read-only file system\ntouch: /x: Read-only file system\nok\n", out);
        assertEquals("ok\n", Files.readString(tmp.resolve("rw/file")));
    }

    @Test
    void envIsOnlyWhatWasGivenAndCwdIsSet() throws Exception {
        String out = fx.output(fx.container("/bin/sh", "-c", "env | sort; pwd").env("GREETING", "hi").cwd("/work/dir"));
        assertEquals("GREETING=hi\nHOME=/root\nPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
                + "PWD=/work/dir\nSHLVL=1\n/work/dir\n", out);
    }

    @Test
    void devHasTheStandardNodesAndLinks() throws Exception {
        String out = fx.output(fx.container("/bin/sh", "-c",
                "ls /dev | tr '\\n' ' '; echo; echo hi > /dev/null && head -c 3 /dev/zero | wc -c; readlink /dev/stdout"));
        assertEquals("fd full mqueue null ptmx pts random shm stderr stdin stdout tty urandom zero \n3\n/proc/self/fd/1\n",
                out);
    }

    @Test
    void containerSysctlsApplyInItsOwnNamespaces() throws Exception {
        String hostValue = Files.readString(Path.of("/proc/sys/net/ipv4/ping_group_range"));
        String out = fx.output(fx.container("/bin/sh", "-c", "cat /proc/sys/net/ipv4/ping_group_range; echo 1 > /proc/sys/net/ipv4/ping_group_range; true")
                .sysctl("net.ipv4.ping_group_range", "0 2147483647"));
        assertEquals("0\t2147483647\n/bin/sh: can't create /proc/sys/net/ipv4/ping_group_range: Read-only file system\n", out);
        assertEquals(hostValue, Files.readString(Path.of("/proc/sys/net/ipv4/ping_group_range")));
    }

    @Test
    void anUnknownCapabilityIsASetupError() throws Exception {
        ShimProcess p = fx.start(fx.container("/bin/true")
                .privileges(new Privileges(null, null, List.of(), List.of("CAP_NOSUCH"), List.of(), false, false))
                .build());
        ShimStartException e = assertThrows(ShimStartException.class, () -> p.awaitStarted(ShimFixture.WAIT));
        assertEquals(125, e.exitCode());
        assertEquals("capstan-shim: unknown capability CAP_NOSUCH", e.getMessage());
    }

    @Test
    void aBareCommandIsLookedUpInTheContainersPath() throws Exception {
        ShimProcess p = fx.start(fx.container("sh", "-c", "true").env("PATH", "/nowhere").build());
        ShimStartException e = assertThrows(ShimStartException.class, () -> p.awaitStarted(ShimFixture.WAIT));
        assertEquals("capstan-shim: exec \"sh\": No such file or directory (errno 2)", e.getMessage());
        assertEquals("found\n", fx.output(fx.container("sh", "-c", "echo found").env("PATH", "/usr/sbin:/bin")));
    }

    @Test
    void concurrentStartsAllGetTheirOwnPidNamespace() throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<String>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String name = "capstan-c" + i;
                results.add(pool.submit(() -> fx.output(fx.container("/bin/sh", "-c", "echo $$ $(hostname)").hostname(name))));
            }
            for (int i = 0; i < results.size(); i++) {
                assertEquals("1 capstan-c" + i + "\n", results.get(i).get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void initModeRunsTheCommandAsPid2AndRelaysItsExit() throws Exception {
        String out = fx.output(fx.container("/bin/sh", "-c", "echo $$; cat /proc/1/comm").init(true));
        assertEquals("2\ncapstan-shim\n", out);
        assertEquals(7, fx.run(fx.container("/bin/sh", "-c", "exit 7").init(true).build()).exitCode());
    }

    @Test
    void initModeReapsOrphansThatACommandAsPid1WouldLeaveAsZombies() throws Exception {
        // The subshell exits at once, orphaning `sleep 1` to the namespace's init; the command then
        // becomes `sleep 1000`, which never reaps.
        String[] orphaning = {"/bin/sh", "-c", "(sleep 1 &); exec sleep 1000"};
        ShimProcess plain = fx.start(fx.container(orphaning).build());
        long plainPid = plain.awaitStarted(ShimFixture.WAIT);
        ShimFixture.await("a zombie under sleep as PID 1", () -> zombies(plainPid) > 0);

        ShimProcess withInit = fx.start(fx.container(orphaning).init(true).build());
        long initPid = withInit.awaitStarted(ShimFixture.WAIT);
        ShimFixture.await("sleep as PID 2", () -> fx.shim.exec(ExecLaunch.builder(initPid, List.of("cat", "/proc/2/comm"))
                .build(), ShimFixture.WAIT).output().equals("sleep\n"));
        ShimFixture.await("the orphan gone, reaped by the init", () -> sleeps(initPid) == 1);
    }

    /** Zombies in the container's pid namespace, seen from an exec (which is not one of them). */
    private long zombies(long containerPid) throws Exception {
        return procStats(containerPid).filter(l -> l.matches("^\\d+ \\(.*\\) Z .*")).count();
    }

    /** Processes named sleep, running or zombie. */
    private long sleeps(long containerPid) throws Exception {
        return procStats(containerPid).filter(l -> l.matches("^\\d+ \\(sleep\\) .*")).count();
    }

    private java.util.stream.Stream<String> procStats(long containerPid) throws Exception {
        return fx.shim.exec(ExecLaunch.builder(containerPid, List.of("/bin/sh", "-c", "cat /proc/[0-9]*/stat"))
                .build(), ShimFixture.WAIT).output().lines();
    }

    private long capEff(Privileges privileges) throws Exception {
        String out = fx.output(fx.container("/bin/sh", "-c", "grep CapEff /proc/self/status").privileges(privileges));
        return Long.parseLong(out.trim().split("\t")[1], 16);
    }

    private static long caps(int... bits) {
        long set = 0;
        for (int bit : bits) {
            set |= 1L << bit;
        }
        return set;
    }
}
