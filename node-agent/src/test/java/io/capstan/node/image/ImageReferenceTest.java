package io.capstan.node.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageReferenceTest {
    private static final String HEX = "a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4";

    @ParameterizedTest
    @CsvSource({
        "busybox, docker.io/library/busybox:latest",
        "busybox:1.36, docker.io/library/busybox:1.36",
        "library/busybox, docker.io/library/busybox:latest",
        "docker.io/busybox, docker.io/library/busybox:latest",
        "docker.io/library/busybox:latest, docker.io/library/busybox:latest",
        "index.docker.io/busybox, docker.io/library/busybox:latest",
        "index.docker.io/user/app, docker.io/user/app:latest",
        "user/app:1, docker.io/user/app:1",
        "a/b/c/d:v1.2_3-x, docker.io/a/b/c/d:v1.2_3-x",
        "registry.local:5000/app:1, registry.local:5000/app:1",
        "registry.local/team/app, registry.local/team/app:latest",
        "localhost/x, localhost/x:latest",
        "localhost:5000/x/y, localhost:5000/x/y:latest",
        "localhost, docker.io/library/localhost:latest",
        "localhost:5000, docker.io/library/localhost:5000",
        "127.0.0.1:5000/app:v1, 127.0.0.1:5000/app:v1",
        "[::1]:5000/app, [::1]:5000/app:latest",
        "Foo/bar, Foo/bar:latest",
        "foo_bar.baz-x__y--z, docker.io/library/foo_bar.baz-x__y--z:latest",
        "quay.io/coreos/etcd:v3.5, quay.io/coreos/etcd:v3.5",
        "busybox:Latest_Tag, docker.io/library/busybox:Latest_Tag",
    })
    void normalizesAsDocker(String in, String want) {
        assertEquals(want, ImageReference.parse(in).toString());
    }

    @Test
    void digestsAndTagsWithDigests() {
        ImageReference d = ImageReference.parse("busybox@sha256:" + HEX);
        assertEquals("docker.io/library/busybox@sha256:" + HEX, d.toString());
        assertNull(d.tag());
        assertEquals(HEX, d.digest().hex());
        ImageReference td = ImageReference.parse("registry.local:5000/app:1@sha256:" + HEX);
        assertEquals("registry.local:5000/app:1@sha256:" + HEX, td.toString());
        assertEquals("1", td.tag());
        assertEquals("registry.local:5000", td.domain());
        assertEquals("app", td.path());
    }

    @Test
    void familiarNames() {
        assertEquals("busybox", ImageReference.parse("docker.io/library/busybox").familiarName());
        assertEquals("user/app", ImageReference.parse("user/app:1").familiarName());
        assertEquals("library/a/b", ImageReference.parse("library/a/b").familiarName());
        assertEquals("registry.local:5000/app", ImageReference.parse("registry.local:5000/app").familiarName());
        assertEquals("docker.io/library/busybox", ImageReference.parse("busybox").name());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Busybox| repository name \"Busybox\" must be lowercase",
        "user/App:1| repository name \"user/App\" must be lowercase",
        "docker.io/User/app| must be lowercase",
        "busybox@sha256:abc| expected 64 lowercase hex digits",
        "busybox@md5:d41d8cd98f00b204e9800998ecf8427e| unsupported digest algorithm \"md5\"",
        "busybox@| invalid digest: empty",
        "busybox@sha256:A3ED95CAEB02FFE68CDD9FD84406680AE93D633CB16422D00E8A7C22955B46D4| expected 64 lowercase hex",
        "a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4| that is an image id",
        "busybox:| invalid tag \"\"",
        "busybox:-x| invalid tag \"-x\"",
        "busybox:a$b| invalid tag",
        "a//b| invalid repository name \"a//b\"",
        "-busybox| invalid repository name",
        "busybox-| invalid repository name",
        ":tag| no repository name",
        "http://x/y| invalid registry \"http:\"",
        "Reg istry/app| invalid registry \"Reg istry\"",
        "busybox app| invalid repository name",
    })
    void rejectsBadReferencesClearly(String in, String messagePart) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageReference.parse(in));
        assertTrue(e.getMessage().startsWith("invalid image reference \"" + in + "\": "), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart.strip()), e.getMessage());
    }

    @Test
    void rejectsEmptyAndOverlongReferences() {
        assertEquals("invalid image reference: empty",
            assertThrows(IllegalArgumentException.class, () -> ImageReference.parse("")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageReference.parse("  "));
        assertThrows(IllegalArgumentException.class, () -> ImageReference.parse(null));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ImageReference.parse("busybox:" + "t".repeat(129)))
            .getMessage().contains("invalid tag"));
        ImageReference.parse("busybox:" + "t".repeat(128));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ImageReference.parse("a/" + "b".repeat(250)))
            .getMessage().contains("longer than 255"));
    }

    @Test
    void chainIdsFollowTheOciFormula() {
        Digest a = Digest.of("a");
        Digest b = Digest.of("b");
        Digest c = Digest.of("c");
        var chain = Image.chainIds(java.util.List.of(a, b, c));
        assertEquals(a, chain.get(0));
        assertEquals(Digest.of(a + " " + b), chain.get(1));
        assertEquals(Digest.of(Digest.of(a + " " + b) + " " + c), chain.get(2));
    }
}
