package io.capstan.node.image;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An image reference normalized as Docker (the distribution reference library) does: a missing
 * registry means {@code docker.io}, a single-component Docker Hub name is under {@code library/},
 * {@code index.docker.io} is {@code docker.io}, and a reference without tag or digest gets the tag
 * {@code latest}. So {@code busybox} is {@code docker.io/library/busybox:latest}, {@code user/app:1}
 * is {@code docker.io/user/app:1}, and {@code registry.local:5000/app:1} and {@code localhost/x}
 * keep their registry. A reference may carry a tag, a digest ({@code name@sha256:<64 hex>}) or
 * both; the digest then decides what it names.
 *
 * @param domain the registry host (with port), e.g. {@code docker.io}
 * @param path the repository path inside the registry, e.g. {@code library/busybox}
 * @param tag the tag, or null when the reference is by digest only
 * @param digest the manifest digest, or null
 */
public record ImageReference(String domain, String path, String tag, Digest digest) {
    public static final String DEFAULT_DOMAIN = "docker.io";
    private static final String LEGACY_DOMAIN = "index.docker.io";
    private static final int NAME_MAX = 255;

    private static final String ALNUM = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|[-]+)";
    private static final String PATH_COMPONENT = ALNUM + "(?:" + SEPARATOR + ALNUM + ")*";
    private static final Pattern PATH = Pattern.compile(PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*");
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN_NAME = DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*";
    private static final Pattern DOMAIN = Pattern.compile("(?:" + DOMAIN_NAME + "|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern IMAGE_ID = Pattern.compile("[a-f0-9]{64}");

    /**
     * Parses and normalizes {@code s}.
     *
     * @throws IllegalArgumentException with a message naming what is wrong
     */
    public static ImageReference parse(String s) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException("invalid image reference: empty");
        }
        if (IMAGE_ID.matcher(s).matches()) {
            throw bad(s, "a repository name cannot be 64 hexadecimal digits (that is an image id)");
        }
        String rest = s;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            try {
                digest = Digest.parse(rest.substring(at + 1));
            } catch (IllegalArgumentException e) {
                throw bad(s, e.getMessage());
            }
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon >= 0 && colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw bad(s, "invalid tag \"" + tag + "\" (letters, digits, '_', '.' and '-', at most 128, not starting with '.' or '-')");
            }
        }
        if (rest.isEmpty()) {
            throw bad(s, "no repository name");
        }
        String domain;
        String path;
        int slash = rest.indexOf('/');
        String first = slash < 0 ? "" : rest.substring(0, slash);
        if (slash < 0 || (first.indexOf('.') < 0 && first.indexOf(':') < 0 && !first.equals("localhost")
            && first.toLowerCase(Locale.ROOT).equals(first))) {
            domain = DEFAULT_DOMAIN;
            path = rest;
        } else {
            domain = first;
            path = rest.substring(slash + 1);
        }
        if (domain.equals(LEGACY_DOMAIN)) {
            domain = DEFAULT_DOMAIN;
        }
        if (!path.toLowerCase(Locale.ROOT).equals(path)) {
            throw bad(s, "repository name \"" + path + "\" must be lowercase");
        }
        if (domain.equals(DEFAULT_DOMAIN) && path.indexOf('/') < 0) {
            path = "library/" + path;
        }
        if (!DOMAIN.matcher(domain).matches()) {
            throw bad(s, "invalid registry \"" + domain + "\"");
        }
        if (!PATH.matcher(path).matches()) {
            throw bad(s, "invalid repository name \"" + path
                + "\" (lowercase letters and digits, separated by '.', '_', '__', '-' or '/')");
        }
        if (domain.length() + 1 + path.length() > NAME_MAX) {
            throw bad(s, "repository name longer than " + NAME_MAX + " characters");
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new ImageReference(domain, path, tag, digest);
    }

    private static IllegalArgumentException bad(String s, String why) {
        return new IllegalArgumentException("invalid image reference \"" + s + "\": " + why);
    }

    /** The repository: {@code domain/path}. */
    public String name() {
        return domain + "/" + path;
    }

    /** The repository as {@code docker images} shows it: {@code busybox}, {@code user/app}, {@code registry:5000/app}. */
    public String familiarName() {
        if (domain.equals(DEFAULT_DOMAIN)) {
            return path.startsWith("library/") && path.indexOf('/', 8) < 0 ? path.substring(8) : path;
        }
        return name();
    }

    /** The same repository with only this tag. */
    public ImageReference withTag(String newTag) {
        return new ImageReference(domain, path, newTag, null);
    }

    /** The same repository with only this digest. */
    public ImageReference withDigest(Digest newDigest) {
        return new ImageReference(domain, path, null, newDigest);
    }

    /** The full normalized form: {@code domain/path[:tag][@sha256:hex]}. */
    @Override
    public String toString() {
        return name() + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }
}
